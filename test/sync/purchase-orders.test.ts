// Purchase orders store-wide (issue 17, Receiving): head office posts a purchase order to the
// cloud (a child process, real Postgres when DATABASE_URL is set); it reaches both tills of the
// store (real terminal cores on real SQLite, synced with the cloud) marked as from HQ. T02
// receives part of it; T01 then shows it partly received and counts only the rest as in transit.
// T01 and T02 receiving against one order at once both count (each till writes only its own
// received count). A purchase order op from another store's till is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts, type TerminalCore } from '../../app/core';
import type { PurchaseOrder } from '../../app/contract';
import { encodeBatch, HybridClock, OpFactory } from '../../sync';
import { postJson, postRaw, waitFor } from './helpers';
import { ok, openCloudSyncedTill, startCloud, type CloudProcess } from './store-processes';

const ADMIN = 'purchase-orders-admin-token';
const each = demoProducts().find((p) => p.unit === 'each')!;
const weighed = demoProducts().find((p) => p.unit === 'weighed')!;
/** Three days ahead: a delivery day that is today or later in any time zone. */
const forDay = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
let cloud: CloudProcess;
const cores: TerminalCore[] = [];

beforeAll(async () => {
  cloud = await startCloud('purchaseorders', ADMIN);
  for (const terminalId of ['T01', 'T02'])
    cores.push(await openCloudSyncedTill(cloud, 'purchaseorders', 'S001', terminalId));
}, 180_000);

afterAll(async () => {
  for (const c of cores.splice(0)) await c.close();
  await cloud?.stop();
});

const login = async (core: TerminalCore) => (await ok(core.call('auth.login', { pin: '8888' }, {}))).token;
const orderOn = async (core: TerminalCore, token: string, id: string): Promise<PurchaseOrder | undefined> =>
  (await ok(core.call('replenishment.orders', { limit: 50 }, { token }))).orders.find((o) => o.id === id);
const postOrder = (body: unknown, token = ADMIN) => postJson(`${cloud.url}/api/purchase-orders`, body, token);

