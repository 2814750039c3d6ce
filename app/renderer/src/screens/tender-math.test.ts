import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { shortfall, tenderSummary } from './tender-math';

const down10 = { mode: 'down' as const, unit: 10 };

describe('tender math', () => {
  it('rounds the due amount only while the sale is paid wholly in cash', () => {
    expect(tenderSummary(1234, [], down10, true)).toEqual({
      due: 1230,
      paid: 0,
      remaining: 1230,
      remainingExact: 1234,
    });
    expect(tenderSummary(1234, [], down10, false).due).toBe(1234);
    const card = { type: 'card' as const, amount: 234 };
    expect(tenderSummary(1234, [card], down10, true)).toEqual({
      due: 1234,
      paid: 234,
      remaining: 1000,
      remainingExact: 1000,
    });
  });

  it('never shows a negative remainder', () => {
    expect(tenderSummary(1000, [{ type: 'cash', amount: 5000 }], down10, true).remaining).toBe(0);
  });

  it('knows when a tender list covers the sale', () => {
    expect(shortfall(1234, [{ type: 'cash', amount: 1230 }], down10)).toBe(0);
    expect(
      shortfall(
        1234,
        [
          { type: 'card', amount: 1000 },
          { type: 'cash', amount: 230 },
        ],
        down10,
      ),
    ).toBe(4);
    expect(shortfall(1234, [{ type: 'payment_code', amount: 1234, code: '134567890123456789' }], down10)).toBe(0);
  });

  it('agrees with itself: the remainder paid in the same kind leaves no shortfall', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e7 }),
        fc.integer({ min: 0, max: 1e7 }),
        fc.boolean(),
        (total, part, cashLast) => {
          const first = { type: 'card' as const, amount: Math.min(part, total) };
          const tenders = first.amount > 0 ? [first] : [];
          const s = tenderSummary(total, tenders, down10, cashLast);
          const last = cashLast
            ? { type: 'cash' as const, amount: s.remaining }
            : { type: 'card' as const, amount: s.remainingExact };
          expect(shortfall(total, [...tenders, last], down10)).toBe(0);
        },
      ),
    );
  });
});

describe('quick cash amounts', () => {
  it('offers the next round notes at or above what is left, smallest first', async () => {
    const { quickCashAmounts } = await import('./tender-math');
    expect(quickCashAmounts(9673)).toEqual([10000]);
    expect(quickCashAmounts(1280)).toEqual([2000, 5000, 10000]);
    expect(quickCashAmounts(3410)).toEqual([4000, 5000, 10000]);
    expect(quickCashAmounts(12345)).toEqual([13000, 14000, 15000, 20000]);
    expect(quickCashAmounts(0)).toEqual([]);
  });
});
