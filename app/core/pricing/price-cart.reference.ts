// TEST ONLY: the pricing engine as it was before the rule index (rule-index.ts), kept verbatim
// (but for this note and its exported names) so price-cart.differential.test.ts can check that
// the indexed engine prices every cart exactly as this straightforward one did. Not used by the
// till; do not change its decisions here without changing price-cart.ts the same way.
//
// The pricing engine: given the cart's lines, the member, the store-local time and the rules,
// what each line costs, which rules took what off it, and why. Pure and deterministic: no I/O,
// no clock (the caller passes the instant), same input → same output.
//
// How a price is decided (docs/pricing.md has the shop-floor version):
// 1. Open rules: active, window open in the store's zone, the member eligible.
// 2. Line phase (every kind but 满减). Per line the engine compares each exclusive rule alone
//    with the chain of all stackable rules (applied in priority order, each on what is left),
//    and keeps whichever saves the customer most; ties go to the higher priority, then the
//    lower rule id. So the customer gets the best price, and more than the best single rule only
//    where every rule involved says `stackable`.
// 3. Order phase (满减). Stackable thresholds count the targeted lines after their line
//    discounts and apply one after the other; an exclusive threshold counts only targeted lines
//    that have no line discount. The better of the chain and each exclusive one alone wins. The
//    fen off are spread over the counted lines in proportion to what they cost (largest
//    remainder), so a return can refund exactly what a line was paid.
//
// Fen rounding: a percent takes round-half-up(amount × p / 100) off the whole line amount
// (not per item); a fixed or member price per kg is round-half-up(price × grams / 1000), as the
// scale label does. Multi-item rules (N件M折, 第二件半价, 买赠) count items of `each` lines and
// discount the dearest groups first (sorted by item price, SKU, line id, never by scan order), so
// the order of scanning never changes the total. Nothing ever goes below zero.
import type { PriceRule, RuleEffect } from './rule';
import { localTime, windowOpen } from './rule-window';

export interface PricingLine {
  lineId: string;
  sku: string;
  category: string;
  brand: string | null;
  unit: 'each' | 'weighed';
  /** Items; 1 for weighed lines. */
  quantity: number;
  weightGrams: number | null;
  /** Fen per item, or per kg for weighed items. */
  unitPrice: number;
  /** Fen before any discount: unit price × quantity, the weighed price, or a label's printed price. */
  gross: number;
}

/** The member on the cart, as pricing needs it (the members module maps its own member onto this). */
export interface PricingMember {
  id: string;
  level: string;
  tags: readonly string[];
  /** `YYYY-MM-DD` or `MM-DD`. */
  birthday?: string | null;
}

export interface PricingInput {
  lines: readonly PricingLine[];
  member: PricingMember | null;
  at: Date;
  timeZone: string;
  rules: readonly PriceRule[];
}

export interface AppliedDiscount {
  ruleId: string;
  name: string;
  nameEn: string;
  kind: RuleEffect['type'] | 'coupon';
  /** Fen off this line. */
  amount: number;
}

export interface RuleSaving {
  ruleId: string;
  name: string;
  nameEn: string;
  /** What this rule alone would take off the line (line phase) or the order (满减). */
  saved: number;
}

export interface PricedLine {
  lineId: string;
  /** Fen before rules (the line's gross). */
  originalPrice: number;
  discounts: AppliedDiscount[];
  saved: number;
  total: number;
  /** Every open rule that would have taken something off this line, with what it alone would save. */
  considered: RuleSaving[];
  /** How the line phase was decided: nothing open, one exclusive rule, or the stackable chain. */
  choice: 'none' | 'exclusive' | 'stack';
}

export interface PricingResult {
  lines: PricedLine[];
  subtotal: number;
  saved: number;
  total: number;
  /** Ids of the rules that took something off, in the order first applied. */
  applied: string[];
  /** Open thresholds the cart has not reached, with how much more it takes (为您推荐: 再买¥x减¥y). */
  nearThresholds: { ruleId: string; name: string; nameEn: string; missing: number; off: number }[];
}

