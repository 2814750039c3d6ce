// Coupons across tills in real processes: the cloud (`sync/cloud/main.ts`) issues them through
// its admin API, one store hub holds them, and two real till web hosts redeem them through their
// HTTP RPC, every link through a TCP proxy the test cuts and heals.
//
//   online    two tills put one bearer coupon on their carts at once: the hub lets exactly one
//             hold it; a void releases it and the other till redeems it; the cloud shows it spent.
//   offline   both tills cut off; each redeems the member's own coupon; after the heal both tills
//             and the cloud flag it with both sales (never silently accepted twice).
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

const ADMIN = 'coupons-loop-admin-0123';
const CODE = 'DEMO-CPN-2026';
const STORE = 'S1';
const milk = demoProducts().find((p) => p.nameEn === 'Organic Milk 1L')!;

type Till = TillProcess;
let store: StoreProcesses;
let tills: Till[] = [];
const cloudUrl = () => store.cloudUrl;
const call = tillCall;
const rpc = tillRpc;

async function issue(coupon: Record<string, unknown>): Promise<any> {
  const r = await postJson(
    `${cloudUrl()}/api/coupons`,
    {
      storeId: STORE,
      name: '满30减8',
      nameEn: '¥8 off ¥30',
      kind: 'value',
      value: 800,
      minSpend: 3000,
      validFrom: new Date(Date.now() - 3600_000).toISOString(),
      validTo: new Date(Date.now() + 86_400_000).toISOString(),
      ...coupon,
    },
    ADMIN,
  );
  expect(r.status).toBe(200);
  return r.body.coupon;
}
const cloudCoupon = async (code: string) =>
  (
    await fetch(`${cloudUrl()}/api/coupons/${code}`, { headers: { authorization: `Bearer ${ADMIN}` } }).then((r) =>
      r.json(),
    )
  ).coupon;
const cash = (cart: any) => [{ type: 'cash', amount: Math.ceil(cart.total / 100) * 100 }];

/** Waits until the coupon reached the till (it holds and releases it once, or checks it offline). */
async function reaches(t: Till, code: string, memberId?: string): Promise<void> {
  await rpc(t, 'cart.add', { sku: milk.sku, quantity: 2 });
  if (memberId) await rpc(t, 'cart.setMember', { memberId });
  await waitFor(
    `${t.id} has ${code}`,
    async () => {
      const r = await call(t, 'cart.applyCoupon', { code });
      if (!r.ok && r.error.code !== 'COUPON_NOT_FOUND') throw new Error(JSON.stringify(r.error));
      return r.ok;
    },
    20_000,
  );
  await rpc(t, 'cart.removeCoupon');
}

beforeAll(async () => {
  store = await startStore({ tag: 'cpnl', admin: ADMIN, code: CODE, store: STORE });
  tills = store.tills;
  await waitTillsSynced(tills);
}, 300_000);

afterAll(() => store?.stop());

