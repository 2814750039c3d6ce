// The cloud's online-order API on a real socket and database (Postgres schema or PGlite):
// routing across three stores by distance and available stock (staleness included), a split
// order, idempotent intake, pickup code, the status feed, cancellation releasing exactly its
// reservation, and expiry after the slot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HybridClock, OpFactory, startCloud, type CloudHandle } from '../../sync';
import { cloudDb, postJson, quietLog } from './helpers';

const ADMIN = 'orders-admin-token-0123';
let cloud: CloudHandle;

async function get(path: string): Promise<any> {
  const r = await fetch(`${cloud.url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return r.json();
}
const post = async (path: string, body: unknown) => (await postJson(`${cloud.url}${path}`, body, ADMIN)).body;

// Stores on a line east of the customer at (31.2300, 121.4700): 0.1° of longitude ≈ 9.5 km here.
const CUSTOMER = { lat: 31.23, lng: 121.47 };
const at = (km: number) => ({ lat: 31.23, lng: 121.47 + km / 95 });

beforeAll(async () => {
  cloud = await startCloud({ ...cloudDb('orders'), adminToken: ADMIN, log: quietLog, orders: { expiryMinutes: 1 } });
  // Opening stock written as each store's till would (a store-namespace node).
  // One clock per store node: two clocks of one node would mint the same stamp in one millisecond.
  const tills = new Map<string, OpFactory>();
  const stock = (store: string, sku: string, qty: number) => {
    if (!tills.has(store)) tills.set(store, new OpFactory(new HybridClock({ nodeId: `${store}_T01`, now: Date.now })));
    return tills.get(store)!.move(store, sku, 'count', qty);
  };
  await cloud.storage.apply(
    [
      stock('NEAR', 'egg', 2),
      stock('NEAR', 'tofu', 10),
      stock('MID', 'egg', 50),
      stock('MID', 'rice', 50),
      stock('FAR', 'egg', 50),
      stock('FAR', 'rice', 50),
      stock('FAR', 'tofu', 50),
    ],
    'test',
  );
  await post('/api/stores/NEAR/location', at(0.5));
  await post('/api/stores/MID/location', at(2));
  await post('/api/stores/FAR/location', at(4));
  await post('/api/stores/AWAY/location', at(40));
  // NEAR and MID synced a minute ago; FAR has not synced for an hour (stale picture).
  const T = cloud.storage.table;
  for (const [s, ago] of [
    ['NEAR', 60],
    ['MID', 60],
    ['FAR', 3600],
  ] as const)
    await cloud.storage.db.query(
      `INSERT INTO ${T}.devices (id, store_id, role, last_seen_at) VALUES ('H', $1, 'hub', now() - make_interval(secs => $2))`,
      [s, ago],
    );
});

afterAll(async () => {
  if (cloud) {
    if (process.env['DATABASE_URL']) await cloud.storage.dropSchema();
    await cloud.close();
  }
});

const line = (sku: string, quantity: number) => ({ sku, quantity, unitPrice: 100, amount: 100 * quantity });

describe('online orders in the cloud', () => {
  it('routes to the nearest store that can fill every line; a stale store only after fresh ones', async () => {
    // NEAR has 2 eggs: cannot fill 5. MID (fresh) can: it gets the whole order, FAR is not needed.
    const r = await post('/api/orders', {
      orderId: 'r1',
      customer: CUSTOMER,
      lines: [line('egg', 5), line('rice', 1)],
    });
    expect(r).toMatchObject({ ok: true, split: false, oversold: [] });
    expect(r.parts.map((p: any) => p.storeId)).toEqual(['MID']);
    expect(r.parts[0].pickupCode).toMatch(/^\d{8}$/);
    expect(r.parts[0].pickupQr).toBe(`POSPICKUP:r1:${r.parts[0].pickupCode}`);
    // Eggs and tofu: NEAR lacks eggs, MID lacks tofu, only the stale FAR holds both (with margin).
    const both = await post('/api/orders', {
      orderId: 'r2',
      customer: CUSTOMER,
      lines: [line('egg', 3), line('tofu', 3)],
    });
    expect(both.parts.map((p: any) => p.storeId)).toEqual(['FAR']);
  });

  it('splits when no store can fill the order alone; refuses a customer beyond every store', async () => {
    const r = await post('/api/orders', {
      orderId: 'r3',
      customer: { ...CUSTOMER, name: '张小明' },
      lines: [line('tofu', 8), line('rice', 45), line('egg', 2)],
    });
    // Line by line, nearest first: tofu 8 and eggs 2 fit NEAR; rice only MID (fresh, before the stale FAR).
    expect(r.split).toBe(true);
    expect(r.parts.map((p: any) => [p.orderId, p.storeId, p.lines.map((l: any) => l.sku)])).toEqual([
      ['r3-1', 'NEAR', ['tofu', 'egg']],
      ['r3-2', 'MID', ['rice']],
    ]);
    expect((await get('/api/orders/r3')).parts).toHaveLength(2);
    expect((await get('/api/orders/r3-1')).storeId).toBe('NEAR');
    const far = await postJson(
      `${cloud.url}/api/orders`,
      { customer: { lat: 40, lng: 116 }, lines: [line('egg', 1)] },
      ADMIN,
    );
    expect(far.status).toBe(404);
  });

  it('is idempotent by id, shows the pickup code and status, and feeds status events with a cursor', async () => {
    const body = { orderId: 'p1', storeId: 'NEAR', paid: 200, lines: [line('tofu', 2)] };
    const first = await post('/api/orders', body);
    const again = await post('/api/orders', body);
    expect(again).toMatchObject({ duplicate: true });
    expect(again.parts[0].pickupCode).toBe(first.parts[0].pickupCode);
    const stock = await get('/api/stock?storeId=NEAR&sku=tofu');
    expect(stock.reserved).toBe(8 + 2);
    const o = await get('/api/orders/p1');
    expect(o).toMatchObject({ status: 'new', pickupCode: first.parts[0].pickupCode, paid: 200, settledAmount: 200 });
    const feed = await get('/api/orders?since=0');
    expect(feed.events.filter((e: any) => e.orderId === 'p1')).toEqual([
      { orderId: 'p1', status: 'new', at: expect.any(String) },
    ]);
    const later = await get(`/api/orders?since=${feed.cursor}`);
    expect(later.events).toEqual([]);
    expect(
      (await postJson(`${cloud.url}/api/orders`, { ...body, orderId: 'p2', lines: [{ sku: 'x' }] }, ADMIN)).status,
    ).toBe(400);
    expect((await postJson(`${cloud.url}/api/orders`, body)).status).toBe(401);
  });

  it('a cancellation releases exactly its reservation; a second cancel is refused', async () => {
    await post('/api/orders', { orderId: 'c1', storeId: 'NEAR', lines: [line('tofu', 1)] });
    const before = (await get('/api/stock?storeId=NEAR&sku=tofu')).reserved;
    const r = await post('/api/orders/c1/cancel', {});
    expect(r.status).toBe('cancelled');
    expect((await get('/api/stock?storeId=NEAR&sku=tofu')).reserved).toBe(before - 1);
    expect((await postJson(`${cloud.url}/api/orders/c1/cancel`, {}, ADMIN)).status).toBe(409);
    const feed = await get('/api/orders?since=0');
    expect(feed.events.filter((e: any) => e.orderId === 'c1').map((e: any) => e.status)).toEqual(['new', 'cancelled']);
  });

  it('expires an uncollected order after its slot and returns its stock', async () => {
    const ended = new Date(Date.now() - 5 * 60_000).toISOString();
    const start = new Date(Date.now() - 65 * 60_000).toISOString();
    await post('/api/orders', { orderId: 'e1', storeId: 'MID', slot: { start, end: ended }, lines: [line('rice', 4)] });
    await post('/api/orders', {
      orderId: 'e2',
      storeId: 'MID',
      slot: { start, end: new Date(Date.now() + 3600_000).toISOString() },
      lines: [line('rice', 1)],
    });
    const before = (await get('/api/stock?storeId=MID&sku=rice')).reserved;
    const r = await cloud.sweepOrders();
    expect(r.expired).toEqual(['e1']);
    expect((await get('/api/orders/e1')).status).toBe('expired');
    expect((await get('/api/orders/e2')).status).toBe('new');
    expect((await get('/api/stock?storeId=MID&sku=rice')).reserved).toBe(before - 4);
    expect((await cloud.sweepOrders()).expired).toEqual([]);
  });
});