interface Targeting {
  skus: Set<string> | null;
  categories: Set<string> | null;
  brands: Set<string> | null;
}
const targeting = new WeakMap<PriceRule, Targeting>();
function targetOf(rule: PriceRule): Targeting {
  let t = targeting.get(rule);
  if (!t) {
    const set = (a: readonly string[] | undefined) => (a && a.length > 0 ? new Set(a) : null);
    t = { skus: set(rule.target.skus), categories: set(rule.target.categories), brands: set(rule.target.brands) };
    targeting.set(rule, t);
  }
  return t;
}

export function ruleTargetsLine(rule: PriceRule, line: Pick<PricingLine, 'sku' | 'category' | 'brand'>): boolean {
  const t = targetOf(rule);
  if (!t.skus && !t.categories && !t.brands) return true;
  return (
    (t.skus?.has(line.sku) ?? false) ||
    (t.categories?.has(line.category) ?? false) ||
    (line.brand !== null && (t.brands?.has(line.brand) ?? false))
  );
}

function localMonthDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, month: '2-digit', day: '2-digit' }).format(at);
}

/** May this member (or no member) have the rule? */
export function memberEligible(rule: PriceRule, member: PricingMember | null, at: Date, timeZone: string): boolean {
  const m = rule.members;
  if (rule.effect.type === 'member_price' && !member) return false;
  if (!m) return true;
  if (!member) return !m.required;
  if (m.levels && m.levels.length > 0 && !m.levels.includes(member.level)) return false;
  if (m.tags && m.tags.length > 0 && !m.tags.some((t) => member.tags.includes(t))) return false;
  if (m.birthday) {
    const b = member.birthday?.slice(-5); // MM-DD
    if (!b) return false;
    const today = localMonthDay(at, timeZone); // MM-DD
    if (m.birthday === 'day' ? b !== today : b.slice(0, 2) !== today.slice(0, 2)) return false;
  }
  return true;
}

/** Rules that apply at this instant to this member. */
export function openRules(
  rules: readonly PriceRule[],
  member: PricingMember | null,
  at: Date,
  timeZone: string,
): PriceRule[] {
  const local = localTime(at, timeZone); // once: the zone lookup is the costly part of a window check
  return rules.filter(
    (r) => r.active && windowOpen(r.window, at, timeZone, local) && memberEligible(r, member, at, timeZone),
  );
}

const percentOf = (amount: number, p: number): number => Math.floor((amount * p + 50) / 100);
const weighedPrice = (perKg: number, grams: number): number => Math.floor((perKg * grams + 500) / 1000);
const priceOfLine = (line: PricingLine, price: number): number =>
  line.unit === 'weighed' ? weighedPrice(price, line.weightGrams ?? 0) : price * line.quantity;

/** Each item of the `each` lines a rule targets, dearest first (never by scan order). */
interface Unit {
  lineId: string;
  sku: string;
  value: number;
}
function unitsOf(lines: readonly PricingLine[]): Unit[] {
  const units: Unit[] = [];
  for (const l of lines) {
    if (l.unit !== 'each' || l.quantity <= 0) continue;
    const q = Math.min(l.quantity, 100_000);
    const each = Math.floor(l.gross / q);
    const rest = l.gross - each * q;
    for (let i = 0; i < q; i++) units.push({ lineId: l.lineId, sku: l.sku, value: each + (i === 0 ? rest : 0) });
  }
  return units.sort((a, b) =>
    a.value !== b.value ? b.value - a.value : a.sku !== b.sku ? (a.sku < b.sku ? -1 : 1) : a.lineId < b.lineId ? -1 : 1,
  );
}

/**
 * Fen a multi-item rule takes off each line, computed on the lines' gross. `units` is every item
 * of the cart, dearest first (unitsOf of all lines, worked out once per cart): the items of the
 * lines a rule targets keep that order, so filtering them equals sorting the targeted lines' own.
 */
