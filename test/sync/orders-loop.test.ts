// The online-order loop in real processes: the cloud (`sync/cloud/main.ts`), one store hub and
// two real till web hosts, every link through a TCP proxy the test cuts and heals. Orders are
// posted to the cloud's API; the tills work them through their HTTP RPC like the pick-queue page
// and the till screen do.
//
//   loop       an order appears in T01's pick queue, is picked with one re-weighed line and
//              marked ready, is handed over at T02 by its pickup QR, and the cloud shows it
//              collected with the settled amount and the refund; the reservation became the sale.
//   online     two tills hand over one order at once: the hub lets exactly one win.
//   offline    both tills cut off; each hands the same order over; after the heal the order is
//              flagged on both tills and in the cloud, the losing till reversed its stock, and
//              stock is exact although both tills also sold the same SKU during the partition.
//   group-buy  a leader's code lists the leader's ready orders; one confirm hands them all over
//              and prints the manifest.
//   expiry     an order past its slot expires in the cloud; its reservation returns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts } from '../../app/core';
import { postJson, waitFor } from './helpers';
import {
  startStore,
  tillCall,
  tillRpc,
  waitTillsSynced,
  type StoreProcesses,
  type TillProcess,
} from './store-processes';

const ADMIN = 'orders-loop-admin-0123';
const CODE = 'DEMO-ORD-2026';
const STORE = 'S1';

const products = demoProducts();
const cola = products.find((p) => p.nameEn === 'Coca-Cola 330ml')!;
const weighed = products.find((p) => p.unit === 'weighed')!;

type Till = TillProcess;
let store: StoreProcesses;
let tills: Till[] = [];
const cloudUrl = () => store.cloudUrl;
const call = tillCall;
const rpc = tillRpc;

