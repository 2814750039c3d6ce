// The leading signals on a real till (real SQLite, sync attached to a closed port so ops stay in
// the outbox): a promotion in the price rules for the delivery day and a community group-buy
// pre-order for pickup that day change the suggested order and show in its reason's facts
// (the words are checked in replenishment-words.test.ts); receiving goods against a sent purchase
// order takes them out of "in transit".
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplenishmentLine } from '../../contract';
import { HybridClock, OpFactory } from '../../../sync/core';
import { openSqlite } from '../db';
import { priceRuleSchema } from '../pricing';
import { storeRule } from '../price-rules';
import { openTestCore, PINS, type TestCore } from '../test-support';

const NOWHERE = 'http://127.0.0.1:9';
const TOMORROW = '2026-11-30';
const opened: TestCore[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) {
    await t.core.close();
    rmSync(t.dataDir, { recursive: true, force: true });
  }
});

function till(syncOn: boolean): TestCore {
  const t = openTestCore({
    storeId: 'S001',
    terminalId: 'T01',
    ...(syncOn ? { sync: { cloudUrl: NOWHERE, enrollCode: 'DEMO-S001-2026', intervalMs: 600_000 } } : {}),
  });
  opened.push(t);
  return t;
}

async function suggestion(t: TestCore, token: string): Promise<Map<string, ReplenishmentLine>> {
  const { suggestion: s } = await t.ok('replenishment.suggest', {}, token);
  expect(s.day).toBe(TOMORROW);
  return new Map(s.lines.map((l) => [l.sku, l]));
}

/** A counted (not weighed) product of a family, from the suggestion (optionally one the store orders today). */
function pick(lines: Map<string, ReplenishmentLine>, family: string, ordered = false): ReplenishmentLine {
  const l = [...lines.values()].find((x) => x.family === family && x.unit === 'each' && (!ordered || x.suggested > 0));
  if (!l) throw new Error(`no counted ${family} product in the demo`);
  return l;
}