function multiItemDiscounts(
  rule: PriceRule,
  lines: readonly PricingLine[],
  units: readonly Unit[],
): Map<string, number> {
  const out = new Map<string, number>();
  const add = (u: Unit, fen: number) => {
    if (fen > 0) out.set(u.lineId, (out.get(u.lineId) ?? 0) + fen);
  };
  const e = rule.effect;
  const targeted = new Set<string>();
  for (const l of lines) if (ruleTargetsLine(rule, l)) targeted.add(l.lineId);
  if (targeted.size === 0 && e.type !== 'gift') return out;
  if (e.type === 'nth_item') {
    units
      .filter((u) => targeted.has(u.lineId))
      .forEach((u, i) => {
        if ((i + 1) % e.n === 0) add(u, percentOf(u.value, e.percentOff));
      });
  } else if (e.type === 'multi_buy') {
    const mine = units.filter((u) => targeted.has(u.lineId));
    const grouped = Math.floor(mine.length / e.n) * e.n;
    mine.slice(0, grouped).forEach((u) => add(u, percentOf(u.value, e.percentOff)));
  } else if (e.type === 'gift') {
    const giftUnits = units.filter((u) => u.sku === e.giftSku);
    if (giftUnits.length === 0) return out;
    const buyUnits = units.filter((u) => targeted.has(u.lineId) && u.sku !== e.giftSku).length;
    const giftTargeted = lines.some((l) => l.sku === e.giftSku && targeted.has(l.lineId));
    // Buy 2 get 1 of the same item: every 3 items, 1 is free. Otherwise every `buy` items free `get` gift items.
    const free = giftTargeted
      ? Math.floor((buyUnits + giftUnits.length) / (e.buy + e.get)) * e.get
      : Math.floor(buyUnits / e.buy) * e.get;
    // The cheapest gift items go free when the gift is also what is bought (the customer pays for the dearer ones).
    const pick = giftTargeted ? giftUnits.slice().reverse() : giftUnits;
    pick.slice(0, Math.min(free, pick.length)).forEach((u) => add(u, u.value));
  }
  return out;
}

/**
 * The open line rules by what they target, so a line looks only at the rules that can touch it
 * (with 1,000 rules most target a few SKUs or a category). Candidates keep the priority order.
 */
function lineRuleIndex(lineRules: readonly PriceRule[]): (line: PricingLine) => PriceRule[] {
  const rank = new Map<PriceRule, number>();
  const bySku = new Map<string, PriceRule[]>();
  const byCategory = new Map<string, PriceRule[]>();
  const byBrand = new Map<string, PriceRule[]>();
  const everywhere: PriceRule[] = [];
  const put = (m: Map<string, PriceRule[]>, k: string, r: PriceRule) => {
    const xs = m.get(k);
    if (xs) xs.push(r);
    else m.set(k, [r]);
  };
  lineRules.forEach((r, i) => {
    rank.set(r, i);
    const t = targetOf(r);
    // A gift rule may discount a line it does not target (the gift item): it is asked on every line.
    if (r.effect.type === 'gift' || (!t.skus && !t.categories && !t.brands)) {
      everywhere.push(r);
      return;
    }
    for (const k of t.skus ?? []) put(bySku, k, r);
    for (const k of t.categories ?? []) put(byCategory, k, r);
    for (const k of t.brands ?? []) put(byBrand, k, r);
  });
  return (line) => {
    const found = new Set<PriceRule>(everywhere);
    for (const r of bySku.get(line.sku) ?? []) found.add(r);
    for (const r of byCategory.get(line.category) ?? []) found.add(r);
    if (line.brand !== null) for (const r of byBrand.get(line.brand) ?? []) found.add(r);
    return [...found].sort((a, b) => rank.get(a)! - rank.get(b)!);
  };
}

interface LineRuleEffect {
  rule: PriceRule;
  /** What the rule takes off when the line costs `current` (never more than `current`). */
  off(current: number): number;
}

function lineEffect(
  rule: PriceRule,
  line: PricingLine,
  member: PricingMember | null,
  multi: Map<string, number> | undefined,
): LineRuleEffect | null {
  const e = rule.effect;
  switch (e.type) {
    case 'percent':
      return { rule, off: (c) => Math.min(c, percentOf(c, e.percentOff)) };
    case 'fixed_price': {
      const target = priceOfLine(line, e.price);
      return { rule, off: (c) => Math.max(0, c - target) };
    }
    case 'member_price': {
      const price = member ? e.prices[member.level] : undefined;
      if (price === undefined) return null;
      const target = priceOfLine(line, price);
      return { rule, off: (c) => Math.max(0, c - target) };
    }
    case 'nth_item':
    case 'multi_buy':
    case 'gift': {
      const d = multi?.get(line.lineId) ?? 0;
      if (d <= 0) return null;
      // On a line already discounted by another stackable rule, the same share of what is left.
      return { rule, off: (c) => Math.min(c, line.gross > 0 ? Math.floor((d * c) / line.gross) : 0) };
    }
    case 'threshold':
      return null;
  }
}

