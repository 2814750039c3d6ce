// The store's WeCom contact way and welcome message, end to end with the WeCom emulator playing
// both sides of WeCom (its server API and its callbacks) on real sockets: HQ asks the cloud to set
// up a store; the cloud takes an access token (gettoken), creates the store's "contact me" way
// (add_contact_way: type 1 for one staff member, 2 for several; scene 2 QR; the store's state),
// keeps config_id and the QR, and the store's till gets the QR URL by sync (no hand-typed URL).
// A new contact through a member's receipt or the store's QR gets the store's welcome text
// (send_welcome_msg with the event's WelcomeCode, once). The delete events unlink the member
// (已加企微 goes away at the till) and are recorded; another staff member's delete does not.
// Malformed input answers BAD_INPUT and writes nothing; no phone number reaches a log line.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WecomApi, type CloudHandle } from '../../sync';
import { demoProducts } from '../../app/core';
import type { TestCore } from '../../app/core/test-support';
import { WecomEmulator } from '../../drivers/emulators';
import { postJson } from './helpers';
import { startWecomStore, type WecomStore } from './wecom-store';

const ADMIN = 'wecom-way-admin-token';
const STORE = 'S001';
const SECRET = 'contact-secret-0001';
const WECOM = { token: 'wecomToken77', encodingAesKey: WecomEmulator.newAesKey(), corpId: 'ww00aa11bb22cc33dd' };
const WELCOME = '欢迎光临！扫码已成功添加店长企微，有问题随时问我。';
const PHONE = '13866667777';
const milk = demoProducts().find((p) => p.nameEn === 'Organic Milk 1L')!;

const logText: string[] = [];
const capture = pino(
  { name: 'cloud', level: 'trace' },
  new Writable({
    write(chunk, _enc, cb) {
      logText.push(String(chunk));
      cb();
    },
  }),
);

let cloud: CloudHandle;
let t: TestCore;
let wecom: WecomEmulator;
let apiUrl = '';
let token = '';

