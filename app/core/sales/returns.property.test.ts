// Property: whatever mix of lines, discounts, cash rounding and partial returns, refunds never
// exceed what was paid, never go negative, and add up exactly to the sale total once every
// line has been returned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';

const products = demoProducts();
const each = products.filter((p) => p.unit === 'each').slice(0, 30);
const weighed = products.filter((p) => p.unit === 'weighed');

let t: TestCore;
let mgr: string;
beforeAll(async () => {
  t = openTestCore();
  mgr = await t.login(PINS.manager);
});
afterAll(() => t.cleanup());

const lineArb = fc.oneof(
  fc.record({
    kind: fc.constant('each' as const),
    i: fc.nat(each.length - 1),
    quantity: fc.integer({ min: 1, max: 7 }),
    pct: fc.constantFrom(0, 0, 5, 33, 50),
  }),
  fc.record({
    kind: fc.constant('weighed' as const),
    i: fc.nat(weighed.length - 1),
    grams: fc.integer({ min: 1, max: 5000 }),
    pct: fc.constantFrom(0, 0, 5, 33),
  }),
);

describe('returns (property)', () => {
  it('refund totals stay within what was paid and settle exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('none', 'down', 'nearest') as fc.Arbitrary<'none' | 'down' | 'nearest'>,
        fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
        async (lines, mode, fractions) => {
          await t.ok('config.set', { patch: { cashRounding: { mode, unit: 10 } } }, mgr);
          for (const l of lines) {
            const r =
              l.kind === 'each'
                ? await t.ok('cart.add', { sku: each[l.i]!.sku, quantity: l.quantity }, mgr)
                : await t.ok('cart.add', { sku: weighed[l.i]!.sku, weightGrams: l.grams }, mgr);
            if (l.pct > 0) await t.ok('cart.lineDiscount', { lineId: r.lineId, kind: 'percent', value: l.pct }, mgr);
          }
          const cart = (await t.ok('cart.get', {}, mgr)).cart;
          if (cart.total === 0) {
            await t.ok('cart.void', { reason: 'zero' }, mgr);
            return;
          }
          const paid = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: cart.total + 100 }] }, mgr);
          let refunded = 0;
          for (const f of fractions) {
            const sale = (await t.ok('sales.get', { id: paid.saleId }, mgr)).sale;
            const req = sale.lines.flatMap<{ lineId: string; weightGrams?: number; quantity?: number }>((l) => {
              if (l.unit === 'weighed') {
                const left = (l.weightGrams ?? 0) - l.returnedWeightGrams;
                const w = Math.max(1, Math.floor(left * f));
                return left > 0 ? [{ lineId: l.lineId, weightGrams: Math.min(w, left) }] : [];
              }
              const left = l.quantity - l.returnedQuantity;
              const q = Math.max(1, Math.floor(left * f));
              return left > 0 ? [{ lineId: l.lineId, quantity: Math.min(q, left) }] : [];
            });
            if (req.length === 0) break;
            const r = (await t.ok('returns.create', { saleId: paid.saleId, lines: req, reason: 'prop' }, mgr)).return;
            expect(r.amount).toBeGreaterThanOrEqual(0);
            refunded += r.amount;
            expect(refunded).toBeLessThanOrEqual(paid.total);
          }
          // Return whatever is left: the refunds now add up to exactly what was paid.
          const sale = (await t.ok('sales.get', { id: paid.saleId }, mgr)).sale;
          const rest = sale.lines
            .filter(
              (l) =>
                (l.unit === 'weighed'
                  ? (l.weightGrams ?? 0) - l.returnedWeightGrams
                  : l.quantity - l.returnedQuantity) > 0,
            )
            .map((l) => ({ lineId: l.lineId }));
          if (rest.length > 0)
            refunded += (await t.ok('returns.create', { saleId: paid.saleId, lines: rest, reason: 'prop' }, mgr)).return
              .amount;
          expect(refunded).toBe(paid.total);
          const over = await t.fail(
            'returns.create',
            { saleId: paid.saleId, lines: [{ lineId: sale.lines[0]!.lineId }], reason: 'prop' },
            mgr,
          );
          expect(over.code).toBe('RETURN_EXCEEDS_SALE');
        },
      ),
      { numRuns: 12 },
    );
  });
});
