// 一键加企微 end to end on real sockets: a member's sale at the till carries a WeCom contact QR
// with a per-sale state (receipt document and the sale), the sale replicates to the cloud, the
// WeCom emulator posts the encrypted, signed add_external_contact event to the cloud's callback,
// and the cloud links the contact to the member (360 view, behaviour fact); after the next sync
// the till's member panel says 已加企微. A forged signature, a stale timestamp and another corp's
// payload are refused and change nothing; a state links once and within a day of its sale; a
// contact already linked to another member merges the two (One-ID); a guest's static QR is
// recorded without a member.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, DEMO_ENROLL_CODE, type CloudHandle } from '../../sync';
import { demoProducts } from '../../app/core';
import { openTestCore, PINS, type TestCore } from '../../app/core/test-support';
import { WecomEmulator } from '../../drivers/emulators';
import { cloudDb, dropCloudSchema, postJson, quietLog } from './helpers';

const ADMIN = 'wecom-admin-token';
const STORE = 'S001';
const WECOM = { token: 'wecomToken42', encodingAesKey: WecomEmulator.newAesKey(), corpId: 'ww0123456789abcdef' };
const CONTACT_URL = 'https://work.weixin.qq.com/ca/cawcde1234567890';
const milk = demoProducts().find((p) => p.nameEn === 'Organic Milk 1L')!;

let cloud: CloudHandle;
let t: TestCore;
let wecom: WecomEmulator;
let schema = '';
let token = '';