async function get(path: string): Promise<{ status: number; body: any }> {
  const r = await fetch(`${cloud.url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return { status: r.status, body: await r.json() };
}
const post = (path: string, body: unknown = {}, auth: string | undefined = ADMIN) =>
  postJson(`${cloud.url}${path}`, body, auth);
const sync = () => t.core.sync!.syncNow();
async function contactFacts(): Promise<{ s: string; b: Record<string, unknown> }[]> {
  const r = await cloud.storage.db.query<{ s: string; b: string }>(
    `SELECT s, b FROM ${cloud.storage.table}.ops WHERE t = 'fact' AND e = 'wecom_contact' ORDER BY id COLLATE "C"`,
  );
  return r.rows.map((x) => ({ s: x.s, b: JSON.parse(x.b) as Record<string, unknown> }));
}
async function memberSale(memberId: string): Promise<{ state: string; document: string }> {
  await t.ok('cart.add', { sku: milk.sku, quantity: 1 }, token);
  await t.ok('cart.setMember', { memberId }, token);
  const paid = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 5000 }] }, token);
  const sale = (await t.ok('sales.get', { id: paid.saleId }, token)).sale;
  return { state: sale.wecomState ?? '', document: paid.receipt.document ?? '' };
}

let store: WecomStore;

beforeAll(async () => {
  store = await startWecomStore({
    tag: 'wecomway',
    admin: ADMIN,
    store: STORE,
    keys: WECOM,
    secret: SECRET,
    log: capture,
  });
  ({ cloud, wecom, till: t, token } = store);
  apiUrl = store.apiUrl;
}, 60_000);

afterAll(() => store?.stop());

describe("a store's WeCom contact way, its welcome message and the delete events", () => {
  let setup: { configId: string; qrCode: string; state: string } = { configId: '', qrCode: '', state: '' };
  let memberId = '';

  it("the cloud creates the store's contact way through WeCom's API; the till gets its QR by sync", async () => {
    // Nobody typed a QR into the till; it arrives by sync once HQ creates the way. (The till's own
    // first sync cycle may run at any moment, so the "before" is read before the way exists.)
    expect((await t.ok('config.get', {}, token)).config.wecomQrUrl).toBeNull();
    const r = await post(`/api/stores/${STORE}/wecom`, { users: ['zhangsan'], welcomeText: WELCOME });
    expect(r.status).toBe(200);
    setup = r.body.wecom;
    expect(wecom.contactWays).toEqual([
      {
        configId: setup.configId,
        type: 1,
        scene: 2,
        state: setup.state,
        users: ['zhangsan'],
        remark: null,
        qrCode: setup.qrCode,
      },
    ]);
    expect(setup.state).toMatch(/^s1[A-Za-z0-9_-]{22}$/);
    expect(wecom.tokensIssued).toBe(1);
    expect((await get(`/api/stores/${STORE}/wecom`)).body.wecom).toMatchObject({
      configId: setup.configId,
      qrCode: setup.qrCode,
      users: ['zhangsan'],
      welcomeText: WELCOME,
    });
    await sync();
    expect((await t.ok('config.get', {}, token)).config.wecomQrUrl).toBe(setup.qrCode);

    memberId = (await post('/api/members', { storeId: STORE, phone: PHONE, name: '赵六' })).body.memberId;
    await sync();
    const sale = await memberSale(memberId);
    // The way comes with the store's 获客链接: the member's QR carries the state as customer_channel
    // (test/sync/wecom-link.test.ts follows that path to a linked member).
    const link = (await get(`/api/stores/${STORE}/wecom`)).body.wecom.linkUrl as string;
    expect(sale.document).toContain(`${link}?customer_channel=${sale.state}`);
  });

  it('several staff make a multi-person way; the token is reused until WeCom says it expired', async () => {
    const r = await post(`/api/stores/${STORE}/wecom`, { users: ['zhangsan', 'lisi'], remark: '门店 S001' });
    expect(r.status).toBe(200);
    expect(wecom.contactWays.at(-1)).toMatchObject({ type: 2, users: ['zhangsan', 'lisi'], remark: '门店 S001' });
    expect(wecom.tokensIssued).toBe(1);
    wecom.expireTokens();
    const again = await post(`/api/stores/${STORE}/wecom`, { users: ['zhangsan'] });
    expect(again.status).toBe(200);
    expect(wecom.tokensIssued).toBe(2); // 42001 → a fresh token, the call made once more
    // The welcome text is kept when only the staff change; the till follows the newest QR.
    expect(again.body.wecom).toMatchObject({ welcomeText: WELCOME, users: ['zhangsan'] });
    setup = again.body.wecom;
    await sync();
    expect((await t.ok('config.get', {}, token)).config.wecomQrUrl).toBe(setup.qrCode);
  });

  it('malformed set-ups answer BAD_INPUT and change nothing; WeCom refusals come back coded', async () => {
    const ways = wecom.contactWays.length;
    for (const body of [
      {},
      { users: [] },
      { users: ['has space'] },
      { users: ['a', 'a'] },
      { users: Array.from({ length: 101 }, (_, i) => `u${i}`) },
      { users: ['zhangsan'], extra: 1 },
      { welcomeText: 'x'.repeat(1001) },
      { welcomeText: 42 },
    ]) {
      const r = await post(`/api/stores/${STORE}/wecom`, body);
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(r.body.error.code).toBe('BAD_INPUT');
    }
    expect((await post('/api/stores/S%20001/wecom', { users: ['zhangsan'] })).body.error.code).toBe('BAD_INPUT');
    expect((await post(`/api/stores/${STORE}/wecom`, { users: ['zhangsan'] }, 'wrong')).status).toBe(401);
    expect((await get('/api/stores/S404/wecom')).status).toBe(404);
    expect(wecom.contactWays.length).toBe(ways);
    expect((await get(`/api/stores/${STORE}/wecom`)).body.wecom.configId).toBe(setup.configId);

    const wrongSecret = new WecomApi({ corpId: WECOM.corpId, secret: 'not-the-secret', apiUrl });
    await expect(wrongSecret.addContactWay({ users: ['zhangsan'], state: 's1x' })).rejects.toMatchObject({
      code: 'REFUSED',
      details: { api: 'gettoken', errcode: 40001 },
    });
    const api = new WecomApi({ corpId: WECOM.corpId, secret: SECRET, apiUrl });
    await expect(api.sendWelcome('never-issued', WELCOME)).rejects.toMatchObject({
      code: 'REFUSED',
      details: { errcode: 40058 },
    });
    const down = new WecomApi({ corpId: WECOM.corpId, secret: SECRET, apiUrl: 'http://127.0.0.1:9' });
    await expect(down.addContactWay({ users: ['zhangsan'], state: 's1x' })).rejects.toMatchObject({
      code: 'CLOUD_UNREACHABLE',
    });
  });

  it("a new contact through a member's receipt gets the store's welcome text, once", async () => {
    const sale = await memberSale(memberId);
    await sync();
    const ev = { userId: 'zhangsan', externalUserId: 'wmWELCOME000000000000000001', state: sale.state };
    expect(await wecom.addContact(ev)).toEqual({ status: 200, body: 'success' });
    const code = wecom.lastWelcomeCode;
    expect(wecom.welcomes).toEqual([{ welcomeCode: code, text: WELCOME }]);
    expect((await contactFacts()).at(-1)?.b).toMatchObject({ linked: true, memberId, welcome: 'sent' });
    // WeCom's retry of the same event links nothing new and sends nothing again.
    expect((await wecom.addContact(ev)).status).toBe(200);
    expect(wecom.welcomes).toHaveLength(1);
    await sync();
    expect((await t.ok('members.panel', { memberId }, token)).member.wecomLinked).toBe(true);
  });

  it("a guest scanning the store's own QR is welcomed and recorded for the store", async () => {
    expect(
      (await wecom.addContact({ userId: 'zhangsan', externalUserId: 'wmGUEST01', state: setup.state })).status,
    ).toBe(200);
    expect(wecom.welcomes.at(-1)).toEqual({ welcomeCode: wecom.lastWelcomeCode, text: WELCOME });
    const f = (await contactFacts()).at(-1)!;
    expect(f.s).toBe(`store:${STORE}`);
    expect(f.b).toMatchObject({ linked: false, reason: 'no-member', storeId: STORE, welcome: 'sent' });
    // The console has its own welcome for this staff member: no code, nothing sent.
    const before = wecom.welcomes.length;
    await wecom.addContact({ userId: 'zhangsan', externalUserId: 'wmGUEST02', state: setup.state, welcomeCode: false });
    expect(wecom.welcomes).toHaveLength(before);
    expect((await contactFacts()).at(-1)!.b).toMatchObject({ welcome: null, storeId: STORE });
  });

  it("the delete events unlink the member (not another staff member's), are recorded, and reach the till", async () => {
    const ext = 'wmWELCOME000000000000000001';
    expect((await wecom.removeContact({ userId: 'lisi', externalUserId: ext, by: 'customer' })).status).toBe(200);
    expect((await contactFacts()).at(-1)!.b).toMatchObject({
      event: 'del_follow_user',
      unlinked: false,
      reason: 'other-staff',
      memberId,
    });
    expect((await get(`/api/members/${memberId}`)).body.member.wecom.linked).toBe(true);

    // The same event twice (WeCom's retry, same CreateTime) is recorded once.
    const fixed = Math.floor(Date.now() / 1000);
    const once = new WecomEmulator({ ...WECOM, callbackUrl: wecom.callbackUrl, now: () => fixed });
    const before = (await contactFacts()).length;
    expect((await once.removeContact({ userId: 'zhangsan', externalUserId: ext, by: 'customer' })).status).toBe(200);
    expect((await once.removeContact({ userId: 'zhangsan', externalUserId: ext, by: 'customer' })).status).toBe(200);
    const facts = await contactFacts();
    expect(facts).toHaveLength(before + 1);
    expect(facts.at(-1)!.s).toBe(`store:${STORE}`);
    expect(facts.at(-1)!.b).toMatchObject({
      event: 'del_follow_user',
      unlinked: true,
      reason: null,
      memberId,
      storeId: STORE,
      wecomUserId: 'zhangsan',
    });
    expect((await get(`/api/members/${memberId}`)).body.member.wecom.linked).toBe(false);
    await sync();
    expect((await t.ok('members.panel', { memberId }, token)).member.wecomLinked).toBe(false);

    // The staff member removing a contact nobody linked; an event without ids is refused.
    expect((await wecom.removeContact({ userId: 'zhangsan', externalUserId: 'wmNOBODY', by: 'staff' })).status).toBe(
      200,
    );
    expect((await contactFacts()).at(-1)!.b).toMatchObject({
      event: 'del_external_contact',
      unlinked: false,
      reason: 'unknown-contact',
      memberId: null,
    });
    const bad = await wecom.removeContact({ userId: 'zhangsan', externalUserId: '', by: 'staff' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: { code: 'BAD_INPUT' } });

    // A new add through a fresh receipt links again.
    const sale = await memberSale(memberId);
    await sync();
    await wecom.addContact({ userId: 'zhangsan', externalUserId: ext, state: sale.state });
    expect((await get(`/api/members/${memberId}`)).body.member.wecom.linked).toBe(true);
  });

  it('no phone number in any cloud log line', () => {
    expect(logText.length).toBeGreaterThan(0);
    for (const line of logText) expect(line).not.toContain(PHONE);
    expect(logText.join('\n')).toContain('WeCom contact removed');
  });
});