describe('replenishment signals', () => {
  it('a promotion open tomorrow raises the forecast and the order, and the reason names it', async () => {
    const t = till(false);
    const manager = await t.login(PINS.manager);
    const before = await suggestion(t, manager);
    const fruit = pick(before, 'fruit', true);
    const bread = pick(before, 'bakery');
    expect(fruit.reason.promo).toBe(0);
    // Written the way the sync mirror writes a chain promotion: 30 % off, tomorrow only.
    const db = openSqlite(join(t.dataDir, 'terminal.db'));
    storeRule(
      db,
      priceRuleSchema.parse({
        id: 'fruit-weekend',
        name: '水果七折',
        nameEn: 'Fruit 30 % off',
        effect: { type: 'percent', percentOff: 30 },
        target: { skus: [fruit.sku] },
        window: { dates: [TOMORROW] },
      }),
      new Date(),
    );
    // An evening markdown (19:00–22:00) counts for the share of the trading day it is open:
    // 3 of the 14 hourly samples 08:30 … 21:30.
    storeRule(
      db,
      priceRuleSchema.parse({
        id: 'bread-evening',
        name: '面包晚间半价',
        effect: { type: 'percent', percentOff: 50 },
        target: { skus: [bread.sku] },
        window: { dates: [TOMORROW], hours: { start: '19:00', end: '22:00' } },
      }),
      new Date(),
    );
    db.close();
    const after = (await suggestion(t, manager)).get(fruit.sku)!;
    expect(after.reason.promo).toBeCloseTo(0.3, 5);
    expect(after.reason.promoRule).toEqual({ name: '水果七折', nameEn: 'Fruit 30 % off' });
    expect(after.forecast).toBeGreaterThan(fruit.forecast * 1.1);
    expect(after.suggested).toBeGreaterThan(fruit.suggested);
    expect((await suggestion(t, manager)).get(bread.sku)!.reason.promo).toBeCloseTo((0.5 * 3) / 14, 3);
    // A product no rule targets has no promotion.
    const other = (await suggestion(t, manager)).get(pick(before, 'dairy').sku)!;
    expect(other.reason.promo).toBe(0);
  });

  it('a group-buy pre-order for pickup tomorrow is a leading signal and reserved quantity, and the reason shows it', async () => {
    const t = till(true);
    const manager = await t.login(PINS.manager);
    const before = await suggestion(t, manager);
    const leafy = pick(before, 'leafy');
    const preOrdered = 36;
    expect(leafy.reason.groupBuy).toBe(0);
    // The cloud routes a 团购 order to the store: the order fact and its stock reservation (what
    // sync/cloud/order-api.ts writes), reaching this till through a pull.
    const cloud = new OpFactory(new HybridClock({ nodeId: 'C000000c1', now: Date.now }));
    await t.core.sync!.outbox.storage.apply(
      [
        cloud.fact('store:S001', 'online_order', 'gb-1', {
          storeId: 'S001',
          channel: 'mini-program',
          createdAt: '2026-11-29T03:00:00.000Z',
          lines: [{ lineId: '1', sku: leafy.sku, quantity: preOrdered, unitPrice: 300, amount: 300 * preOrdered }],
          fulfilment: 'group_buy',
          leaderId: 'L1',
          leaderCode: 'L1',
          maskedName: '张*',
          slotStart: '2026-11-30T09:00:00.000Z', // 17:00 in Shanghai, tomorrow
          slotEnd: '2026-11-30T11:00:00.000Z',
          paid: 300 * preOrdered,
        }),
        cloud.move('S001', leafy.sku, 'reservation', preOrdered, 'gb-1'),
        // A group-buy for another day (no reservation sent yet) does not count for tomorrow.
        cloud.fact('store:S001', 'online_order', 'gb-2', {
          storeId: 'S001',
          createdAt: '2026-11-29T03:00:00.000Z',
          lines: [{ lineId: '1', sku: leafy.sku, quantity: 5, unitPrice: 300, amount: 1500 }],
          fulfilment: 'group_buy',
          slotStart: '2026-12-03T09:00:00.000Z',
        }),
      ],
      'up:cloud',
    );
    const after = (await suggestion(t, manager)).get(leafy.sku)!;
    expect(after.reason.groupBuy).toBe(preOrdered);
    // The reservation covers the pre-order (the pool reserves it; counted once, not twice).
    expect(after.reserved).toBe(leafy.reserved + preOrdered);
    // Before, tomorrow's group-buy list had not come in: the model assumed a usual day's
    // pre-orders. 36 is more than usual for this product: the forecast and the order rise.
    expect(after.forecast).toBeGreaterThan(leafy.forecast);
    expect(after.suggested).toBeGreaterThan(leafy.suggested);
  });

  it('receiving against a sent purchase order takes it out of in transit, in part and then in full', async () => {
    const t = till(false);
    const manager = await t.login(PINS.manager);
    const before = await suggestion(t, manager);
    const item = pick(before, 'dairy');
    const qty = item.casePack * 2;
    const { order } = await t.ok(
      'replenishment.submit',
      { day: TOMORROW, lines: [{ sku: item.sku, quantity: qty }] },
      manager,
    );
    expect((await suggestion(t, manager)).get(item.sku)!.inTransit).toBe(qty);

    const po = { id: order.id, lines: [{ sku: item.sku, quantity: qty }] };
    const part = item.casePack;
    await t.ok('stock.receive', { lines: [{ sku: item.sku, quantity: part, unitCost: 100 }], po }, manager);
    let line = (await suggestion(t, manager)).get(item.sku)!;
    expect(line.inTransit).toBe(qty - part);
    expect(line.onHand).toBe(item.onHand + part);
    let listed = (await t.ok('replenishment.orders', {}, manager)).orders[0]!;
    expect(listed.status).toBe('partly_received');
    expect(listed.lines[0]!.received).toBe(part);

    await t.ok('stock.receive', { lines: [{ sku: item.sku, quantity: qty - part, unitCost: 100 }], po }, manager);
    line = (await suggestion(t, manager)).get(item.sku)!;
    expect(line.inTransit).toBe(0);
    listed = (await t.ok('replenishment.orders', {}, manager)).orders[0]!;
    expect(listed.status).toBe('received');

    // A receipt naming an order this till never sent is still a receipt; no order changes.
    await t.ok(
      'stock.receive',
      { lines: [{ sku: item.sku, quantity: 1, unitCost: 100 }], po: { id: 'paper-note-7', lines: [] } },
      manager,
    );
    expect((await t.ok('replenishment.orders', {}, manager)).orders.map((o) => o.status)).toEqual(['received']);
  });
});