describe('purchase orders across the store', () => {
  it('HQ posts an order; T02 receives part; T01 shows it partly received and counts the rest in transit', async () => {
    const [t1, t2] = cores as [TerminalCore, TerminalCore];
    const mgr1 = await login(t1);
    const mgr2 = await login(t2);
    const r = await postOrder({
      storeId: 'S001',
      forDay,
      supplier: '北京新发地',
      lines: [
        { sku: each.sku, quantity: 20, unitCost: 350 },
        { sku: weighed.sku, weightGrams: 5000 },
      ],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const id = r.body.id as string;

    // Both tills list it, as from HQ.
    for (const [core, token] of [
      [t1, mgr1],
      [t2, mgr2],
    ] as const)
      await waitFor('the HQ order reaches the till', () => orderOn(core, token, id), 60_000, 200);
    const seen = (await orderOn(t2, mgr2, id))!;
    expect(seen).toMatchObject({ origin: 'hq', staffId: 'hq', supplier: '北京新发地', day: forDay, status: 'sent' });
    expect(seen.lines).toEqual([
      { sku: each.sku, quantity: 20, unit: 'each', unitCost: 350, supplier: '北京新发地', received: 0 },
      { sku: weighed.sku, quantity: 5000, unit: 'weighed', supplier: '北京新发地', received: 0 },
    ]);
    const transitBefore = (
      await ok(t1.call('replenishment.suggest', { day: forDay }, { token: mgr1 }))
    ).suggestion.lines.find((l) => l.sku === each.sku)?.inTransit;

    // T02 receives 8 of the 20 and 2 kg of the 5.
    await ok(
      t2.call(
        'stock.receive',
        {
          lines: [
            { sku: each.sku, quantity: 8, unitCost: 350 },
            { sku: weighed.sku, weightGrams: 2000, unitCost: 600 },
          ],
          po: { id, lines: seen.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })) },
          print: false,
        },
        { token: mgr2 },
      ),
    );
    await waitFor(
      'T02’s receipt reaches T01',
      async () => (await orderOn(t1, mgr1, id))?.status === 'partly_received',
      60_000,
      200,
    );
    const onT1 = (await orderOn(t1, mgr1, id))!;
    expect(onT1.lines.map((l) => [l.sku, l.received])).toEqual([
      [each.sku, 8],
      [weighed.sku, 2000],
    ]);
    // In transit on T01 is what is still open on the store's orders: 8 fewer after T02's receipt.
    const line = (await ok(t1.call('replenishment.suggest', { day: forDay }, { token: mgr1 }))).suggestion.lines.find(
      (l) => l.sku === each.sku,
    );
    expect(transitBefore).toBeGreaterThanOrEqual(20);
    expect(transitBefore! - line!.inTransit).toBe(8);

    // T01 and T02 receive the rest at the same time: neither count is lost, the order is received.
    const rest = (core: TerminalCore, token: string, sku: string, q: Record<string, number>) =>
      ok(
        core.call(
          'stock.receive',
          { lines: [{ sku, ...q, unitCost: 350 }], po: { id, lines: [] }, print: false },
          { token },
        ),
      );
    await Promise.all([rest(t1, mgr1, each.sku, { quantity: 12 }), rest(t2, mgr2, weighed.sku, { weightGrams: 3000 })]);
    for (const [core, token] of [
      [t1, mgr1],
      [t2, mgr2],
    ] as const) {
      await waitFor(
        'both receipts reach the till',
        async () => (await orderOn(core, token, id))?.status === 'received',
        60_000,
        200,
      );
      expect((await orderOn(core, token, id))!.lines.map((l) => l.received)).toEqual([20, 5000]);
    }
  }, 240_000);

  it('refuses junk and a missing admin token with coded errors', async () => {
    const good = { storeId: 'S001', forDay, lines: [{ sku: each.sku, quantity: 1 }] };
    expect((await postOrder(good, 'wrong')).status).toBe(401);
    for (const junk of [
      {},
      { ...good, forDay: 'tomorrow' },
      { ...good, lines: [] },
      { ...good, lines: [{ sku: each.sku }] },
      { ...good, lines: [{ sku: each.sku, quantity: 1, weightGrams: 5 }] },
      { ...good, lines: [{ sku: each.sku, quantity: -1 }] },
      { ...good, lines: [good.lines[0], good.lines[0]] },
      { ...good, storeId: 'S 001' },
      { ...good, extra: 1 },
    ]) {
      const r = await postOrder(junk);
      expect(r.status, JSON.stringify(junk)).toBe(400);
      expect(r.body.error.code).toBe('BAD_INPUT');
    }
  });

  it("refuses a purchase order op pushed by another store's till", async () => {
    const enroll = await postJson(`${cloud.url}/sync/enroll`, {
      code: await cloud.pairingCode('S002'),
      deviceId: 'T01',
    });
    expect(enroll.status).toBe(200);
    const other = new OpFactory(new HybridClock({ nodeId: 'S002_T01', now: Date.now }));
    const forged = [
      other.set('store:S001', 'purchase_order', 'forged-po', 'order', {
        forDay,
        createdAt: new Date().toISOString(),
        staff: 'hq',
        origin: 'hq',
        supplier: null,
        lines: [{ sku: each.sku, quantity: 999 }],
      }),
    ];
    const r = await postRaw(`${cloud.url}/sync/push`, encodeBatch(forged), enroll.body.token as string);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('SCOPE_FORBIDDEN');
    // In its own store's scope, it may not write what another till of that store received.
    const theft = [other.set('store:S002', 'purchase_order', 'po-x', 'received:T02', { [each.sku]: 0 })];
    const r2 = await postRaw(`${cloud.url}/sync/push`, encodeBatch(theft), enroll.body.token as string);
    expect(r2.status).toBe(403);
    expect(r2.body.error.code).toBe('AUTHOR_FORBIDDEN');
    // A later HQ order still arrives on T01, the forged one never does.
    const mgr1 = await login(cores[0]!);
    const later = await postOrder({ storeId: 'S001', forDay, lines: [{ sku: each.sku, quantity: 1 }] });
    await waitFor('a later order reaches T01', () => orderOn(cores[0]!, mgr1, later.body.id as string), 60_000, 200);
    expect(await orderOn(cores[0]!, mgr1, 'forged-po')).toBeUndefined();
  }, 120_000);
});
