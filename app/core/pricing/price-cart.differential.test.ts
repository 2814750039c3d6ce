// The indexed engine (price-cart.ts with rule-index.ts) against the engine before the index
// (price-cart.reference.ts, kept for this test only): over random rule sets of every kind, window
// and member condition, random carts, members and instants in two zones (one with DST), the whole
// result must be the same: every line's price, discounts, what was considered, the choice, the
// 满减 spread, the near thresholds. Also: the compiled rules are cached per rules array and
// compiled afresh when the array changes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  priceCart,
  priceRuleSchema,
  type PriceRule,
  type PricingLine,
  type PricingMember,
  type PricingResult,
} from './index';
import { referencePriceCart } from './price-cart.reference';

/** The result with each line's explanation read (it is a getter, worked out when first read). */
const plain = (r: PricingResult) => ({ ...r, lines: r.lines.map((l) => ({ ...l, considered: l.considered })) });

const SKUS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const CATS = ['dairy', 'bakery', 'greens'];
const BRANDS = ['brandA', 'brandB'];
const ZONES = ['Asia/Shanghai', 'America/New_York'];

const lineArb = fc
  .record({
    sku: fc.constantFrom(...SKUS),
    weighed: fc.boolean(),
    quantity: fc.integer({ min: 1, max: 6 }),
    grams: fc.integer({ min: 1, max: 3000 }),
    unitPrice: fc.oneof(fc.constantFrom(500, 1000, 1500), fc.integer({ min: 0, max: 9000 })),
    label: fc.option(fc.integer({ min: 0, max: 20000 }), { nil: undefined, freq: 8 }),
  })
  .map((r): Omit<PricingLine, 'lineId'> => {
    const k = SKUS.indexOf(r.sku);
    const category = CATS[k % CATS.length]!;
    const brand = k % 3 === 0 ? BRANDS[k % 2]! : null;
    return r.weighed
      ? {
          sku: r.sku,
          category,
          brand,
          unit: 'weighed',
          quantity: 1,
          weightGrams: r.grams,
          unitPrice: r.unitPrice,
          gross: r.label ?? Math.floor((r.unitPrice * r.grams + 500) / 1000),
        }
      : {
          sku: r.sku,
          category,
          brand,
          unit: 'each',
          quantity: r.quantity,
          weightGrams: null,
          unitPrice: r.unitPrice,
          gross: r.unitPrice * r.quantity,
        };
  });

// Few distinct values, so rules often save the same fen and ties (priority, then id) decide.
const pct = fc.constantFrom(10, 20, 30, 50, 100);
const price = fc.constantFrom(0, 300, 500, 800, 1500);
const effectArb = fc.oneof(
  fc.record({ type: fc.constant('percent'), percentOff: fc.oneof(pct, fc.integer({ min: 1, max: 100 })) }),
  fc.record({ type: fc.constant('fixed_price'), price: fc.oneof(price, fc.integer({ min: 0, max: 9000 })) }),
  fc.record({
    type: fc.constant('member_price'),
    prices: fc.dictionary(fc.constantFrom('gold', 'silver'), price),
  }),
  fc.record({
    type: fc.constant('threshold'),
    spend: fc.constantFrom(1000, 2000, 5000, 12000),
    off: fc.constantFrom(100, 500, 1000, 3000),
    repeat: fc.boolean(),
  }),
  fc.record({ type: fc.constant('multi_buy'), n: fc.integer({ min: 2, max: 4 }), percentOff: pct }),
  fc.record({ type: fc.constant('nth_item'), n: fc.integer({ min: 2, max: 3 }), percentOff: pct }),
  fc.record({
    type: fc.constant('gift'),
    buy: fc.integer({ min: 1, max: 3 }),
    get: fc.integer({ min: 1, max: 2 }),
    giftSku: fc.constantFrom(...SKUS, 'zz'),
  }),
);

const targetArb = fc.oneof(
  fc.constant({}),
  fc.record({ skus: fc.subarray(SKUS, { minLength: 1 }) }),
  fc.record({ categories: fc.subarray(CATS, { minLength: 1 }) }),
  fc.record({ brands: fc.subarray(BRANDS, { minLength: 1 }) }),
  fc.record({ skus: fc.subarray(SKUS, { minLength: 1 }), categories: fc.subarray(CATS, { minLength: 1 }) }),
);

const instant = (min: string, max: string) =>
  fc.integer({ min: Date.parse(min), max: Date.parse(max) }).map((ms) => new Date(ms).toISOString());

