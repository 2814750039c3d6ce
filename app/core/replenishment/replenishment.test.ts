import { afterEach, describe, expect, it } from 'vitest';
import { openTestCore, PINS, type TestCore } from '../test-support';

let t: TestCore;
afterEach(() => t?.cleanup());

describe('replenishment', () => {
  it('suggests tomorrow’s order for the demo store with its reasons, and sends it as a purchase order', async () => {
    t = openTestCore();
    const manager = await t.login(PINS.manager);
    const { suggestion } = await t.ok('replenishment.suggest', {}, manager);
    expect(suggestion.day).toBe('2026-11-30');
    expect(suggestion.lines.length).toBeGreaterThan(20);
    const families = new Set(suggestion.lines.map((l) => l.family));
    expect([...families].sort()).toEqual(['bakery', 'dairy', 'fruit', 'leafy', 'meat', 'pantry']);
    for (const l of suggestion.lines) {
      expect(l.suggested % l.casePack).toBe(0);
      expect(l.suggested).toBeGreaterThanOrEqual(0);
      expect(l.historyDays).toBeGreaterThanOrEqual(100);
      expect(l.reason.dow).toBe(0); // 2026-11-30 is a Monday
    }
    // The demo's opening stock is large for long-life goods and small for bread.
    expect(suggestion.lines.some((l) => l.suggested > 0)).toBe(true);

    const lines = suggestion.lines.filter((l) => l.suggested > 0).map((l) => ({ sku: l.sku, quantity: l.suggested }));
    const { order } = await t.ok('replenishment.submit', { day: suggestion.day, lines }, manager);
    expect(order.lines.length).toBe(lines.length);
    // Sent orders count as in transit: the same suggestion now asks for nothing more of those lines.
    const again = (await t.ok('replenishment.suggest', {}, manager)).suggestion;
    for (const l of lines) {
      const now = again.lines.find((x) => x.sku === l.sku)!;
      expect(now.inTransit).toBe(l.quantity);
      expect(now.suggested).toBe(0);
    }
    expect((await t.ok('replenishment.orders', {}, manager)).orders[0]!.id).toBe(order.id);
    const audit = (await t.ok('audit.list', { limit: 5 }, manager)).entries;
    expect(audit.some((e) => e.action === 'replenishment.order')).toBe(true);
  });

  it('reads the weather forecast the store received for the delivery day into the reasons', async () => {
    t = openTestCore();
    const manager = await t.login(PINS.manager);
    await t.ok('replenishment.setWeather', { day: '2026-11-30', tempC: 8, rainMm: 0 }, manager);
    const cold = (await t.ok('replenishment.suggest', {}, manager)).suggestion;
    expect(cold.weather).toEqual({ tempC: 8, rainMm: 0 });
    expect(cold.lines[0]!.reason.tempC).toBe(8);
  });

  it('lets the manager change a product’s case pack, lead time and service level, and the suggestion follows', async () => {
    t = openTestCore();
    const manager = await t.login(PINS.manager);
    const { items } = await t.ok('replenishment.items', {}, manager);
    const before = (await t.ok('replenishment.suggest', {}, manager)).suggestion.lines;
    const line = before.find((l) => l.unit === 'each' && l.suggested > 0 && l.criticalRatio < 0.9)!;
    const item = items.find((i) => i.sku === line.sku)!;
    expect(item).toMatchObject({ casePack: line.casePack, serviceLevel: null, criticalRatio: line.criticalRatio });

    const { item: changed } = await t.ok(
      'replenishment.setItem',
      { sku: line.sku, casePack: 7, leadDays: 2, serviceLevel: 0.95 },
      manager,
    );
    expect(changed).toMatchObject({ casePack: 7, leadDays: 2, serviceLevel: 0.95, criticalRatio: 0.95 });
    const after = (await t.ok('replenishment.suggest', {}, manager)).suggestion.lines.find((l) => l.sku === line.sku)!;
    expect(after.criticalRatio).toBe(0.95);
    expect(after.suggested % 7).toBe(0);
    // Two days of lead time: the order covers the day after delivery too, with more safety stock.
    expect(after.forecast).toBeGreaterThan(line.forecast);
    expect(after.suggested).toBeGreaterThan(line.suggested);
    // null goes back to the newsvendor ratio; other fields stay.
    const back = (await t.ok('replenishment.setItem', { sku: line.sku, serviceLevel: null }, manager)).item;
    expect(back).toMatchObject({ casePack: 7, leadDays: 2, serviceLevel: null, criticalRatio: line.criticalRatio });
    const audit = (await t.ok('audit.list', { limit: 5 }, manager)).entries;
    expect(audit.filter((e) => e.action === 'replenishment.item')).toHaveLength(2);

    expect((await t.fail('replenishment.setItem', { sku: line.sku, serviceLevel: 0.99 }, manager)).code).toBe(
      'BAD_INPUT',
    );
    expect((await t.fail('replenishment.setItem', { sku: 'NOPE', casePack: 2 }, manager)).code).toBe(
      'PRODUCT_NOT_FOUND',
    );
    const cashier = await t.login(PINS.cashier);
    expect((await t.fail('replenishment.setItem', { sku: line.sku, casePack: 2 }, cashier)).code).toBe('FORBIDDEN');
    expect((await t.fail('replenishment.items', {}, cashier)).code).toBe('FORBIDDEN');
  });

  it('is for managers only, and refuses a day in the past or a duplicate line', async () => {
    t = openTestCore();
    const cashier = await t.login(PINS.cashier);
    expect((await t.fail('replenishment.suggest', {}, cashier)).code).toBe('FORBIDDEN');
    const manager = await t.login(PINS.manager);
    expect((await t.fail('replenishment.suggest', { day: '2026-11-01' }, manager)).code).toBe('BAD_INPUT');
    const { suggestion } = await t.ok('replenishment.suggest', {}, manager);
    const sku = suggestion.lines[0]!.sku;
    const dup = await t.fail(
      'replenishment.submit',
      {
        day: suggestion.day,
        lines: [
          { sku, quantity: 6 },
          { sku, quantity: 6 },
        ],
      },
      manager,
    );
    expect(dup.code).toBe('BAD_INPUT');
    const unknown = await t.fail(
      'replenishment.submit',
      { day: suggestion.day, lines: [{ sku: 'NOPE', quantity: 1 }] },
      manager,
    );
    expect(unknown.code).toBe('PRODUCT_NOT_FOUND');
  });
});