async function get(path: string): Promise<any> {
  const r = await fetch(`${cloud.url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return r.json();
}
async function post(path: string, body: unknown = {}): Promise<any> {
  const r = await postJson(`${cloud.url}${path}`, body, ADMIN);
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
const sync = () => t.core.sync!.syncNow();
async function contactFacts(): Promise<Record<string, unknown>[]> {
  const r = await cloud.storage.db.query<{ b: string }>(
    `SELECT b FROM ${cloud.storage.table}.ops WHERE t = 'fact' AND e = 'wecom_contact' ORDER BY id COLLATE "C"`,
  );
  return r.rows.map((x) => JSON.parse(x.b) as Record<string, unknown>);
}

/** A member's paid sale at the till: its WeCom state as the receipt shows it. */
async function memberSale(memberId: string): Promise<{ saleId: string; state: string; document: string }> {
  await t.ok('cart.add', { sku: milk.sku, quantity: 1 }, token);
  await t.ok('cart.setMember', { memberId }, token);
  const paid = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 5000 }] }, token);
  const sale = (await t.ok('sales.get', { id: paid.saleId }, token)).sale;
  return { saleId: paid.saleId, state: sale.wecomState ?? '', document: paid.receipt.document ?? '' };
}

beforeAll(async () => {
  const db = cloudDb('wecom');
  schema = db.schema;
  cloud = await startCloud({ ...db, demo: true, demoStoreId: STORE, adminToken: ADMIN, log: quietLog, wecom: WECOM });
  wecom = new WecomEmulator({ callbackUrl: `${cloud.url}/wecom/callback`, ...WECOM });
  t = openTestCore({
    storeId: STORE,
    logger: quietLog,
    sync: { cloudUrl: cloud.url, enrollCode: DEMO_ENROLL_CODE, intervalMs: 60_000 },
  });
  t.clock.now = new Date();
  await sync();
  token = await t.login();
  await t.ok('config.set', { patch: { wecomQrUrl: CONTACT_URL } }, await t.login(PINS.manager));
}, 60_000);

afterAll(async () => {
  t?.cleanup();
  await cloud?.close().catch(() => {});
  await dropCloudSchema(schema);
});

describe('一键加企微: the contact QR, the WeCom callback and the member panel', () => {
  let memberId = '';
  let sale = { saleId: '', state: '', document: '' };

  it("a member's sale prints a contact QR whose state is short, opaque and the same on a reprint", async () => {
    memberId = (await post('/api/members', { storeId: STORE, phone: '13822223333', name: '王五' })).memberId;
    await sync();
    sale = await memberSale(memberId);
    expect(sale.state).toMatch(/^w1[A-Za-z0-9_-]{22}$/);
    expect(sale.state.length).toBeLessThanOrEqual(30); // WeCom's limit for state
    expect(sale.document).toContain(`{code:${CONTACT_URL}?state=${sale.state}; option:qrcode,4,m}`);
    for (const leak of [memberId, '13822223333', '3333', sale.saleId]) expect(sale.state).not.toContain(leak);
    const reprint = await t.ok('sales.reprint', { id: sale.saleId }, token);
    expect(reprint.receipt.document).toContain(`state=${sale.state}`);
    // A guest's receipt has the store's static QR.
    await t.ok('cart.add', { sku: milk.sku, quantity: 1 }, token);
    const guest = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 5000 }] }, token);
    expect(guest.receipt.document).toContain(`{code:${CONTACT_URL}; option:qrcode,4,m}`);
    expect((await t.ok('sales.get', { id: guest.saleId }, token)).sale.wecomState).toBeNull();
  });

  it('a forged signature, a stale timestamp and another corp are refused and link nothing', async () => {
    await sync(); // the sale fact (with its state) reaches the cloud
    const ev = { userId: 'zhangsan', externalUserId: 'wmFORGED0000000000000000000', state: sale.state };
    const forged = await wecom.addContact(ev, { signWithToken: 'not-the-token' });
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const stale = new WecomEmulator({ ...WECOM, callbackUrl: `${cloud.url}/wecom/callback`, now: () => 1_700_000_000 });
    expect((await stale.addContact(ev)).status).toBe(401);
    const otherCorp = new WecomEmulator({ ...WECOM, callbackUrl: `${cloud.url}/wecom/callback`, corpId: 'wwOTHER' });
    expect((await otherCorp.addContact(ev)).status).toBe(401);
    // Junk never crashes the cloud: no Encrypt field, or an Encrypt that is not WeCom's.
    const junk = await fetch(`${cloud.url}/wecom/callback`, { method: 'POST', body: 'not xml at all' });
    expect(junk.status).toBe(400);
    const unsigned = await fetch(`${cloud.url}/wecom/callback`, {
      method: 'POST',
      body: '<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>',
    });
    expect(unsigned.status).toBe(401);
    expect((await get('/health')).ok).toBe(true);
    expect((await get(`/api/members/${memberId}`)).member.wecom).toEqual({ linked: false, linkedAt: null });
    expect(await contactFacts()).toEqual([]);
  });

  it("the add-contact event links the contact to the sale's member: 360 view, fact, and 已加企微 at the till", async () => {
    expect(await wecom.verifyUrl('echo-1234')).toEqual({ status: 200, body: 'echo-1234' });
    const ev = { userId: 'zhangsan', externalUserId: 'wmEXTERNAL0000000000000000001', state: sale.state };
    expect(await wecom.addContact(ev)).toEqual({ status: 200, body: 'success' });
    expect(await wecom.addContact(ev)).toEqual({ status: 200, body: 'success' }); // WeCom retries
    const view = (await get(`/api/members/${memberId}`)).member;
    expect(view.wecom.linked).toBe(true);
    expect(Date.parse(view.wecom.linkedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(view.identities).toContainEqual({ type: 'wecom', value: 'wmE…001' });
    const facts = await contactFacts();
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatchObject({
      event: 'add_external_contact',
      linked: true,
      reason: null,
      memberId,
      storeId: STORE,
      terminalId: t.core.terminalId,
      saleId: sale.saleId,
      wecomUserId: 'zhangsan',
    });
    expect(facts[0]!['cashierId']).toEqual(expect.any(String));

    expect((await t.ok('members.panel', { memberId }, token)).member.wecomLinked).toBe(false);
    await sync();
    expect((await t.ok('members.panel', { memberId }, token)).member.wecomLinked).toBe(true);
  });

  it('a state links once and within a day of its sale: a passed-on or old receipt links nobody', async () => {
    const again = { userId: 'zhangsan', externalUserId: 'wmSTRANGER000000000000000001', state: sale.state };
    expect((await wecom.addContact(again)).status).toBe(200);
    const view = (await get(`/api/members/${memberId}`)).member;
    expect(view.identities.filter((i: { type: string }) => i.type === 'wecom')).toHaveLength(1);
    expect((await contactFacts()).at(-1)).toMatchObject({
      linked: false,
      reason: 'state-used',
      memberId: null,
      saleId: sale.saleId,
      storeId: STORE,
    });
    // A sale two days ago (the till's clock set back for it).
    const real = t.clock.now;
    t.clock.now = new Date(Date.now() - 2 * 86_400_000);
    const old = await memberSale(memberId);
    t.clock.now = real;
    await sync();
    expect(
      (await wecom.addContact({ userId: 'zhangsan', externalUserId: 'wmLATE0001', state: old.state })).status,
    ).toBe(200);
    expect((await contactFacts()).at(-1)).toMatchObject({ linked: false, reason: 'state-expired', memberId: null });
    const ids = (await get(`/api/members/${memberId}`)).member.identities;
    expect(ids.filter((i: { type: string }) => i.type === 'wecom')).toHaveLength(1);
  });

  it('One-ID: the same WeCom contact added from another member record merges it into the first', async () => {
    const dup = (await post('/api/members', { storeId: STORE, unionid: 'o6_union_wecom_dup' })).memberId;
    await sync();
    const s2 = await memberSale(dup);
    await sync();
    const ev = { userId: 'lisi', externalUserId: 'wmEXTERNAL0000000000000000001', state: s2.state };
    expect((await wecom.addContact(ev)).status).toBe(200);
    expect((await get(`/api/members/${memberId}`)).member.mergedFrom).toEqual([dup]);
    await sync();
    const panel = (await t.ok('members.panel', { memberId: dup }, token)).member;
    expect(panel).toMatchObject({ id: memberId, wecomLinked: true });
  });

  it("a guest's static QR (no state) and an unknown state are recorded without a member", async () => {
    expect((await wecom.addContact({ userId: 'zhangsan', externalUserId: 'wmGUEST1' })).status).toBe(200);
    expect(
      (await wecom.addContact({ userId: 'zhangsan', externalUserId: 'wmGUEST2', state: 'w1unknown' })).status,
    ).toBe(200);
    const guests = (await contactFacts()).filter((f) => String(f['externalUserId']).startsWith('wmGUEST'));
    expect(guests).toMatchObject([
      { memberId: null, storeId: null, linked: false, reason: 'no-state' },
      { memberId: null, storeId: null, linked: false, reason: 'unknown-state' },
    ]);
  });
});
