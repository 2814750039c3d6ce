// Properties of the pricing engine over random carts and random rule sets:
// - no line and no total ever goes below zero, and savings add up (total = subtotal − saved);
// - when every rule is exclusive, no line saves more than the best single rule would (the
//   line phase); more than that needs rules that say `stackable`;
// - the order of scanning (the order of the lines) never changes any line's price nor the total;
// - pricing is deterministic (same input, same output).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { priceCart, priceRuleSchema, type PriceRule, type PricingLine, type PricingMember } from './index';

const TZ = 'Asia/Shanghai';
const SKUS = ['a', 'b', 'c', 'd', 'e'];
const CATS = ['dairy', 'bakery', 'greens'];
const LEVELS = ['gold', 'silver'];

const lineArb = fc
  .record({
    sku: fc.constantFrom(...SKUS),
    weighed: fc.boolean(),
    quantity: fc.integer({ min: 1, max: 12 }),
    grams: fc.integer({ min: 1, max: 5000 }),
    unitPrice: fc.integer({ min: 0, max: 20000 }),
  })
  .map((r): Omit<PricingLine, 'lineId'> => {
    const category = CATS[SKUS.indexOf(r.sku) % CATS.length]!;
    return r.weighed
      ? {
          sku: r.sku,
          category,
          brand: null,
          unit: 'weighed',
          quantity: 1,
          weightGrams: r.grams,
          unitPrice: r.unitPrice,
          gross: Math.floor((r.unitPrice * r.grams + 500) / 1000),
        }
      : {
          sku: r.sku,
          category,
          brand: r.sku === 'a' ? 'brandA' : null,
          unit: 'each',
          quantity: r.quantity,
          weightGrams: null,
          unitPrice: r.unitPrice,
          gross: r.unitPrice * r.quantity,
        };
  });

const effectArb = fc.oneof(
  fc.record({ type: fc.constant('percent'), percentOff: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ type: fc.constant('fixed_price'), price: fc.integer({ min: 0, max: 20000 }) }),
  fc.record({
    type: fc.constant('member_price'),
    prices: fc.record({ gold: fc.integer({ min: 0, max: 20000 }), silver: fc.integer({ min: 0, max: 20000 }) }),
  }),
  fc.record({
    type: fc.constant('threshold'),
    spend: fc.integer({ min: 1, max: 50000 }),
    off: fc.integer({ min: 1, max: 60000 }),
    repeat: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('multi_buy'),
    n: fc.integer({ min: 2, max: 4 }),
    percentOff: fc.integer({ min: 1, max: 100 }),
  }),
  fc.record({
    type: fc.constant('nth_item'),
    n: fc.integer({ min: 2, max: 3 }),
    percentOff: fc.integer({ min: 1, max: 100 }),
  }),
  fc.record({
    type: fc.constant('gift'),
    buy: fc.integer({ min: 1, max: 3 }),
    get: fc.integer({ min: 1, max: 2 }),
    giftSku: fc.constantFrom(...SKUS),
  }),
);

const targetArb = fc.oneof(
  fc.constant({}),
  fc.record({ skus: fc.subarray(SKUS, { minLength: 1 }) }),
  fc.record({ categories: fc.subarray(CATS, { minLength: 1 }) }),
  fc.constant({ brands: ['brandA'] }),
);

const rulesArb = (stacking: fc.Arbitrary<'exclusive' | 'stackable'>) =>
  fc
    .array(
      fc.record({
        effect: effectArb,
        target: targetArb,
        stacking,
        priority: fc.integer({ min: -3, max: 3 }),
        hours: fc.option(fc.constantFrom({ start: '08:00', end: '20:00' }, { start: '19:30', end: '02:00' }), {
          nil: undefined,
        }),
      }),
      { maxLength: 6 },
    )
    .map((rs) =>
      rs.map((r, i): PriceRule =>
        priceRuleSchema.parse({
          id: `r${i}`,
          name: `rule ${i}`,
          effect: r.effect,
          target: r.target,
          stacking: r.stacking,
          priority: r.priority,
          window: r.hours ? { hours: r.hours } : {},
        }),
      ),
    );

