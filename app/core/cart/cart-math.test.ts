import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildCart, discountAmount, effectiveDiscountPercent, lineGross, weighedPrice, type LineState } from './index';
import { approvalCovers, cashierLimitFen } from './cart-math';

describe('cart arithmetic', () => {
  it('prices weighed items per kg, rounding half up to the fen', () => {
    expect(weighedPrice(698, 1234)).toBe(861); // 861.332
    expect(weighedPrice(1000, 1500)).toBe(1500);
    expect(weighedPrice(999, 500)).toBe(500); // 499.5 -> 500
    expect(weighedPrice(999, 499)).toBe(499); // 498.501 -> 499
  });

  it('keeps 0 <= discount <= gross and totals consistent for any line', () => {
    const line = fc.record({
      unit: fc.constantFrom('each', 'weighed') as fc.Arbitrary<'each' | 'weighed'>,
      quantity: fc.integer({ min: 1, max: 9999 }),
      weightGrams: fc.integer({ min: 1, max: 1_000_000 }),
      unitPrice: fc.integer({ min: 0, max: 1_000_000 }),
      kind: fc.constantFrom('percent', 'amount', null) as fc.Arbitrary<'percent' | 'amount' | null>,
      value: fc.integer({ min: 0, max: 2_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 0, maxLength: 10 }), (ls) => {
        const states: LineState[] = ls.map((l, i) => ({
          lineId: String(i),
          sku: 's',
          name: 'n',
          nameEn: 'n',
          unit: l.unit,
          quantity: l.unit === 'weighed' ? 1 : l.quantity,
          weightGrams: l.unit === 'weighed' ? l.weightGrams : null,
          unitPrice: l.unitPrice,
          fixedGross: null,
          discountKind: l.kind,
          discountValue: l.value,
          barcode: null,
          approval: null,
        }));
        const cart = buildCart('c', states, '2026-11-29T00:00:00Z');
        for (const l of cart.lines) {
          expect(Number.isInteger(l.gross)).toBe(true);
          expect(l.discount).toBeGreaterThanOrEqual(0);
          expect(l.discount).toBeLessThanOrEqual(l.gross);
          expect(l.total).toBe(l.gross - l.discount);
        }
        expect(cart.total).toBe(cart.subtotal - cart.discount);
        expect(cart.subtotal).toBe(states.reduce((s, l) => s + lineGross(l), 0));
      }),
    );
  });

  it('computes the effective percent of an amount discount for the cashier limit', () => {
    expect(effectiveDiscountPercent(3700, 'amount', 370)).toBe(10);
    expect(effectiveDiscountPercent(3700, 'amount', 371)).toBeGreaterThan(10);
    expect(effectiveDiscountPercent(3700, 'percent', 15)).toBe(15);
    expect(discountAmount(3700, 'percent', 10)).toBe(370);
    expect(discountAmount(999, 'percent', 50)).toBe(500); // 499.5 -> 500
  });

  it('an approval covers what it was given for and less, never more fen or a larger share', () => {
    expect(cashierLimitFen(3700, 10)).toBe(370);
    // 50 % of one milk (925 of 1850) approved:
    const a = { approvedById: 'm', amount: 925, gross: 1850, quantity: 1, weightGrams: null };
    expect(approvalCovers(a, 1850, 925)).toBe(true);
    expect(approvalCovers(a, 925 * 2 * 9999, 925 * 9999)).toBe(false); // 9,999 items at 50 %
    expect(approvalCovers(a, 925, 925)).toBe(false); // the same fen on half the line is 100 %
    expect(approvalCovers(null, 1850, 1)).toBe(false);
    expect(approvalCovers(null, 1850, 0)).toBe(true);
    // Weighed lines pass 2^53 when cross-multiplied; the comparison must stay exact.
    const big = { approvedById: 'm', amount: 99_999_999, gross: 100_000_000, quantity: 1, weightGrams: 1_000_000 };
    expect(approvalCovers(big, 100_000_001, 99_999_999)).toBe(true);
    expect(approvalCovers(big, 99_999_999, 99_999_999)).toBe(false);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 200_000_000 }),
        fc.integer({ min: 0, max: 200_000_000 }),
        (gross, pct, gross2, fen2) => {
          const amount = discountAmount(gross, 'percent', pct);
          const approval = { approvedById: 'm', amount, gross, quantity: 1, weightGrams: null };
          expect(approvalCovers(approval, gross, amount)).toBe(true);
          const fen = Math.min(fen2, gross2);
          if (approvalCovers(approval, gross2, fen)) {
            expect(fen).toBeLessThanOrEqual(amount);
            expect(fen / gross2).toBeLessThanOrEqual(amount / gross + 1e-12);
          }
        },
      ),
    );
  });
});
