// Prices a cart's lines with the pricing engine: the stored rules, the store's time zone, the
// instant and the cart's member. The cart module calls this for every cart view, so the till,
// the receipt and the customer display all show what the engine decided.
import { readTillConfig } from '../config';
import type { Db } from '../db';
import {
  applyCoupon,
  priceCart,
  type CouponOutcome,
  type CouponTerms,
  type PricingLine,
  type PricingMember,
  type PricingResult,
} from '../pricing';
import { storedRules } from './price-rule-store';

/** What pricing needs besides the lines; the core builds it from its context. */
export interface PricingEnv {
  at: Date;
  storeId: string;
  terminalId: string;
  /** The member on the cart (the members module provides it; null without one). */
  member: PricingMember | null;
  /** The coupon on the cart (applied after the promotions). */
  coupon?: CouponTerms | null;
}

export type CartLineForPricing = Omit<PricingLine, 'category' | 'brand'>;

export function priceCartLines(
  db: Db,
  lines: readonly CartLineForPricing[],
  env: PricingEnv,
): PricingResult & { coupon?: CouponOutcome } {
  const rules = storedRules(db);
  const timeZone = readTillConfig(db, env.storeId, env.terminalId).timeZone;
  const categories = new Map<string, string>();
  if ((rules.length > 0 || env.coupon) && lines.length > 0) {
    const skus = [...new Set(lines.map((l) => l.sku))];
    for (const r of db
      .prepare(`SELECT sku, category FROM products WHERE sku IN (${skus.map(() => '?').join(', ')})`)
      .all(...skus) as { sku: string; category: string }[])
      categories.set(r.sku, r.category);
  }
  const priced = lines.map((l) => ({ ...l, category: categories.get(l.sku) ?? '', brand: null }));
  const result = priceCart({ lines: priced, member: env.member, at: env.at, timeZone, rules });
  if (!env.coupon) return result;
  const c = applyCoupon(result, priced, env.coupon);
  return { ...c.result, coupon: c.outcome };
}