describe('coupons through cloud, hub and two tills', () => {
  it('online, two tills apply one bearer coupon at once: exactly one holds it; a void releases it', async () => {
    const [t1, t2] = tills as [Till, Till];
    const c = await issue({});
    expect(c).toMatchObject({ status: 'open', memberId: null, qr: `coupon:${c.code}` });
    for (const t of tills) await reaches(t, c.code);
    const [a, b] = await Promise.all([
      call(t1, 'cart.applyCoupon', { code: c.qr }),
      call(t2, 'cart.applyCoupon', { code: c.qr }),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const [winner, loser] = a.ok ? [t1, t2] : [t2, t1];
    const refused = a.ok ? b : a;
    expect(refused.error).toMatchObject({
      code: 'COUPON_ALREADY_REDEEMED',
      details: { reason: 'held', terminalId: winner.id },
    });
    expect((a.ok ? a : b).cart.coupon).toMatchObject({ code: c.code, amount: 800, held: 'hub' });
    // The winner's cart is voided: the hold goes, and the other till may now take it.
    await rpc(winner, 'cart.void', { reason: 'customer left', managerPin: '8888' });
    const taken = await rpc(loser, 'cart.applyCoupon', { code: c.code });
    expect(taken.cart.total).toBe(2 * milk.price - 800);
    const paid = await rpc(loser, 'cart.pay', { tenders: cash(taken.cart) });
    expect(paid.total).toBe(2 * milk.price - 800);
    // Spent: the hub refuses it to the other till at once (confirmed), before any sync round.
    await rpc(winner, 'cart.add', { sku: milk.sku, quantity: 2 });
    const again = await call(winner, 'cart.applyCoupon', { code: c.code });
    expect(again.error.code).toBe('COUPON_ALREADY_REDEEMED');
    const inCloud = await waitFor(
      'cloud shows it redeemed',
      async () => {
        const v = await cloudCoupon(c.code);
        return v.status === 'redeemed' && v;
      },
      20_000,
    );
    expect(inCloud.redemption).toMatchObject({ saleNumber: paid.saleNumber, terminalId: loser.id, offline: false });
    expect(inCloud.conflicts).toEqual([]);
    await rpc(winner, 'cart.void', { reason: 'test done', managerPin: '8888' });
  }, 90_000);

  it("offline, both tills redeem one member's coupon: flagged with both sales on both tills and in the cloud", async () => {
    const [t1, t2] = tills as [Till, Till];
    const consent = { marketing: true, channel: 'customer-display', textVersion: 'v1' };
    const m = (await rpc(t1, 'members.signUp', { phone: '13812345678', name: '王小明', consent })).member;
    await waitFor(
      'T02 knows the member',
      async () => (await call(t2, 'cart.setMember', { memberId: m.id })).ok,
      20_000,
    );
    const c = await issue({ memberId: m.id, name: '会员券', nameEn: 'Member coupon' });
    for (const t of tills) await reaches(t, c.code, m.id);
    const bearer = await issue({});
    await reaches(t1, bearer.code);
    await waitFor('both tills pushed everything', async () => {
      const st = await Promise.all(tills.map((t) => rpc(t, 'system.status')));
      return st.every((s) => s.sync.pendingOps === 0);
    });
    for (const t of tills) {
      t.toHub.setDown(true);
      t.toCloud.setDown(true);
    }
    const sales = [];
    for (const t of tills) {
      const { cart } = await rpc(t, 'cart.applyCoupon', { code: c.code });
      expect(cart.coupon).toMatchObject({ held: 'offline', amount: 800 });
      sales.push(await rpc(t, 'cart.pay', { tenders: cash(cart) }));
    }
    // A bearer coupon the till knows is still refused while cut off: nobody can vouch for it.
    await rpc(t1, 'cart.add', { sku: milk.sku, quantity: 2 });
    expect((await call(t1, 'cart.applyCoupon', { code: bearer.code })).error.code).toBe('COUPON_OFFLINE');
    await rpc(t1, 'cart.void', { reason: 'test', managerPin: '8888' });
    for (const t of tills) {
      t.toHub.setDown(false);
      t.toCloud.setDown(false);
    }
    const mgr = (await postJson(`http://127.0.0.1:${t1.proc.info.port}/api/auth.login`, { pin: '8888' })).body.token;
    const mgr2 = (await postJson(`http://127.0.0.1:${t2.proc.info.port}/api/auth.login`, { pin: '8888' })).body.token;
    for (const [t, token] of [
      [t1, mgr],
      [t2, mgr2],
    ] as const) {
      const flagged = await waitFor(
        `${t.id} flags it`,
        async () => {
          const r = await rpc(t, 'coupons.conflicts', {}, token);
          const x = r.conflicts.find((k: any) => k.code === c.code);
          return x?.sales.length === 2 && x;
        },
        30_000,
      );
      expect(flagged.sales.map((s: any) => s.saleNumber).sort()).toEqual(sales.map((s) => s.saleNumber).sort());
      expect(flagged.sales.filter((s: any) => s.counts)).toHaveLength(1);
    }
    const inCloud = await waitFor(
      'cloud shows the double redemption',
      async () => {
        const v = await cloudCoupon(c.code);
        return v.conflicts.length === 1 && v;
      },
      30_000,
    );
    expect([inCloud.redemption.saleNumber, inCloud.conflicts[0].saleNumber].sort()).toEqual(
      sales.map((s) => s.saleNumber).sort(),
    );
  }, 120_000);
});
