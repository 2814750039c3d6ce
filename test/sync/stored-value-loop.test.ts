// Stored value (储值) and points spent once across tills, in real processes: the cloud, one store
// hub and two real till web hosts, every till link through a TCP proxy the test cuts and heals.
//
//   hub route   the hold is device-authenticated, confined to the hub's store, and a malformed
//               body is BAD_INPUT.
//   online      two tills pay ¥74 each from one ¥100 balance at the same moment: the hub holds it
//               for exactly one; the other is refused before any money moves and its cart is
//               intact. Nothing is overdrawn, so nothing is flagged. The same for points.
//               (Before the hub's hold both sales stood and the balance went to −¥48.)
//   offline     a till that cannot reach its hub spends only within the daily offline cap.
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

const ADMIN = 'sv-loop-admin-0123';
const CODE = 'DEMO-SV-2026';
const STORE = 'S1';
const PIN = '8642';
const milk = demoProducts().find((p) => p.nameEn === 'Organic Milk 1L')!;

type Till = TillProcess;
let store: StoreProcesses;
let tills: Till[] = [];
const cloudUrl = () => store.cloudUrl;
const hubUrl = () => `http://127.0.0.1:${store.hub.info.port}`;
const call = tillCall;
const rpc = tillRpc;
const balanceOn = async (t: Till, memberId: string) => (await rpc(t, 'members.storedValue', { memberId })).balance;
async function settled(): Promise<void> {
  await waitFor(
    'both tills pushed and pulled everything',
    async () => {
      const st = await Promise.all(tills.map((t) => rpc(t, 'system.status')));
      return st.every((s) => s.sync.state === 'ok' && s.sync.pendingOps === 0);
    },
    30_000,
    200,
  );
}

beforeAll(async () => {
  store = await startStore({ tag: 'svl', admin: ADMIN, code: CODE, store: STORE });
  tills = store.tills;
  await waitTillsSynced(tills);
}, 300_000);

afterAll(() => store?.stop());