const byPriority = (a: PriceRule, b: PriceRule): number =>
  a.priority !== b.priority ? b.priority - a.priority : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

const applied = (rule: PriceRule, amount: number): AppliedDiscount => ({
  ruleId: rule.id,
  name: rule.name,
  nameEn: rule.nameEn,
  kind: rule.effect.type,
  amount,
});

interface Option {
  discounts: AppliedDiscount[];
  saved: number;
  /** For ties: the option's highest priority and its first rule. */
  lead: PriceRule;
  choice: 'exclusive' | 'stack';
}

/** Is option a better for the customer than b (then by priority, then rule id)? */
function better(a: Option, b: Option | null): boolean {
  if (!b) return true;
  if (a.saved !== b.saved) return a.saved > b.saved;
  return byPriority(a.lead, b.lead) < 0;
}

function stackChain(effects: readonly LineRuleEffect[], start: number): Option | null {
  let current = start;
  const discounts: AppliedDiscount[] = [];
  for (const fx of effects) {
    const off = Math.min(current, fx.off(current));
    if (off <= 0) continue;
    discounts.push(applied(fx.rule, off));
    current -= off;
  }
  return discounts.length ? { discounts, saved: start - current, lead: effects[0]!.rule, choice: 'stack' } : null;
}

/** Spreads `fen` over lines in proportion to `weights` (largest remainder; ties by line order given). */
export function spread(fen: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0 || fen <= 0) return weights.map(() => 0);
  const share = weights.map((w) => Math.floor((fen * w) / total));
  let left = fen - share.reduce((a, b) => a + b, 0);
  const order = weights
    .map((w, i) => ({ i, rem: (fen * w) % total }))
    .sort((a, b) => (a.rem !== b.rem ? b.rem - a.rem : a.i - b.i));
  for (const { i } of order) {
    if (left <= 0) break;
    if (share[i]! < weights[i]!) {
      share[i]! += 1;
      left -= 1;
    }
  }
  return share;
}

function thresholdOff(rule: PriceRule, base: number): number {
  const e = rule.effect;
  if (e.type !== 'threshold' || base < e.spend) return 0;
  const times = e.repeat ? Math.floor(base / e.spend) : 1;
  return Math.min(base, times * e.off);
}

