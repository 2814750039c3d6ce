// Each rule kind on a small cart, as a cashier would see it: what the line costs, which rule took
// what off, and what the customer saved. Times are store-local (Asia/Shanghai, UTC+8, no DST).
import { describe, expect, it } from 'vitest';
import {
  instantOfLocal,
  priceCart,
  priceRuleSchema,
  windowOpen,
  type PriceRuleInput,
  type PricingLine,
  type PricingMember,
} from './index';

const TZ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);
const rule = (r: Omit<PriceRuleInput, 'name'> & { name?: string }) => priceRuleSchema.parse({ name: r.id, ...r });
const each = (lineId: string, sku: string, unitPrice: number, quantity = 1, category = 'dairy'): PricingLine => ({
  lineId,
  sku,
  category,
  brand: null,
  unit: 'each',
  quantity,
  weightGrams: null,
  unitPrice,
  gross: unitPrice * quantity,
});
const weighed = (lineId: string, sku: string, perKg: number, grams: number, category = 'greens'): PricingLine => ({
  lineId,
  sku,
  category,
  brand: null,
  unit: 'weighed',
  quantity: 1,
  weightGrams: grams,
  unitPrice: perKg,
  gross: Math.floor((perKg * grams + 500) / 1000),
});
const gold: PricingMember = { id: 'm1', level: 'gold', tags: ['new'], birthday: '1990-12-05' };
const NOON = at('2026-12-05T12:00:00'); // a Saturday

describe('rule kinds', () => {
  it('a member price per level applies to members of that level only', () => {
    const r = rule({
      id: 'mp',
      effect: { type: 'member_price', prices: { gold: 1500, silver: 1700 } },
      target: { skus: ['milk'] },
    });
    const lines = [each('l1', 'milk', 1850, 2)];
    expect(priceCart({ lines, member: gold, at: NOON, timeZone: TZ, rules: [r] }).lines[0]).toMatchObject({
      originalPrice: 3700,
      saved: 700,
      total: 3000,
      discounts: [{ ruleId: 'mp', amount: 700 }],
    });
    expect(priceCart({ lines, member: null, at: NOON, timeZone: TZ, rules: [r] }).saved).toBe(0);
    const bronze = { ...gold, level: 'bronze' };
    expect(priceCart({ lines, member: bronze, at: NOON, timeZone: TZ, rules: [r] }).saved).toBe(0);
  });

  it('a percent off a category and a fixed price per kg on a weighed item', () => {
    const pct = rule({
      id: 'bakery30',
      effect: { type: 'percent', percentOff: 30 },
      target: { categories: ['bakery'] },
    });
    const kg = rule({ id: 'spinach', effect: { type: 'fixed_price', price: 600 }, target: { skus: ['spinach'] } });
    const r = priceCart({
      lines: [each('b', 'bread', 1250, 1, 'bakery'), weighed('s', 'spinach', 1000, 455), each('m', 'milk', 1850)],
      member: null,
      at: NOON,
      timeZone: TZ,
      rules: [pct, kg],
    });
    expect(r.lines.map((l) => [l.originalPrice, l.saved, l.total])).toEqual([
      [1250, 375, 875], // round-half-up(1250 × 30 %) = 375
      [455, 182, 273], // ¥6.00/kg × 455 g = 273 fen
      [1850, 0, 1850],
    ]);
  });

  it('满减 per order: ¥100 off every ¥300 is spread over the lines in proportion', () => {
    const r = rule({
      id: 'mj',
      name: '满300减100',
      effect: { type: 'threshold', spend: 30000, off: 10000, repeat: true },
    });
    const lines = [each('a', 'oil', 20000), each('b', 'rice', 15000), each('c', 'salt', 5000)];
    const res = priceCart({ lines, member: null, at: NOON, timeZone: TZ, rules: [r] });
    expect(res.saved).toBe(10000);
    expect(res.lines.map((l) => l.saved)).toEqual([5000, 3750, 1250]);
    const below = priceCart({ lines: lines.slice(0, 1), member: null, at: NOON, timeZone: TZ, rules: [r] });
    expect(below.saved).toBe(0);
    expect(below.nearThresholds).toEqual([
      { ruleId: 'mj', name: '满300减100', nameEn: '', missing: 10000, off: 10000 },
    ]);
  });

  it('满减 per category counts only that category', () => {
    const r = rule({
      id: 'fruit',
      effect: { type: 'threshold', spend: 5000, off: 1000 },
      target: { categories: ['fruit'] },
    });
    const lines = [each('a', 'apple', 3000, 1, 'fruit'), each('b', 'milk', 9000), each('c', 'pear', 1500, 1, 'fruit')];
    expect(priceCart({ lines, member: null, at: NOON, timeZone: TZ, rules: [r] }).saved).toBe(0);
    const more = [...lines, each('d', 'pear', 1500, 1, 'fruit')];
    const res = priceCart({ lines: more, member: null, at: NOON, timeZone: TZ, rules: [r] });
    expect(res.saved).toBe(1000);
    expect(res.lines[1]!.saved).toBe(0);
  });

  it('第二件半价 takes half off the cheaper item of each pair; N件M折 discounts complete groups', () => {
    const half = rule({
      id: 'half',
      effect: { type: 'nth_item', n: 2, percentOff: 50 },
      target: { categories: ['yogurt'] },
    });
    const lines = [each('a', 'y1', 800, 1, 'yogurt'), each('b', 'y2', 600, 2, 'yogurt')];
    const r = priceCart({ lines, member: null, at: NOON, timeZone: TZ, rules: [half] });
    // Units dearest first: 800, 600, 600 → the 2nd (600) is half price; the 3rd has no partner.
    expect(r.saved).toBe(300);
    const three = rule({
      id: '3for8',
      effect: { type: 'multi_buy', n: 3, percentOff: 20 },
      target: { categories: ['yogurt'] },
    });
    const r2 = priceCart({
      lines: [each('a', 'y1', 1000, 4, 'yogurt')],
      member: null,
      at: NOON,
      timeZone: TZ,
      rules: [three],
    });
    expect(r2.saved).toBe(600); // 3 of 4 items at −20 %
  });

  it('buy 2 get 1: the gift line costs ¥0 (and stays a line, so its stock still moves)', () => {
    const g = rule({
      id: 'gift',
      effect: { type: 'gift', buy: 2, get: 1, giftSku: 'cup' },
      target: { skus: ['coffee'] },
    });
    const lines = [each('a', 'coffee', 4500, 2), each('b', 'cup', 900, 1)];
    const r = priceCart({ lines, member: null, at: NOON, timeZone: TZ, rules: [g] });
    expect(r.lines[1]).toMatchObject({ originalPrice: 900, total: 0, discounts: [{ ruleId: 'gift', kind: 'gift' }] });
    expect(r.lines[0]!.saved).toBe(0);
    const same = rule({
      id: 'b2g1',
      effect: { type: 'gift', buy: 2, get: 1, giftSku: 'egg' },
      target: { skus: ['egg'] },
    });
    const r2 = priceCart({ lines: [each('e', 'egg', 100, 7)], member: null, at: NOON, timeZone: TZ, rules: [same] });
    expect(r2.saved).toBe(200); // 7 eggs: two groups of 3, 2 free
  });
});