const memberArb: fc.Arbitrary<PricingMember | null> = fc.option(
  fc.record({ id: fc.constant('m'), level: fc.constantFrom(...LEVELS, 'none'), tags: fc.constant([]) }),
  { nil: null },
);
const atArb = fc
  .integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') })
  .map((ms) => new Date(ms));
const cartArb = fc
  .array(lineArb, { maxLength: 10 })
  .map((ls) => ls.map((l, i) => ({ ...l, lineId: `L${String(i).padStart(2, '0')}` })));

describe('pricing engine properties', () => {
  it('never below zero; totals add up; deterministic', () => {
    fc.assert(
      fc.property(
        cartArb,
        rulesArb(fc.constantFrom('exclusive', 'stackable')),
        memberArb,
        atArb,
        (lines, rules, member, at) => {
          const r = priceCart({ lines, member, at, timeZone: TZ, rules });
          for (const l of r.lines) {
            expect(l.total).toBeGreaterThanOrEqual(0);
            expect(l.saved).toBeGreaterThanOrEqual(0);
            expect(l.saved).toBe(l.discounts.reduce((a, d) => a + d.amount, 0));
            expect(l.total).toBe(l.originalPrice - l.saved);
            for (const d of l.discounts) expect(d.amount).toBeGreaterThan(0);
          }
          expect(r.total).toBe(r.subtotal - r.saved);
          expect(r.total).toBeGreaterThanOrEqual(0);
          expect(priceCart({ lines, member, at, timeZone: TZ, rules })).toEqual(r);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('with only exclusive rules, a line saves no more than the best single rule (before 满减)', () => {
    fc.assert(
      fc.property(cartArb, rulesArb(fc.constant('exclusive')), memberArb, atArb, (lines, rules, member, at) => {
        const lineRules = rules.filter((x) => x.effect.type !== 'threshold');
        const all = priceCart({ lines, member, at, timeZone: TZ, rules: lineRules });
        all.lines.forEach((l, i) => {
          const bestSingle = Math.max(
            0,
            ...lineRules.map((one) => priceCart({ lines, member, at, timeZone: TZ, rules: [one] }).lines[i]!.saved),
          );
          expect(l.saved).toBe(bestSingle);
          expect(l.discounts.length).toBeLessThanOrEqual(1);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('the order of scanning never changes the total or any line', () => {
    fc.assert(
      fc.property(
        cartArb,
        rulesArb(fc.constantFrom('exclusive', 'stackable')),
        memberArb,
        atArb,
        fc.infiniteStream(fc.nat()),
        (lines, rules, member, at, rnd) => {
          const shuffled = lines
            .map((l) => ({ l, k: rnd.next().value }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.l);
          const a = priceCart({ lines, member, at, timeZone: TZ, rules });
          const b = priceCart({ lines: shuffled, member, at, timeZone: TZ, rules });
          expect(b.total).toBe(a.total);
          const byId = new Map(a.lines.map((l) => [l.lineId, l.total]));
          for (const l of b.lines) expect(l.total).toBe(byId.get(l.lineId));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('one more rule never makes the cart dearer when every rule is exclusive (best price)', () => {
    fc.assert(
      fc.property(cartArb, rulesArb(fc.constant('exclusive')), memberArb, atArb, (lines, rules, member, at) => {
        const lineRules = rules.filter((x) => x.effect.type !== 'threshold');
        if (lineRules.length === 0) return;
        const fewer = priceCart({ lines, member, at, timeZone: TZ, rules: lineRules.slice(1) });
        const more = priceCart({ lines, member, at, timeZone: TZ, rules: lineRules });
        expect(more.total).toBeLessThanOrEqual(fewer.total);
      }),
      { numRuns: 300 },
    );
  });
});