describe('stored value and points through the hub and two tills', () => {
  it("the hub's hold answers only this store's devices, and a malformed body is BAD_INPUT", async () => {
    const url = `${hubUrl()}/sync/loyalty/hold`;
    const ok = { kind: 'stored_value', memberIds: ['M-nobody'], amount: 100, cartId: 'c1', saleId: 's1' };
    expect((await postJson(url, ok)).status).toBe(401);
    const s2code = (await postJson(`${cloudUrl()}/sync/admin/enroll-codes`, { storeId: 'S2' }, ADMIN)).body.code;
    const s2 = (await postJson(`${cloudUrl()}/sync/enroll`, { code: s2code, deviceId: 'T92' })).body.token as string;
    expect((await postJson(url, ok, s2)).body.error.code).toBe('FORBIDDEN');
    const mine = (await postJson(`${cloudUrl()}/sync/enroll`, { code: CODE, deviceId: 'T07' })).body.token as string;
    for (const bad of [
      {},
      { ...ok, amount: -5 },
      { ...ok, amount: 1.5 },
      { ...ok, amount: '100' },
      { ...ok, memberIds: [] },
      { ...ok, kind: 'cash' },
      { ...ok, cartId: 'x'.repeat(81) },
      { ...ok, extra: true },
      [ok],
    ]) {
      const r = await postJson(url, bad, mine);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body.error.code).toBe('BAD_INPUT');
    }
    const notJson = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mine}` },
      body: '{"kind":',
    });
    expect(notJson.status).toBe(400);
    // A member the hub knows nothing of has nothing to hold.
    expect((await postJson(url, ok, mine)).body).toMatchObject({ ok: false, code: 'LOYALTY_INSUFFICIENT', balance: 0 });
    // The hub still answers (nothing crashed).
    expect((await fetch(`${hubUrl()}/health`)).status).toBe(200);
  });

  it('two tills spend one balance at once: exactly one wins, the other is refused with its cart intact; nothing is overdrawn', async () => {
    const [t1, t2] = tills as [Till, Till];
    const consent = { marketing: true, channel: 'customer-display', textVersion: 'v1' };
    const m = (await rpc(t1, 'members.signUp', { phone: '13812345678', name: '王小明', consent })).member;
    await rpc(t1, 'members.topUp', {
      memberId: m.id,
      amount: 10_000,
      tenders: [{ type: 'cash', amount: 10_000 }],
      pin: PIN,
    });
    await waitFor(
      'T02 knows the member and the ¥100',
      async () =>
        (await call(t2, 'cart.setMember', { memberId: m.id })).ok && (await balanceOn(t2, m.id)).balance === 10_000,
      20_000,
    );
    await settled();
    const carts = [];
    for (const t of tills) {
      await rpc(t, 'cart.add', { sku: milk.sku, quantity: 4 });
      carts.push((await rpc(t, 'cart.setMember', { memberId: m.id })).cart);
    }
    expect(carts.map((c) => c.total)).toEqual([4 * milk.price, 4 * milk.price]);
    const amount = 4 * milk.price;
    expect(amount * 2).toBeGreaterThan(10_000);
    expect(amount).toBeLessThanOrEqual(10_000);
    const sv = { tenders: [{ type: 'stored_value', amount, memberPin: PIN }] };
    const [a, b] = await Promise.all([call(t1, 'cart.pay', sv), call(t2, 'cart.pay', sv)]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const [winner, loser] = a.ok ? [t1, t2] : [t2, t1];
    const refused = a.ok ? b : a;
    expect(refused.error.code).toBe('STORED_VALUE_REFUSED');
    expect(['held-elsewhere', 'insufficient']).toContain(refused.error.details.reason);
    if (refused.error.details.reason === 'held-elsewhere') expect(refused.error.details.terminalId).toBe(winner.id);
    // The loser's cart is untouched: the customer pays it another way.
    const rest = await rpc(loser, 'cart.pay', { tenders: [{ type: 'cash', amount }] });
    expect(rest.total).toBe(amount);
    await settled();
    for (const t of tills) {
      await waitFor(
        `${t.id} sees ¥100 − ¥${amount / 100}`,
        async () => (await balanceOn(t, m.id)).balance === 10_000 - amount,
      );
      const mgr = (await postJson(`http://127.0.0.1:${t.proc.info.port}/api/auth.login`, { pin: '8888' })).body.token;
      expect((await rpc(t, 'storedValue.report', {}, mgr)).report.flagged).toEqual([]);
    }

    // Points: both tills try to pay 70 % of the member's points at once.
    await waitFor('both tills see the same points', async () => {
      const [p1, p2] = await Promise.all(tills.map(async (t) => (await balanceOn(t, m.id)).points as number));
      return p1 === p2 && p1! > 10;
    });
    await settled();
    const points = (await balanceOn(t1, m.id)).points as number;
    const use = Math.floor(points * 0.7);
    for (const t of tills) {
      await rpc(t, 'cart.add', { sku: milk.sku, quantity: 4 });
      await rpc(t, 'cart.setMember', { memberId: m.id });
    }
    const pay = {
      tenders: [
        { type: 'points', amount: use },
        { type: 'cash', amount: amount - use },
      ],
    };
    const [p, q] = await Promise.all([call(t1, 'cart.pay', pay), call(t2, 'cart.pay', pay)]);
    expect([p.ok, q.ok].filter(Boolean)).toHaveLength(1);
    const pointsRefused = p.ok ? q : p;
    expect(pointsRefused.error.code).toBe('POINTS_REFUSED');
    expect(['held-elsewhere', 'insufficient']).toContain(pointsRefused.error.details.reason);
    await rpc(p.ok ? t2 : t1, 'cart.void', { reason: 'test done', managerPin: '8888' });
  }, 120_000);

  it('a till cut off from its hub spends only within the daily offline cap', async () => {
    const [t1] = tills as [Till, Till];
    const consent = { marketing: true, channel: 'customer-display', textVersion: 'v1' };
    const m = (await rpc(t1, 'members.signUp', { phone: '13912345678', name: '李小红', consent })).member;
    await rpc(t1, 'members.topUp', {
      memberId: m.id,
      amount: 10_000,
      tenders: [{ type: 'cash', amount: 10_000 }],
      pin: PIN,
    });
    const mgr = (await postJson(`http://127.0.0.1:${t1.proc.info.port}/api/auth.login`, { pin: '8888' })).body.token;
    const cfg = (await rpc(t1, 'config.get', {}, mgr)).config;
    await rpc(t1, 'config.set', { patch: { storedValue: { ...cfg.storedValue, offlineDailyCapFen: 5000 } } }, mgr);
    t1.toHub.setDown(true);
    t1.toCloud.setDown(true);
    try {
      await rpc(t1, 'cart.add', { sku: milk.sku, quantity: 4 });
      await rpc(t1, 'cart.setMember', { memberId: m.id });
      const amount = 4 * milk.price;
      const r = await call(t1, 'cart.pay', { tenders: [{ type: 'stored_value', amount, memberPin: PIN }] });
      expect(r.error).toMatchObject({ code: 'STORED_VALUE_REFUSED', details: { reason: 'offline-cap', cap: 5000 } });
      // Online the same payment goes through (the hub holds it).
      t1.toHub.setDown(false);
      t1.toCloud.setDown(false);
      const paid = await rpc(t1, 'cart.pay', { tenders: [{ type: 'stored_value', amount, memberPin: PIN }] });
      expect(paid.total).toBe(amount);
    } finally {
      t1.toHub.setDown(false);
      t1.toCloud.setDown(false);
      await rpc(t1, 'config.set', { patch: { storedValue: cfg.storedValue } }, mgr);
    }
  }, 60_000);
});