describe('stacking and the best price', () => {
  const lines = [each('l', 'milk', 2000)];
  it('exclusive rules compete: the customer gets the best one, and the others are listed as considered', () => {
    const a = rule({ id: 'a', stacking: 'exclusive', effect: { type: 'percent', percentOff: 10 } });
    const b = rule({ id: 'b', stacking: 'exclusive', effect: { type: 'fixed_price', price: 1500 } });
    const r = priceCart({ lines, member: null, at: NOON, timeZone: TZ, rules: [a, b] });
    expect(r.lines[0]).toMatchObject({ saved: 500, choice: 'exclusive', discounts: [{ ruleId: 'b' }] });
    expect(r.lines[0]!.considered.map((c) => [c.ruleId, c.saved])).toEqual([
      ['a', 200],
      ['b', 500],
    ]);
  });
  it('stackable rules combine in priority order, each on what is left', () => {
    const a = rule({ id: 'a', priority: 1, effect: { type: 'percent', percentOff: 10 } });
    const b = rule({ id: 'b', priority: 5, effect: { type: 'fixed_price', price: 1500 } });
    const r = priceCart({ lines, member: null, at: NOON, timeZone: TZ, rules: [a, b] });
    // b first (¥20 → ¥15), then 10 % of ¥15.
    expect(r.lines[0]!.discounts.map((d) => [d.ruleId, d.amount])).toEqual([
      ['b', 500],
      ['a', 150],
    ]);
    expect(r.lines[0]!.choice).toBe('stack');
  });
  it('an exclusive rule beats a weaker stack, and a stronger stack beats it', () => {
    const ex = rule({ id: 'ex', stacking: 'exclusive', effect: { type: 'percent', percentOff: 25 } });
    const s1 = rule({ id: 's1', effect: { type: 'percent', percentOff: 10 } });
    const s2 = rule({ id: 's2', effect: { type: 'percent', percentOff: 10 } });
    expect(priceCart({ lines, member: null, at: NOON, timeZone: TZ, rules: [ex, s1, s2] }).lines[0]!.discounts).toEqual(
      [expect.objectContaining({ ruleId: 'ex', amount: 500 })],
    );
    const s3 = rule({ id: 's3', effect: { type: 'percent', percentOff: 20 } });
    expect(priceCart({ lines, member: null, at: NOON, timeZone: TZ, rules: [ex, s1, s3] }).saved).toBe(2000 - 1440);
  });
  it('an exclusive 满减 counts only lines without a line discount', () => {
    const pct = rule({ id: 'p', effect: { type: 'percent', percentOff: 10 }, target: { skus: ['a'] } });
    const mj = rule({ id: 'mj', stacking: 'exclusive', effect: { type: 'threshold', spend: 5000, off: 1000 } });
    const ls = [each('1', 'a', 4000), each('2', 'b', 3000)];
    expect(priceCart({ lines: ls, member: null, at: NOON, timeZone: TZ, rules: [pct, mj] }).saved).toBe(400);
    const ls2 = [each('1', 'a', 4000), each('2', 'b', 6000)];
    expect(priceCart({ lines: ls2, member: null, at: NOON, timeZone: TZ, rules: [pct, mj] }).saved).toBe(1400);
  });
});

