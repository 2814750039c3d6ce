// Picking weighed lines of an online order on a real till (real SQLite; sync attached to a closed
// port, the order applied as the cloud writes it). A loose item carries a label from the store's
// label scale: the 13-digit form holds only the amount, so the weight is the one the scale used
// (amount ÷ price per kg); the 18-digit form holds the weight itself. A weighed line substituted
// by another product sold by weight asks for the scale first and records nothing until the grams
// come; a scale label on the substitute carries its own weight.
import { afterEach, describe, expect, it } from 'vitest';
import { HybridClock, OpFactory } from '../../../sync/core';
import { gs1CheckDigit } from '../barcode';
import { demoProducts } from '../seed';
import { openTestCore, type TestCore } from '../test-support';

const NOWHERE = 'http://127.0.0.1:9';
const weighed = demoProducts().filter((p) => p.unit === 'weighed');
const bananas = weighed[0]!; // 散装香蕉, fen per kg
const apples = weighed[1]!; // 散装苹果
const grapes = weighed[6]!; // 散装葡萄
const counted = demoProducts().find((p) => p.unit === 'each' && p.ean13)!;

const opened: TestCore[] = [];
const cloud = new OpFactory(new HybridClock({ nodeId: 'C000000c1', now: Date.now }));
const byWeight = (pricePerKg: number, grams: number) => Math.round((pricePerKg * grams) / 1000);
/** The 13-digit label a Chinese label scale prints by default: 21 + PLU + amount in fen + check. */
const amountLabel = (plu: string, fen: number) => {
  const body = `21${plu}${String(fen).padStart(5, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};
/** The 18-digit label: 26 + PLU + amount in fen + weight in grams + check over 17 digits. */
const amountWeightLabel = (plu: string, fen: number, grams: number) => {
  const body = `26${plu}${String(fen).padStart(5, '0')}${String(grams).padStart(5, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};

function till(): TestCore {
  const t = openTestCore({
    storeId: 'S001',
    terminalId: 'T01',
    sync: { cloudUrl: NOWHERE, enrollCode: 'DEMO-S001-2026', intervalMs: 600_000 },
  });
  opened.push(t);
  return t;
}

async function mallOrder(t: TestCore, orderId: string, line: { sku: string; pricePerKg: number; grams: number }) {
  const amount = byWeight(line.pricePerKg, line.grams);
  await t.core.sync!.outbox.storage.apply(
    [
      cloud.fact('store:S001', 'online_order', orderId, {
        storeId: 'S001',
        channel: 'mini-program',
        createdAt: '2026-11-29T01:00:00.000Z',
        lines: [{ lineId: 'w', sku: line.sku, grams: line.grams, unitPrice: line.pricePerKg, amount }],
        fulfilment: 'pickup',
        maskedName: '王**',
        paid: amount,
        pickupCode: '51234567',
      }),
      cloud.move('S001', line.sku, 'reservation', line.grams, orderId),
    ],
    'up:cloud',
  );
  return amount;
}

afterEach(() => {
  for (const t of opened.splice(0)) t.cleanup();
});

describe('weighed lines of an online order at pick', () => {
  it('a loose item with its amount-only scale label is picked at the weight the scale used', async () => {
    const t = till();
    const token = await t.login();
    const paid = await mallOrder(t, 'p201', { sku: bananas.sku, pricePerKg: bananas.price, grams: 500 });
    // The deli scale weighed 480 g and printed only the amount.
    const label = amountLabel(bananas.plu!, byWeight(bananas.price, 480));
    const r = await t.ok('orders.scan', { orderId: 'p201', code: label }, token);
    expect(r.weigh).toBe(false);
    expect(r.lineId).toBe('w');
    expect(r.order.lines[0]!.picked).toMatchObject({ grams: 480, amount: byWeight(bananas.price, 480) });
    expect(r.refund).toBe(paid - byWeight(bananas.price, 480));

    // The 18-digit label says the weight itself: 452 g, taken as printed.
    const r2 = await t.ok(
      'orders.scan',
      { orderId: 'p201', code: amountWeightLabel(bananas.plu!, byWeight(bananas.price, 452), 452) },
      token,
    );
    expect(r2.order.lines[0]!.picked).toMatchObject({ grams: 452, amount: byWeight(bananas.price, 452) });

    // Another loose product's label is the wrong item: refused, nothing recorded.
    const wrong = await t.fail(
      'orders.scan',
      { orderId: 'p201', code: amountLabel(apples.plu!, byWeight(apples.price, 300)) },
      token,
    );
    expect(wrong.code).toBe('ORDER_WRONG_ITEM');
    const after = await t.ok('orders.get', { id: 'p201' }, token);
    expect(after.order.lines[0]!.picked).toMatchObject({ grams: 452 });
  });

  it('a weighed line substituted by another product sold by weight asks for the scale, then takes its grams', async () => {
    const t = till();
    const token = await t.login();
    const paid = await mallOrder(t, 'p202', { sku: grapes.sku, pricePerKg: grapes.price, grams: 300 });
    // Loose apples have no barcode of their own: the picker types the SKU and leaves the amount empty.
    const ask = await t.ok('orders.substitute', { orderId: 'p202', lineId: 'w', code: apples.sku }, token);
    expect(ask.weigh).toEqual({ sku: apples.sku, name: apples.name, nameEn: apples.nameEn, pricePerKg: apples.price });
    expect(ask.order.lines[0]!.picked).toBeNull();
    // The grams read from the till's scale.
    const done = await t.ok('orders.substitute', { orderId: 'p202', lineId: 'w', code: apples.sku, grams: 350 }, token);
    expect(done.weigh).toBeNull();
    const amount = Math.min(paid, byWeight(apples.price, 350));
    expect(done.order.lines[0]!.picked).toMatchObject({ grams: 350, amount, substitute: { sku: apples.sku } });
    expect(done.refund).toBe(paid - amount);

    // With the scale's amount-only label, the substitute's weight comes from the label.
    const labelled = await t.ok(
      'orders.substitute',
      { orderId: 'p202', lineId: 'w', code: amountLabel(bananas.plu!, byWeight(bananas.price, 410)) },
      token,
    );
    expect(labelled.weigh).toBeNull();
    expect(labelled.order.lines[0]!.picked).toMatchObject({ grams: 410, substitute: { sku: bananas.sku } });

    // A counted substitute still needs its count.
    const noCount = await t.fail('orders.substitute', { orderId: 'p202', lineId: 'w', code: counted.ean13! }, token);
    expect(noCount.code).toBe('ORDER_STATE');
  });
});
