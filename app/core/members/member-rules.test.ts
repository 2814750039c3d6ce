import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone } from './member-masking';
import { pointsForSale, pointsToTakeBack } from './points-rule';
import { repurchaseDue, usualItems } from './repurchase';

const rule = { fenPerPoint: 100, levelPercent: { silver: 100, gold: 150 } };

describe('masking', () => {
  it('shows the first three and last four digits of a mobile, +86 or not', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138-1234-5678')).toBe('138****5678');
    expect(normalizePhone('+8613812345678')).toBe('13812345678');
    expect(maskPhone('123456')).toBe('****56');
  });
  it('never shows the middle digits (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (p) => {
        const m = maskPhone(p);
        expect(m).toHaveLength(11);
        expect(m.slice(3, 7)).toBe('****');
        expect(m.slice(0, 3) + m.slice(7)).toBe(p.slice(0, 3) + p.slice(7));
      }),
    );
  });
});

describe('points rule', () => {
  it('earns one point per yuan, times the level percentage, rounded down', () => {
    expect(pointsForSale(6946, null, rule)).toBe(69);
    expect(pointsForSale(6946, 'silver', rule)).toBe(69);
    expect(pointsForSale(6946, 'gold', rule)).toBe(104);
    expect(pointsForSale(99, 'gold', rule)).toBe(1);
    expect(pointsForSale(0, 'gold', rule)).toBe(0);
  });
  it('after any sequence of returns the member keeps what the kept part earns; a full return takes all back', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 6 }),
        (total, earned, refunds) => {
          let refunded = 0;
          let held = earned;
          for (const r of refunds) {
            const now = Math.min(r, total - refunded);
            const back = pointsToTakeBack(earned, total, refunded, now);
            expect(back).toBeGreaterThanOrEqual(0);
            held -= back;
            refunded += now;
          }
          expect(held).toBe(Math.floor((earned * (total - refunded)) / total));
          held -= pointsToTakeBack(earned, total, refunded, total - refunded);
          expect(held).toBe(0);
        },
      ),
    );
  });
});

describe('usual items and repurchase due', () => {
  const at = (d: number) => new Date(Date.UTC(2026, 10, 1) + d * 86_400_000).toISOString();
  const buy = (sale: string, sku: string, day: number) => ({ saleId: sale, sku, name: sku, nameEn: sku, at: at(day) });
  it('milk every 7 days is due after 7 days; eggs bought twice are usual but have no interval yet', () => {
    const items = usualItems([
      buy('s1', 'milk', 0),
      buy('s2', 'milk', 7),
      buy('s3', 'milk', 14),
      buy('s1', 'eggs', 0),
      buy('s3', 'eggs', 14),
      buy('s2', 'bread', 7),
    ]);
    expect(items.map((i) => [i.sku, i.times, i.intervalDays])).toEqual([
      ['milk', 3, 7],
      ['eggs', 2, null],
    ]);
    expect(repurchaseDue(items, new Date(at(20)))).toEqual([]);
    expect(repurchaseDue(items, new Date(at(21)))).toEqual([
      { sku: 'milk', name: 'milk', nameEn: 'milk', intervalDays: 7, daysSince: 7 },
    ]);
  });
});