async function cloudGet(path: string): Promise<any> {
  const r = await fetch(`${cloudUrl()}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return r.json();
}
async function postOrder(order: Record<string, unknown>): Promise<any> {
  const r = await postJson(`${cloudUrl()}/api/orders`, { storeId: STORE, ...order }, ADMIN);
  expect(r.status).toBe(200);
  return r.body.parts[0];
}
const colaLine = (n: number) => ({
  sku: cola.sku,
  name: cola.nameEn,
  quantity: n,
  unitPrice: cola.price,
  amount: n * cola.price,
});
const cloudStock = async (sku: string) => cloudGet(`/api/stock?storeId=${STORE}&sku=${sku}`);
const seen = (t: Till, id: string, status: string) => async () =>
  (await rpc(t, 'orders.list', {})).orders.find((o: any) => o.id === id && o.status === status);
async function sell(t: Till, sku: string, quantity: number): Promise<void> {
  const cart = (await rpc(t, 'cart.add', { sku, quantity })).cart;
  await rpc(t, 'cart.pay', { tenders: [{ type: 'cash', amount: Math.ceil(cart.total / 100) * 100 }] });
}
const inFuture = () => ({
  start: new Date(Date.now() + 3600_000).toISOString(),
  end: new Date(Date.now() + 7200_000).toISOString(),
});

beforeAll(async () => {
  store = await startStore({
    tag: 'ordl',
    admin: ADMIN,
    code: CODE,
    store: STORE,
    cloudEnv: { ORDER_EXPIRY_MINUTES: '0.01', ORDER_SWEEP_MS: '500' },
  });
  tills = store.tills;
  await waitTillsSynced(tills);
}, 300_000);

afterAll(() => store?.stop());

describe('online orders through cloud, hub and two tills', () => {
  it('an order is picked with a re-weighed line, handed over at the other till, and the cloud shows it collected', async () => {
    const [t1, t2] = tills as [Till, Till];
    const colaBefore = await cloudStock(cola.sku);
    const meatBefore = await cloudStock(weighed.sku);
    const meatAmount = Math.round((weighed.price * 500) / 1000);
    const o = await postOrder({
      orderId: 'loop-1',
      customer: { name: '王小丽' },
      slot: inFuture(),
      paid: 2 * cola.price + meatAmount,
      paymentRef: 'wx-4200001',
      lines: [
        { lineId: 'a', ...colaLine(2), category: 'drinks' },
        {
          lineId: 'b',
          sku: weighed.sku,
          name: weighed.nameEn,
          grams: 500,
          unitPrice: weighed.price,
          amount: meatAmount,
          category: 'produce',
        },
      ],
    });
    const queued = await waitFor('order in T01 pick queue', seen(t1, 'loop-1', 'new'), 20_000);
    expect(queued.maskedName).toBe('王**');
    expect((await rpc(t1, 'orders.list', { status: 'new' })).newCount).toBeGreaterThanOrEqual(1);
    await rpc(t1, 'orders.accept', { id: 'loop-1' });
    const list = await rpc(t1, 'orders.pickList', { id: 'loop-1' });
    expect(list.printout.text).toContain('produce');
    await rpc(t1, 'orders.pick', { orderId: 'loop-1', lineId: 'a', quantity: 2 });
    const reweighed = await rpc(t1, 'orders.pick', { orderId: 'loop-1', lineId: 'b', grams: 450 });
    const settledMeat = Math.round((weighed.price * 450) / 1000);
    expect(reweighed.refund).toBe(meatAmount - settledMeat);
    const ready = await rpc(t1, 'orders.ready', { id: 'loop-1', bags: 2 });
    expect(ready.label.qr).toBe(o.pickupQr);
    expect(ready.label.text).toContain('2 袋');
    // A wrong code is refused without touching the order.
    expect((await call(t2, 'orders.handover', { code: '00000000' })).error.code).toBe('ORDER_NOT_FOUND');
    await waitFor('T02 sees it ready', seen(t2, 'loop-1', 'ready'), 20_000);
    const done = await rpc(t2, 'orders.handover', { code: o.pickupQr });
    expect(done).toMatchObject({ offline: false, order: { status: 'collected', handover: { terminalId: 'T02' } } });
    const inCloud = await waitFor(
      'cloud shows it collected',
      async () => {
        const r = await cloudGet('/api/orders/loop-1');
        return r.status === 'collected' && r;
      },
      20_000,
    );
    expect(inCloud).toMatchObject({ settledAmount: 2 * cola.price + settledMeat, refund: meatAmount - settledMeat });
    const feed = await cloudGet('/api/orders?since=0');
    expect(feed.events.filter((e: any) => e.orderId === 'loop-1').map((e: any) => e.status)).toEqual([
      'new',
      'accepted',
      'picked',
      'picked',
      'ready',
      'collected',
    ]);
    // The reservation became the sale: reserved back where it was, on hand down by what was picked.
    const colaAfter = await waitFor('cloud stock settles', async () => {
      const s = await cloudStock(cola.sku);
      return s.reserved === colaBefore.reserved && s;
    });
    expect(colaAfter.onHand).toBe(colaBefore.onHand - 2);
    const meatAfter = await cloudStock(weighed.sku);
    expect(meatAfter.onHand).toBe(meatBefore.onHand - 450);
    expect(meatAfter.reserved).toBe(meatBefore.reserved);
    // A second handover of a collected order is refused.
    expect((await call(t1, 'orders.handover', { code: o.pickupCode })).error.code).toBe('ORDER_ALREADY_HANDED_OVER');
  }, 120_000);

  it('online, two tills handing the same order over at once: the hub lets exactly one win', async () => {
    const [t1, t2] = tills as [Till, Till];
    const o = await postOrder({ orderId: 'race-1', slot: inFuture(), lines: [colaLine(1)] });
    await waitFor('T01 has it', seen(t1, 'race-1', 'new'), 20_000);
    await rpc(t1, 'orders.ready', { id: 'race-1', print: false });
    await waitFor('T02 sees it ready', seen(t2, 'race-1', 'ready'), 20_000);
    const [a, b] = await Promise.all([
      call(t1, 'orders.handover', { code: o.pickupCode }),
      call(t2, 'orders.handover', { code: o.pickupCode }),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    expect((a.ok ? b : a).error.code).toBe('ORDER_ALREADY_HANDED_OVER');
    expect((a.ok ? a : b).offline).toBe(false);
  }, 60_000);

  it('offline, both tills hand the same order over: flagged after the heal, stock counted once', async () => {
    const [t1, t2] = tills as [Till, Till];
    const o = await postOrder({ orderId: 'off-1', slot: inFuture(), lines: [colaLine(3)] });
    await waitFor('T01 has it', seen(t1, 'off-1', 'new'), 20_000);
    await rpc(t1, 'orders.ready', { id: 'off-1', print: false });
    await waitFor('T02 sees it ready', seen(t2, 'off-1', 'ready'), 20_000);
    await waitFor('both tills pushed everything', async () => {
      const st = await Promise.all(tills.map((t) => rpc(t, 'system.status')));
      return st.every((s) => s.sync.pendingOps === 0);
    });
    const before = await cloudStock(cola.sku);
    for (const t of tills) {
      t.toHub.setDown(true);
      t.toCloud.setDown(true);
    }
    const a = await rpc(t1, 'orders.handover', { code: o.pickupCode });
    const b = await rpc(t2, 'orders.handover', { code: o.pickupCode });
    expect([a.offline, b.offline]).toEqual([true, true]);
    // Meanwhile both tills sell the same SKU and the cloud takes another order for it.
    await sell(t1, cola.sku, 2);
    await sell(t2, cola.sku, 1);
    await postOrder({ orderId: 'off-2', slot: inFuture(), lines: [colaLine(4)] });
    for (const t of tills) {
      t.toHub.setDown(false);
      t.toCloud.setDown(false);
    }
    for (const t of tills)
      await waitFor(
        `${t.id} sees the conflict`,
        async () => (await rpc(t, 'orders.get', { id: 'off-1' })).order.conflicts.length === 1,
        30_000,
      );
    const flagged = await rpc(t1, 'orders.list', {});
    expect(flagged.conflictCount).toBeGreaterThanOrEqual(1);
    const winner = (await rpc(t1, 'orders.get', { id: 'off-1' })).order.handover.terminalId;
    const loser = tills.find((t) => t.id !== winner)!;
    // Exact stock after the heal: on hand − 3 (the order, once) − 3 (till sales); reserved + 4 (off-2).
    const after = await waitFor(
      'cloud stock exact',
      async () => {
        const s = await cloudStock(cola.sku);
        return s.onHand === before.onHand - 6 && s.reserved === before.reserved - 3 + 4 && s;
      },
      30_000,
    );
    expect(after.available).toBe(after.onHand - after.reserved);
    for (const t of tills)
      await waitFor(`${t.id} stock exact`, async () => {
        const s = await rpc(t, 'stock.get', { sku: cola.sku });
        return s.onHand === after.onHand && s.reserved === after.reserved;
      });
    const mgr = (await postJson(`http://127.0.0.1:${loser.proc.info.port}/api/auth.login`, { pin: '8888' })).body.token;
    const audit = await fetch(`http://127.0.0.1:${loser.proc.info.port}/api/audit.list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mgr}` },
      body: '{}',
    }).then((r) => r.json());
    expect(audit.entries.find((e: any) => e.action === 'order.conflict')?.detail).toMatchObject({
      orderId: 'off-1',
      wonBy: winner,
    });
    const inCloud = await waitFor('cloud shows the conflict', async () => {
      const r = await cloudGet('/api/orders/off-1');
      return r.conflicts.length === 1 && r;
    });
    expect(inCloud.status).toBe('collected');
  }, 120_000);

  it("group-buy: the leader's code lists the leader's orders and one confirm hands them all over with a manifest", async () => {
    const [t1, t2] = tills as [Till, Till];
    const a = await postOrder({
      orderId: 'gb-1',
      customer: { name: 'Lily' },
      slot: inFuture(),
      fulfilment: { type: 'group_buy', leaderId: 'leader-7' },
      lines: [colaLine(1)],
    });
    const b = await postOrder({
      orderId: 'gb-2',
      customer: { name: '陈' },
      slot: inFuture(),
      fulfilment: { type: 'group_buy', leaderId: 'leader-7' },
      lines: [colaLine(2)],
    });
    expect(a.leaderCode).toBe(b.leaderCode);
    for (const id of ['gb-1', 'gb-2']) {
      await waitFor(`T01 has ${id}`, seen(t1, id, 'new'), 20_000);
      await rpc(t1, 'orders.ready', { id, print: false });
      await waitFor(`T02 sees ${id} ready`, seen(t2, id, 'ready'), 20_000);
    }
    const listed = await rpc(t2, 'orders.leaderPickup', { leaderCode: a.leaderCode });
    expect(listed.orders.map((o: any) => o.id).sort()).toEqual(['gb-1', 'gb-2']);
    const done = await rpc(t2, 'orders.leaderPickup', { leaderCode: a.leaderCode, confirm: true });
    expect(done.handedOver.sort()).toEqual(['gb-1', 'gb-2']);
    expect(done.manifest.text).toContain('gb-1');
    expect(done.manifest.text).toContain('gb-2');
    expect((await call(t2, 'orders.leaderPickup', { leaderCode: a.leaderCode })).error.code).toBe('ORDER_NOT_FOUND');
    for (const id of ['gb-1', 'gb-2'])
      await waitFor(
        `cloud shows ${id} collected`,
        async () => (await cloudGet(`/api/orders/${id}`)).status === 'collected',
      );
  }, 90_000);

  it('an order past its slot expires in the cloud; the tills see it and its reservation returns', async () => {
    const [t1] = tills as [Till];
    await waitFor('tills pushed everything', async () => {
      const st = await Promise.all(tills.map((t) => rpc(t, 'system.status')));
      return st.every((s) => s.sync.pendingOps === 0);
    });
    const before = await cloudStock(cola.sku);
    const past = {
      start: new Date(Date.now() - 7200_000).toISOString(),
      end: new Date(Date.now() - 3600_000).toISOString(),
    };
    await postOrder({ orderId: 'exp-1', slot: past, lines: [colaLine(5)] });
    await waitFor('T01 sees it expired', seen(t1, 'exp-1', 'expired'), 30_000);
    expect((await cloudGet('/api/orders/exp-1')).status).toBe('expired');
    await waitFor('reservation returned', async () => {
      const s = await cloudStock(cola.sku);
      if (s.reserved !== before.reserved) throw new Error(`reserved ${s.reserved}, before ${before.reserved}`);
      return true;
    });
    expect(
      (await call(t1, 'orders.handover', { code: (await cloudGet('/api/orders/exp-1')).pickupCode })).error.code,
    ).toBe('ORDER_ALREADY_HANDED_OVER');
  }, 60_000);
});