const windowFields = fc.record(
  {
    from: instant('2026-02-25T00:00:00Z', '2026-03-15T00:00:00Z'),
    to: instant('2026-02-25T00:00:00Z', '2026-03-15T00:00:00Z'),
    hours: fc.constantFrom(
      { start: '08:00', end: '20:00' },
      { start: '19:30', end: '02:00' },
      { start: '22:00', end: '06:00' },
      { start: '10:00', end: '10:00' },
    ),
    weekdays: fc.subarray([1, 2, 3, 4, 5, 6, 7]),
    dates: fc.subarray(['2026-03-01', '2026-03-07', '2026-03-08', '2026-03-09']),
    monthDays: fc.subarray([1, 7, 8, 9, 28]),
  },
  { requiredKeys: [] },
);
// Mostly open rules (so they compete on the lines), some with windows of every kind.
const windowArb = fc.oneof({ arbitrary: fc.constant({}), weight: 3 }, { arbitrary: windowFields, weight: 1 });

const membersArb = fc.option(
  fc.record(
    {
      required: fc.boolean(),
      levels: fc.subarray(['gold', 'silver']),
      tags: fc.subarray(['fresh', 'vip']),
      birthday: fc.constantFrom('day' as const, 'month' as const),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined, freq: 1 },
);

const rulesArb = fc
  .array(
    fc.record({
      effect: effectArb,
      target: targetArb,
      stacking: fc.constantFrom('exclusive', 'exclusive', 'exclusive', 'stackable'),
      priority: fc.integer({ min: -2, max: 2 }),
      window: windowArb,
      members: membersArb,
      active: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
    }),
    { maxLength: 30 },
  )
  .map((rs) =>
    rs.map((r, i): PriceRule =>
      priceRuleSchema.parse({
        // Ids out of order with the array, so ties on priority are decided by id, not position.
        id: `r${String((i * 7) % 31).padStart(2, '0')}-${i}`,
        name: `规则 ${i}`,
        nameEn: `rule ${i}`,
        effect: r.effect,
        target: r.target,
        stacking: r.stacking,
        priority: r.priority,
        window: r.window,
        active: r.active,
        ...(r.members ? { members: r.members } : {}),
      }),
    ),
  );

const memberArb: fc.Arbitrary<PricingMember | null> = fc.option(
  fc.record({
    id: fc.constant('m'),
    level: fc.constantFrom('gold', 'silver', 'none'),
    tags: fc.subarray(['fresh', 'vip']),
    birthday: fc.constantFrom(null, '1990-03-08', '03-01', '1985-03-20', '2000-12-31'),
  }),
  { nil: null },
);
// Around the US DST change (2026-03-08) and across several days, so windows, dates and 会员日 open and close.
const atArb = fc
  .integer({ min: Date.parse('2026-02-28T00:00:00Z'), max: Date.parse('2026-03-12T00:00:00Z') })
  .map((ms) => new Date(ms));
const cartArb = fc
  .array(lineArb, { maxLength: 14 })
  .map((ls) => ls.map((l, i) => ({ ...l, lineId: `L${String((i * 5) % 17).padStart(2, '0')}` })));

describe('indexed pricing engine = the engine before the index', () => {
  it('same result on random carts, rules, members, instants and zones', () => {
    fc.assert(
      fc.property(cartArb, rulesArb, memberArb, atArb, fc.constantFrom(...ZONES), (lines, rules, member, at, tz) => {
        const input = { lines, member, at, timeZone: tz, rules };
        expect(plain(priceCart(input))).toEqual(referencePriceCart(input));
      }),
      { numRuns: 1500 },
    );
  });

  it('same result when one rule set prices many carts (the cached index) and after the set changes', () => {
    fc.assert(
      fc.property(
        rulesArb,
        fc.array(cartArb, { minLength: 2, maxLength: 6 }),
        memberArb,
        atArb,
        rulesArb,
        (rules, carts, member, at, more) => {
          const tz = 'Asia/Shanghai';
          const held = [...rules];
          for (const lines of carts)
            expect(plain(priceCart({ lines, member, at, timeZone: tz, rules: held }))).toEqual(
              referencePriceCart({ lines, member, at, timeZone: tz, rules: held }),
            );
          // The same array changed in place: the index must follow.
          held.push(...more.map((r) => ({ ...r, id: `x-${r.id}` })));
          held.reverse();
          for (const lines of carts)
            expect(plain(priceCart({ lines, member, at, timeZone: tz, rules: held }))).toEqual(
              referencePriceCart({ lines, member, at, timeZone: tz, rules: held }),
            );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('same result when store-wide exclusive percents and prices save the same fen after rounding', () => {
    // The engine picks the best store-wide exclusive percent or price without walking them (the
    // highest percent and the lowest price save most); small amounts and weights make different
    // percents and prices round to the same saving, so priority and id must still decide.
    const smallLine = fc
      .record({
        sku: fc.constantFrom(...SKUS),
        weighed: fc.boolean(),
        quantity: fc.integer({ min: 0, max: 3 }),
        grams: fc.integer({ min: 0, max: 40 }),
        unitPrice: fc.integer({ min: 0, max: 300 }),
      })
      .map((r): Omit<PricingLine, 'lineId'> => ({
        sku: r.sku,
        category: CATS[SKUS.indexOf(r.sku) % CATS.length]!,
        brand: null,
        unit: r.weighed ? 'weighed' : 'each',
        quantity: r.weighed ? 1 : r.quantity,
        weightGrams: r.weighed ? r.grams : null,
        unitPrice: r.unitPrice,
        gross: r.weighed ? Math.floor((r.unitPrice * r.grams + 500) / 1000) : r.unitPrice * r.quantity,
      }));
    const storeWide = fc.array(
      fc.record({
        effect: fc.oneof(
          fc.record({ type: fc.constant('percent'), percentOff: fc.integer({ min: 1, max: 100 }) }),
          fc.record({ type: fc.constant('fixed_price'), price: fc.integer({ min: 0, max: 400 }) }),
          fc.record({
            type: fc.constant('member_price'),
            prices: fc.record({ gold: fc.integer({ min: 0, max: 400 }) }),
          }),
        ),
        stacking: fc.constantFrom('exclusive', 'exclusive', 'exclusive', 'stackable'),
        priority: fc.integer({ min: -1, max: 1 }),
      }),
      { maxLength: 25 },
    );
    fc.assert(
      fc.property(fc.array(smallLine, { maxLength: 8 }), storeWide, rulesArb, memberArb, (ls, wide, other, member) => {
        const lines = ls.map((l, i) => ({ ...l, lineId: `L${i}` }));
        const rules = [
          ...wide.map((r, i) => priceRuleSchema.parse({ id: `w${(i * 11) % 25}-${i}`, name: `w${i}`, ...r })),
          ...other,
        ];
        const input = { lines, member, at: new Date('2026-03-01T04:00:00Z'), timeZone: 'Asia/Shanghai', rules };
        expect(plain(priceCart(input))).toEqual(referencePriceCart(input));
      }),
      { numRuns: 1500 },
    );
  });

  it('a whole-store 第二件半价 and a SKU rule on a line scanned twice (one line id) price as before', () => {
    const rules = [
      priceRuleSchema.parse({ id: 'n2', name: '第二件半价', effect: { type: 'nth_item', n: 2, percentOff: 50 } }),
      priceRuleSchema.parse({
        id: 'mb',
        name: '3件8折',
        target: { skus: ['a'] },
        effect: { type: 'multi_buy', n: 3, percentOff: 20 },
      }),
    ];
    const line = (sku: string, lineId: string): PricingLine => ({
      lineId,
      sku,
      category: 'dairy',
      brand: null,
      unit: 'each',
      quantity: 2,
      weightGrams: null,
      unitPrice: 500,
      gross: 1000,
    });
    const lines = [line('a', 'same'), line('b', 'same'), line('a', 'x')];
    const input = { lines, member: null, at: new Date('2026-03-01T12:00:00Z'), timeZone: 'Asia/Shanghai', rules };
    const r = priceCart(input);
    expect(plain(r)).toEqual(referencePriceCart(input));
    expect(r.saved).toBeGreaterThan(0);
  });

  it('a rule that opens within a minute opens at its second, also when the minute was priced before', () => {
    const rules = [
      priceRuleSchema.parse({
        id: 'md',
        name: '晚间打折',
        window: { from: '2026-03-01T11:30:30.000Z' },
        effect: { type: 'percent', percentOff: 30 },
      }),
      priceRuleSchema.parse({
        id: 'gold',
        name: '会员价',
        members: { levels: ['gold'] },
        effect: { type: 'member_price', prices: { gold: 400 } },
      }),
    ];
    const lines: PricingLine[] = [
      {
        lineId: 'l',
        sku: 'a',
        category: 'dairy',
        brand: null,
        unit: 'each',
        quantity: 1,
        weightGrams: null,
        unitPrice: 1000,
        gross: 1000,
      },
    ];
    const gold: PricingMember = { id: 'm', level: 'gold', tags: [] };
    const at = (iso: string) => new Date(iso);
    const price = (iso: string, member: PricingMember | null) =>
      priceCart({ lines, member, at: at(iso), timeZone: 'Asia/Shanghai', rules }).total;
    expect(price('2026-03-01T11:30:10Z', null)).toBe(1000);
    expect(price('2026-03-01T11:30:40Z', null)).toBe(700);
    expect(price('2026-03-01T11:30:50Z', gold)).toBe(280); // 会员价 ¥4, then −30 % (both stackable)
    expect(price('2026-03-01T11:30:55Z', null)).toBe(700);
    expect(price('2026-03-01T11:30:20Z', null)).toBe(1000);
    expect(price('2026-03-01T11:31:20Z', { ...gold, level: 'silver' })).toBe(700);
  });
});