describe('time windows in the store zone', () => {
  it('evening hours are read on the store clock, not UTC', () => {
    const w = { hours: { start: '19:30', end: '23:59' } };
    expect(windowOpen(w, at('2026-12-05T19:29:59'), TZ)).toBe(false);
    expect(windowOpen(w, at('2026-12-05T19:30:00'), TZ)).toBe(true);
    expect(windowOpen(w, new Date('2026-12-05T19:45:00Z'), TZ)).toBe(false); // 03:45 in Shanghai
  });
  it('a window crossing midnight belongs to the day it started', () => {
    const fridayNight = { hours: { start: '22:00', end: '02:00' }, weekdays: [5] };
    expect(windowOpen(fridayNight, at('2026-12-04T23:00:00'), TZ)).toBe(true); // Fri 23:00
    expect(windowOpen(fridayNight, at('2026-12-05T01:30:00'), TZ)).toBe(true); // Sat 01:30, Friday's night
    expect(windowOpen(fridayNight, at('2026-12-04T01:30:00'), TZ)).toBe(false); // Fri 01:30, Thursday's night
    expect(windowOpen(fridayNight, at('2026-12-05T02:00:00'), TZ)).toBe(false);
  });
  it('会员日: days of the month, for members only', () => {
    const r = rule({
      id: 'md',
      name: '会员日88折',
      effect: { type: 'percent', percentOff: 12 },
      window: { monthDays: [5, 15, 25] },
      members: { required: true },
    });
    const lines = [each('l', 'x', 10000)];
    expect(priceCart({ lines, member: gold, at: NOON, timeZone: TZ, rules: [r] }).saved).toBe(1200);
    expect(priceCart({ lines, member: null, at: NOON, timeZone: TZ, rules: [r] }).saved).toBe(0);
    expect(priceCart({ lines, member: gold, at: at('2026-12-06T12:00:00'), timeZone: TZ, rules: [r] }).saved).toBe(0);
    // 2026-12-04T20:00Z is already the 5th in Shanghai.
    expect(
      priceCart({ lines, member: gold, at: new Date('2026-12-04T20:00:00Z'), timeZone: TZ, rules: [r] }).saved,
    ).toBe(1200);
  });
  it('effective instants and dates; birthday rules', () => {
    const r = rule({
      id: 'x',
      effect: { type: 'percent', percentOff: 50 },
      window: { from: '2026-12-05T11:00:00.000Z', dates: ['2026-12-05'] },
    });
    const lines = [each('l', 'x', 1000)];
    expect(priceCart({ lines, member: null, at: NOON, timeZone: TZ, rules: [r] }).saved).toBe(0); // 04:00Z
    expect(priceCart({ lines, member: null, at: at('2026-12-05T19:00:00'), timeZone: TZ, rules: [r] }).saved).toBe(500);
    const bd = rule({
      id: 'bd',
      effect: { type: 'percent', percentOff: 20 },
      members: { required: true, birthday: 'day' },
    });
    expect(priceCart({ lines, member: gold, at: NOON, timeZone: TZ, rules: [bd] }).saved).toBe(200);
    expect(
      priceCart({ lines, member: { ...gold, birthday: '12-06' }, at: NOON, timeZone: TZ, rules: [bd] }).saved,
    ).toBe(0);
  });
  it('a local time in a zone with DST maps to the right instant', () => {
    expect(instantOfLocal('2026-07-01', '19:30', 'Europe/Berlin').toISOString()).toBe('2026-07-01T17:30:00.000Z');
    expect(instantOfLocal('2026-12-01', '19:30', 'Europe/Berlin').toISOString()).toBe('2026-12-01T18:30:00.000Z');
    expect(instantOfLocal('2026-12-01', '19:30', TZ).toISOString()).toBe('2026-12-01T11:30:00.000Z');
  });
});