/** Prices the cart. Lines come back in the order given. */
export function referencePriceCart(input: PricingInput): PricingResult {
  const { member, at, timeZone } = input;
  const open = openRules(input.rules, member, at, timeZone).sort(byPriority);
  const lineRules = open.filter((r) => r.effect.type !== 'threshold');
  const thresholds = open.filter((r) => r.effect.type === 'threshold');
  const multi = new Map<PriceRule, Map<string, number>>();
  const units = unitsOf(input.lines);
  for (const r of lineRules)
    if (r.effect.type === 'nth_item' || r.effect.type === 'multi_buy' || r.effect.type === 'gift')
      multi.set(r, multiItemDiscounts(r, input.lines, units));
  const rulesFor = lineRuleIndex(lineRules);

  const priced: PricedLine[] = input.lines.map((line) => {
    const gross = Math.max(0, line.gross);
    const effects: LineRuleEffect[] = [];
    for (const r of rulesFor(line)) {
      if (r.effect.type !== 'gift' && !ruleTargetsLine(r, line)) continue;
      const fx = lineEffect(r, line, member, multi.get(r));
      if (fx) effects.push(fx);
    }
    const considered: RuleSaving[] = [];
    let best: Option | null = null;
    for (const fx of effects) {
      const saved = Math.min(gross, fx.off(gross));
      if (saved <= 0) continue;
      considered.push({ ruleId: fx.rule.id, name: fx.rule.name, nameEn: fx.rule.nameEn, saved });
      if (fx.rule.stacking === 'exclusive') {
        const o: Option = { discounts: [applied(fx.rule, saved)], saved, lead: fx.rule, choice: 'exclusive' };
        if (better(o, best)) best = o;
      }
    }
    const chain = stackChain(
      effects.filter((fx) => fx.rule.stacking === 'stackable'),
      gross,
    );
    if (chain && better(chain, best)) best = chain;
    const discounts = best?.discounts ?? [];
    const saved = best?.saved ?? 0;
    return {
      lineId: line.lineId,
      originalPrice: gross,
      discounts,
      saved,
      total: gross - saved,
      considered,
      choice: best?.choice ?? 'none',
    };
  });

  // Order phase: 满减.
  const nearThresholds: PricingResult['nearThresholds'] = [];
  if (thresholds.length) {
    // Line positions sorted by SKU and line id, so the spread never depends on scan order.
    const order = input.lines
      .map((l, i) => ({ l, i }))
      .sort((a, b) => (a.l.sku !== b.l.sku ? (a.l.sku < b.l.sku ? -1 : 1) : a.l.lineId < b.l.lineId ? -1 : 1));
    const tryThreshold = (rule: PriceRule, totals: number[]): { off: number; shares: Map<number, number> } => {
      const counted = order.filter(
        ({ l, i }) => ruleTargetsLine(rule, l) && (rule.stacking === 'stackable' || priced[i]!.saved === 0),
      );
      const weights = counted.map(({ i }) => totals[i]!);
      const base = weights.reduce((a, b) => a + b, 0);
      const off = thresholdOff(rule, base);
      const shares = new Map<number, number>();
      spread(off, weights).forEach((s, k) => {
        if (s > 0) shares.set(counted[k]!.i, s);
      });
      const e = rule.effect;
      if (off === 0 && e.type === 'threshold' && base > 0)
        nearThresholds.push({
          ruleId: rule.id,
          name: rule.name,
          nameEn: rule.nameEn,
          missing: e.spend - base,
          off: e.off,
        });
      return { off, shares };
    };
    type OrderOption = { saved: number; lead: PriceRule; perLine: Map<number, AppliedDiscount[]> };
    const options: OrderOption[] = [];
    const stackable = thresholds.filter((r) => r.stacking === 'stackable');
    if (stackable.length) {
      const totals = priced.map((p) => p.total);
      const perLine = new Map<number, AppliedDiscount[]>();
      let saved = 0;
      for (const r of stackable) {
        const { off, shares } = tryThreshold(r, totals);
        saved += off;
        for (const [i, s] of shares) {
          totals[i]! -= s;
          perLine.set(i, [...(perLine.get(i) ?? []), applied(r, s)]);
        }
      }
      if (saved > 0) options.push({ saved, lead: stackable[0]!, perLine });
    }
    for (const r of thresholds.filter((t) => t.stacking === 'exclusive')) {
      const { off, shares } = tryThreshold(
        r,
        priced.map((p) => p.total),
      );
      if (off > 0)
        options.push({ saved: off, lead: r, perLine: new Map([...shares].map(([i, s]) => [i, [applied(r, s)]])) });
    }
    let win: OrderOption | null = null;
    for (const o of options)
      if (!win || o.saved > win.saved || (o.saved === win.saved && byPriority(o.lead, win.lead) < 0)) win = o;
    if (win)
      for (const [i, ds] of win.perLine) {
        const p = priced[i]!;
        const fen = ds.reduce((a, d) => a + d.amount, 0);
        p.discounts = [...p.discounts, ...ds];
        p.saved += fen;
        p.total -= fen;
      }
  }

  const appliedIds: string[] = [];
  for (const p of priced) for (const d of p.discounts) if (!appliedIds.includes(d.ruleId)) appliedIds.push(d.ruleId);
  const subtotal = priced.reduce((a, p) => a + p.originalPrice, 0);
  const saved = priced.reduce((a, p) => a + p.saved, 0);
  return {
    lines: priced,
    subtotal,
    saved,
    total: subtotal - saved,
    applied: appliedIds,
    nearThresholds: dedupeNear(nearThresholds),
  };
}

function dedupeNear(near: PricingResult['nearThresholds']): PricingResult['nearThresholds'] {
  const seen = new Map<string, PricingResult['nearThresholds'][number]>();
  for (const n of near) if (!seen.has(n.ruleId)) seen.set(n.ruleId, n);
  return [...seen.values()].sort((a, b) => a.missing - b.missing || (a.ruleId < b.ruleId ? -1 : 1));
}
