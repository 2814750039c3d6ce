// The CDP and a till on real sockets (cloud on PGlite or Postgres, the till core with sync on):
// a member created in the cloud replicates to the store's till; the cloud's member code is
// verified offline by the till; the sale is credited with points and appears in the cloud's
// 360 view; One-ID merges show on the till as the survivor; behaviour tags computed in the
// cloud reach the till; the access export holds the member's data; erasure reaches the till
// within one sync. Another store's member is found through the cloud, and once the cloud is
// gone the till says "offline, continue as guest". Every log line is captured: no phone in them.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, DEMO_ENROLL_CODE, type CloudHandle } from '../../sync';
import { demoProducts } from '../../app/core';
import { openTestCore, type TestCore } from '../../app/core/test-support';
import { cloudDb, dropCloudSchema, postJson } from './helpers';

const ADMIN = 'members-admin-token';
const STORE = 'S001';
const PHONE = '13811112222';
const PHONE_OTHER_STORE = '13933334444';
const PHONE_NOT_HERE = '13755556666';
const milk = demoProducts().find((p) => p.nameEn === 'Organic Milk 1L')!;

const logText: string[] = [];
const capture = (name: string) =>
  pino(
    { name, level: 'trace' },
    new Writable({
      write(chunk, _enc, cb) {
        logText.push(String(chunk));
        cb();
      },
    }),
  );

let cloud: CloudHandle;
let t: TestCore;
let schema = '';
const api = (path: string) => `${cloud.url}${path}`;
async function get(path: string): Promise<any> {
  const r = await fetch(api(path), { headers: { authorization: `Bearer ${ADMIN}` } });
  return r.json();
}
async function post(path: string, body: unknown = {}): Promise<any> {
  const r = await postJson(api(path), body, ADMIN);
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
async function sync() {
  await t.core.sync!.syncNow();
}

beforeAll(async () => {
  const db = cloudDb('members');
  schema = db.schema;
  cloud = await startCloud({ ...db, demo: true, demoStoreId: STORE, adminToken: ADMIN, log: capture('cloud') });
  t = openTestCore({
    storeId: STORE,
    logger: capture('till'),
    sync: { cloudUrl: cloud.url, enrollCode: DEMO_ENROLL_CODE, intervalMs: 60_000 },
  });
  // The till's clock follows the real one here: member codes are stamped by the cloud's clock.
  t.clock.now = new Date();
  await sync();
}, 60_000);

afterAll(async () => {
  t?.cleanup();
  await cloud?.close().catch(() => {});
  await dropCloudSchema(schema);
});

describe('members: the cloud CDP and the till', () => {
  let memberId = '';
  let token = '';

  it('a member created in the cloud is found at the till by phone and by the cloud-signed member code', async () => {
    token = await t.login();
    const created = await post('/api/members', {
      storeId: STORE,
      phone: PHONE,
      name: '李四',
      level: 'gold',
      consent: { marketing: true, channel: 'mini-program', textVersion: 'v2' },
    });
    memberId = created.memberId;
    await sync();
    const byPhone = (await t.ok('members.identify', { phone: PHONE }, token)).member;
    expect(byPhone).toMatchObject({ id: memberId, maskedName: '李*', level: 'gold', local: true });
    expect(byPhone.consent).toEqual({ marketing: true });

    const { code, expiresAt } = await post(`/api/members/${memberId}/code`);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(50_000);
    await t.ok('cart.add', { sku: milk.sku, quantity: 2 }, token); // 37.00
    const scan = await t.ok('cart.scan', { code }, token);
    expect(scan.cart.member).toEqual({ id: memberId, level: 'gold', tags: [], maskedName: '李*', points: 0 });
    const paid = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 5000 }] }, token);
    expect(paid.receipt.text).toMatch(/本单积分\s+55/); // gold: 150 % of 37
    await sync();
    const view = (await get(`/api/members/${memberId}`)).member;
    expect(view.points).toBe(55);
    expect(view.purchases).toMatchObject([{ saleId: paid.saleId, storeId: STORE, total: 3700, pointsEarned: 55 }]);
    expect(view.identities).toContainEqual({ type: 'phone', value: '138****2222' });
    expect(view.consents.marketing).toMatchObject({
      granted: true,
      record: { channel: 'mini-program', textVersion: 'v2' },
    });
  });

  it('One-ID: a WeChat record that turns out to have the same phone merges, and the till shows the survivor', async () => {
    const other = await post('/api/members', { storeId: STORE, unionid: 'o6_union_abc123' });
    await sync();
    expect((await t.ok('members.panel', { memberId: other.memberId }, token)).member.id).toBe(other.memberId);
    const linked = await post(`/api/members/${other.memberId}/identities`, { type: 'phone', value: PHONE });
    expect(linked).toMatchObject({ memberId, merged: true });
    await sync();
    const panel = (await t.ok('members.panel', { memberId: other.memberId }, token)).member;
    expect(panel.id).toBe(memberId);
    expect(panel.points).toBe(55);
    expect((await get(`/api/members/${memberId}`)).member.mergedFrom).toEqual([other.memberId]);
  });

  it('behaviour tags are computed in the cloud and replicate to the till', async () => {
    const r = await post('/api/members/tags/recompute', {});
    expect(r.tagOps).toBeGreaterThan(0);
    await sync();
    const panel = (await t.ok('members.panel', { memberId }, token)).member;
    expect(panel.tags).toEqual(['active', 'new']);
    // 100 days later the same member is lapsing: the old tags are removed, the new one added.
    await post('/api/members/tags/recompute', { now: new Date(Date.now() + 100 * 86_400_000).toISOString() });
    await sync();
    expect((await t.ok('members.panel', { memberId }, token)).member.tags).toEqual(['lapsing-90']);
  });

  it("the access export holds the member's own data, unmasked", async () => {
    const r = await get(`/api/members/${memberId}/export`);
    expect(r.member.identities).toContainEqual({ type: 'phone', value: PHONE });
    expect(r.member.pointsLedger).toMatchObject([{ reason: 'sale', delta: 55 }]);
    expect(r.member.purchases).toHaveLength(1);
  });

  it("another store's member is found through the cloud, without tags or history", async () => {
    await post('/api/members', { storeId: 'S002', phone: PHONE_OTHER_STORE, name: '赵五' });
    const m = (await t.ok('members.identify', { phone: PHONE_OTHER_STORE }, token)).member;
    expect(m).toMatchObject({ maskedName: '赵*', local: false, tags: [], visits: [], maskedPhone: '139****4444' });
  });

  it('erasure reaches the till within one sync: the member is gone there and in the 360 view', async () => {
    await post(`/api/members/${memberId}/erase`);
    await sync();
    expect((await t.fail('members.identify', { phone: PHONE }, token)).code).toBe('MEMBER_NOT_FOUND');
    expect((await t.fail('members.panel', { memberId }, token)).code).toBe('MEMBER_NOT_FOUND');
    const view = (await get(`/api/members/${memberId}`)).member;
    expect(view).toMatchObject({ erased: true, maskedName: null, identities: [], purchases: [] });
  });

  it('offline, a member of another store cannot be looked up: the till says continue as guest', async () => {
    await cloud.close();
    expect((await t.fail('members.identify', { phone: PHONE_NOT_HERE }, token)).code).toBe('MEMBER_LOOKUP_OFFLINE');
    const logs = logText.join('');
    for (const p of [PHONE, PHONE_OTHER_STORE, PHONE_NOT_HERE]) expect(logs).not.toContain(p);
  });
});
