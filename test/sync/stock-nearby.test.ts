// The sharing pool (库存共享池) across two stores: S001 and S002 each run a till (real terminal
// cores on real SQLite) that syncs with the cloud (a child process). Goods S001 receives show in
// S002's `stock.nearby` (counts only, not S002's own store); the cloud route answers store
// devices only; a transfer S001 → S002 goes request → ship → receive through the cloud's relay
// while both stores sell; with the cloud gone the manager gets STOCK_NEARBY_OFFLINE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts, type TerminalCore } from '../../app/core';
import { postJson, waitFor } from './helpers';
import { ok, openCloudSyncedTill, startCloud, type CloudProcess } from './store-processes';

const ADMIN = 'stock-nearby-admin-token';
const bananas = demoProducts().find((p) => p.nameEn === 'Loose Bananas')!;
const cola = demoProducts().find((p) => p.nameEn === 'Coca-Cola 330ml')!;
let cloud: CloudProcess;
const cores: TerminalCore[] = [];
const cloudUrl = () => cloud.url;

beforeAll(async () => {
  cloud = await startCloud('nearby', ADMIN);
}, 120_000);

afterAll(async () => {
  for (const c of cores.splice(0)) await c.close();
  await cloud?.stop();
});

describe('stock.nearby across two stores', () => {
  it("shows the other store's count through the cloud, counts only", async () => {
    const tills: TerminalCore[] = [];
    for (const storeId of ['S001', 'S002']) {
      const core = await openCloudSyncedTill(cloud, 'nearby', storeId, 'T01');
      cores.push(core);
      tills.push(core);
    }
    const [s1, s2] = tills as [TerminalCore, TerminalCore];
    const login = async (core: TerminalCore, pin: string) => (await ok(core.call('auth.login', { pin }, {}))).token;
    const mgr1 = await login(s1, '8888');
    const mgr2 = await login(s2, '8888');
    await ok(
      s1.call('stock.receive', { lines: [{ sku: bananas.sku, weightGrams: 12_500, unitCost: 410 }] }, { token: mgr1 }),
    );
    const s1Level = (await ok(s1.call('stock.get', { sku: bananas.sku }, { token: mgr1 }))).onHand;

    const nearby = await waitFor(
      'S001 receipt reaches the cloud',
      async () => {
        const r = await s2.call('stock.nearby', { sku: bananas.sku }, { token: mgr2 });
        return r.ok && r.stores.some((s) => s.storeId === 'S001' && s.onHand === s1Level) ? r : null;
      },
      // Not faster: the cloud answers 30 asks a minute per device.
      25_000,
      1000,
    );
    // Only the other store, and only counts and their age.
    expect(nearby.stores.map((s) => s.storeId)).toEqual(['S001']);
    expect(Object.keys(nearby.stores[0]!).sort()).toEqual(['asOf', 'available', 'onHand', 'staleSeconds', 'storeId']);
    expect(nearby.stores[0]).toMatchObject({ available: s1Level, asOf: expect.any(String) });
    expect(nearby.stale).toBe(false);

    // A cashier may not ask; the cloud route answers enrolled store devices only.
    const cashier = await login(s2, '1234');
    const refused = await s2.call('stock.nearby', { sku: bananas.sku }, { token: cashier });
    expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');
    expect((await postJson(`${cloudUrl()}/sync/stock/nearby`, { sku: bananas.sku })).status).toBe(401);
    expect((await postJson(`${cloudUrl()}/sync/stock/nearby`, { sku: bananas.sku }, ADMIN)).status).toBe(401);
  }, 180_000);

  it('a transfer S001 → S002 through the cloud, exact while both stores sell', async () => {
    const [s1, s2] = cores as [TerminalCore, TerminalCore];
    const login = async (core: TerminalCore, pin: string) => (await ok(core.call('auth.login', { pin }, {}))).token;
    const [mgr1, mgr2, cash1, cash2] = [
      await login(s1, '8888'),
      await login(s2, '8888'),
      await login(s1, '1234'),
      await login(s2, '1234'),
    ];
    const level = async (core: TerminalCore, token: string) =>
      (await ok(core.call('stock.get', { sku: cola.sku }, { token }))).onHand;
    const sell = async (core: TerminalCore, token: string, quantity: number) => {
      await ok(core.call('cart.add', { sku: cola.sku, quantity }, { token }));
      await ok(core.call('cart.pay', { tenders: [{ type: 'cash', amount: 10_000 }] }, { token }));
    };
    const seen = (core: TerminalCore, token: string, id: string, status: string) =>
      waitFor(
        `${status} reaches the other store`,
        async () =>
          (await ok(core.call('transfers.list', {}, { token }))).transfers.find(
            (t) => t.id === id && t.status === status,
          ),
        60_000,
        200,
      );
    const start1 = await level(s1, mgr1);
    const start2 = await level(s2, mgr2);

    const { transfer } = await ok(
      s2.call('transfers.request', { fromStore: 'S001', sku: cola.sku, quantity: 6 }, { token: mgr2 }),
    );
    await seen(s1, mgr1, transfer.id, 'requested');
    await Promise.all([ok(s1.call('transfers.ship', { id: transfer.id }, { token: mgr1 })), sell(s2, cash2, 1)]);
    await sell(s1, cash1, 2);
    await seen(s2, mgr2, transfer.id, 'shipped');
    await Promise.all([
      ok(s2.call('transfers.receive', { id: transfer.id, quantity: 5 }, { token: mgr2 })),
      sell(s1, cash1, 1),
    ]);
    await sell(s2, cash2, 1);
    const done = await seen(s1, mgr1, transfer.id, 'received');
    expect(done).toMatchObject({ shippedQuantity: 6, receivedQuantity: 5, variance: -1 });
    expect(await level(s1, mgr1)).toBe(start1 - 6 - 2 - 1);
    expect(await level(s2, mgr2)).toBe(start2 - 1 + 5 - 1);
    // The cloud's picture of S001 agrees (what stock.nearby at S002 shows).
    await waitFor(
      "S001's level reaches the cloud",
      async () => {
        const r = await s2.call('stock.nearby', { sku: cola.sku }, { token: mgr2 });
        return r.ok && r.stores.find((x) => x.storeId === 'S001')?.onHand === start1 - 9;
      },
      20_000,
      1000,
    );
  }, 180_000);

  it('says STOCK_NEARBY_OFFLINE when the cloud is gone', async () => {
    const s2 = cores[1]!;
    const mgr2 = (await ok(s2.call('auth.login', { pin: '8888' }, {}))).token;
    await cloud.stop();
    const offline = await s2.call('stock.nearby', { sku: bananas.sku }, { token: mgr2 });
    expect(!offline.ok && offline.error.code).toBe('STOCK_NEARBY_OFFLINE');
  });
});
