// app/core/pricing: the pure pricing engine (no I/O): price rules and their schema, time windows
// in the store's zone, and priceCart (per-line prices, discounts with rule ids and names, savings,
// the choice explained). The terminal core stores, replicates and applies the rules.
export { priceRuleSchema, ruleEffectSchema, ruleWindowSchema, parsePriceRule } from './rule';
export type { PriceRule, PriceRuleInput, RuleWindow, RuleEffect } from './rule';
export { windowOpen, localTime, instantOfLocal } from './rule-window';
export { priceCart, openRules, ruleTargetsLine, memberEligible } from './price-cart';
export type {
  PricingLine,
  PricingMember,
  PricingInput,
  PricingResult,
  PricedLine,
  AppliedDiscount,
  RuleSaving,
} from './price-cart';
export { applyCoupon } from './apply-coupon';
export type { CouponTerms, CouponOutcome } from './apply-coupon';
