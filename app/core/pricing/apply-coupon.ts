// A coupon on a priced cart (pure): after the promotions, the coupon takes its value, its percent
// or one gift item off the lines in its scope, and shows as a discount named after the coupon on
// those lines. The minimum spend counts the lines in scope after their promotions (what the
// customer would pay for them), so a coupon never stacks on a price it helped reach. A value or
// percent is spread over the lines in scope in proportion to what they cost (largest remainder),
// so a return refunds exactly what its line was paid. Never below zero.
import { spread, type PricedLine, type PricingLine, type PricingResult } from './price-cart';

/** What pricing needs of a coupon (sync/core's Coupon has this shape). */
export interface CouponTerms {
  code: string;
  name: string;
  nameEn: string;
  kind: 'value' | 'percent' | 'gift';
  value: number;
  giftSku: string | null;
  minSpend: number;
  skus: readonly string[];
  categories: readonly string[];
}

export interface CouponOutcome {
  /** Fen the coupon took off. */
  amount: number;
  /** What the lines in scope cost after promotions. */
  eligible: number;
  /** Fen missing to reach the minimum spend (0 when reached). */
  shortBy: number;
  /** Why nothing came off: nothing in scope, or (gift) the gift item is not on the cart. */
  missing: 'scope' | 'gift' | null;
}

export function couponTargetsLine(c: CouponTerms, line: Pick<PricingLine, 'sku' | 'category'>): boolean {
  if (c.skus.length === 0 && c.categories.length === 0) return true;
  return c.skus.includes(line.sku) || c.categories.includes(line.category);
}

const roundHalfUp = (n: number) => Math.floor(n + 0.5);

function withDiscount(p: PricedLine, c: CouponTerms, amount: number): PricedLine {
  if (amount <= 0) return p;
  return {
    lineId: p.lineId,
    originalPrice: p.originalPrice,
    discounts: [...p.discounts, { ruleId: `coupon:${c.code}`, name: c.name, nameEn: c.nameEn, kind: 'coupon', amount }],
    saved: p.saved + amount,
    total: p.total - amount,
    considered: p.considered, // worked out here, for the few lines a coupon touches
    choice: p.choice,
  };
}

/** The priced cart with the coupon applied, and what it did. `lines` are the engine's input lines. */
export function applyCoupon(
  result: PricingResult,
  lines: readonly PricingLine[],
  coupon: CouponTerms,
): { result: PricingResult; outcome: CouponOutcome } {
  const byId = new Map(lines.map((l) => [l.lineId, l]));
  const inScope = result.lines.filter((p) => {
    const l = byId.get(p.lineId);
    return l !== undefined && couponTargetsLine(coupon, l);
  });
  const eligible = inScope.reduce((a, p) => a + p.total, 0);
  const none = (missing: CouponOutcome['missing'], shortBy = 0) => ({
    result,
    outcome: { amount: 0, eligible, shortBy, missing },
  });
  if (inScope.length === 0) return none('scope');
  if (eligible < coupon.minSpend) return none(null, coupon.minSpend - eligible);
  const offs = new Map<string, number>();
  if (coupon.kind === 'gift') {
    // One item of the gift SKU, the dearest one on the cart (ties by line id), whatever scope says.
    const gifts = result.lines
      .map((p) => ({ p, l: byId.get(p.lineId)! }))
      .filter(({ l }) => l.sku === coupon.giftSku && l.unit === 'each' && l.quantity > 0)
      .sort((a, b) => b.l.unitPrice - a.l.unitPrice || (a.p.lineId < b.p.lineId ? -1 : 1));
    const g = gifts.find(({ p }) => p.total > 0);
    if (!g) return none('gift');
    offs.set(g.p.lineId, Math.min(g.p.total, Math.ceil(g.p.total / g.l.quantity)));
  } else {
    const off =
      coupon.kind === 'value'
        ? Math.min(coupon.value, eligible)
        : Math.min(eligible, roundHalfUp((eligible * coupon.value) / 100));
    const shares = spread(
      off,
      inScope.map((p) => p.total),
    );
    inScope.forEach((p, i) => offs.set(p.lineId, shares[i]!));
  }
  const pricedLines = result.lines.map((p) => withDiscount(p, coupon, offs.get(p.lineId) ?? 0));
  const amount = [...offs.values()].reduce((a, b) => a + b, 0);
  return {
    result: {
      ...result,
      lines: pricedLines,
      saved: result.saved + amount,
      total: result.total - amount,
      applied: amount > 0 ? [...result.applied, `coupon:${coupon.code}`] : result.applied,
    },
    outcome: { amount, eligible, shortBy: 0, missing: null },
  };
}
