// A coupon on a priced cart: it counts the lines in its scope after their promotions, takes its
// value, percent or one gift item off them, names itself on each line it touched, never takes a
// line below zero, and its fen add up exactly (spread by what each line costs).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyCoupon, priceCart, type CouponTerms, type PricingLine } from './index';

const line = (lineId: string, sku: string, category: string, quantity: number, unitPrice: number): PricingLine => ({
  lineId,
  sku,
  category,
  brand: null,
  unit: 'each',
  quantity,
  weightGrams: null,
  unitPrice,
  gross: quantity * unitPrice,
});
const price = (lines: PricingLine[]) =>
  priceCart({ lines, member: null, at: new Date('2026-12-01T10:00:00Z'), timeZone: 'Asia/Shanghai', rules: [] });
const coupon = (c: Partial<CouponTerms>): CouponTerms => ({
  code: 'CPNTEST',
  name: '满30减8',
  nameEn: '¥8 off ¥30',
  kind: 'value',
  value: 800,
  giftSku: null,
  minSpend: 0,
  skus: [],
  categories: [],
  ...c,
});

describe('a coupon on a priced cart', () => {
  it('a value coupon over its minimum spend is spread over the lines in scope by what they cost', () => {
    const lines = [line('1', 'milk', 'dairy', 2, 1850), line('2', 'bread', 'bakery', 1, 1200)];
    const { result, outcome } = applyCoupon(price(lines), lines, coupon({ minSpend: 3000 }));
    expect(outcome).toEqual({ amount: 800, eligible: 4900, shortBy: 0, missing: null });
    expect(result.total).toBe(4900 - 800);
    expect(result.lines.map((l) => l.discounts[0]?.amount)).toEqual([604, 196]);
    expect(result.lines[0]!.discounts[0]).toMatchObject({ ruleId: 'coupon:CPNTEST', name: '满30减8', kind: 'coupon' });
  });

  it('below the minimum spend of its scope it says how much is missing and takes nothing', () => {
    const lines = [line('1', 'milk', 'dairy', 1, 1850), line('2', 'bread', 'bakery', 3, 1200)];
    const { result, outcome } = applyCoupon(price(lines), lines, coupon({ minSpend: 3000, categories: ['dairy'] }));
    expect(outcome).toMatchObject({ amount: 0, shortBy: 1150 });
    expect(result.total).toBe(1850 + 3600);
  });

  it('a gift coupon frees one item of the gift SKU, or says the gift is missing', () => {
    const lines = [line('1', 'milk', 'dairy', 3, 1850)];
    expect(applyCoupon(price(lines), lines, coupon({ kind: 'gift', giftSku: 'milk' })).outcome.amount).toBe(1850);
    expect(applyCoupon(price(lines), lines, coupon({ kind: 'gift', giftSku: 'eggs' })).outcome.missing).toBe('gift');
    expect(applyCoupon(price(lines), lines, coupon({ skus: ['eggs'] })).outcome.missing).toBe('scope');
  });

  it('never below zero, and the fen off add up (random carts, value and percent coupons)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ q: fc.integer({ min: 1, max: 9 }), p: fc.integer({ min: 0, max: 5000 }) }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.constantFrom<'value' | 'percent'>('value', 'percent'),
        fc.integer({ min: 1, max: 100_000 }),
        (raw, kind, v) => {
          const lines = raw.map((r, i) => line(String(i), `s${i % 3}`, 'c', r.q, r.p));
          const before = price(lines);
          const c = coupon({ kind, value: kind === 'percent' ? (v % 100) + 1 : v });
          const { result, outcome } = applyCoupon(before, lines, c);
          expect(result.lines.every((l) => l.total >= 0)).toBe(true);
          expect(before.total - result.total).toBe(outcome.amount);
          expect(outcome.amount).toBeLessThanOrEqual(before.total);
        },
      ),
    );
  });
});
