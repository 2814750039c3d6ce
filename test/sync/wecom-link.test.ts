// Per-sale WeCom attribution the way real WeCom carries it, end to end on real sockets: cloud,
// till (real SQLite) and the WeCom emulator playing WeCom's API and the customer's phone. Real
// WeCom fixes a contact way's state when the way is created, so a state appended to its QR never
// comes back; a 获客链接 (customer-acquisition link) URL with `customer_channel=<value>` does — WeCom
// returns the value as the add-contact callback's State. So: HQ's store set-up also creates the
// store's link (create_link: link_name, range.user_list, skip_verify); its URL reaches the till by
// sync (`wecomLinkUrl`, HQ-authored); a member's receipt QR is that URL with the sale's state as
// customer_channel; opening that QR (the emulator's scan) links the member. When WeCom refuses the
// link the set-up still stands, says why, and the till falls back to the contact way's QR.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudHandle } from '../../sync';
import { demoProducts } from '../../app/core';
import { PINS, type TestCore } from '../../app/core/test-support';
import { WecomEmulator } from '../../drivers/emulators';
import { postJson } from './helpers';
import { startWecomStore, type WecomStore } from './wecom-store';

const ADMIN = 'wecom-link-admin-token';
const STORE = 'S001';
const SECRET = 'app-secret-with-acquisition-0001';
const WECOM = { token: 'wecomToken88', encodingAesKey: WecomEmulator.newAesKey(), corpId: 'ww11bb22cc33dd44ee' };
const PHONE = '13855554444';
const milk = demoProducts().find((p) => p.nameEn === 'Organic Milk 1L')!;

let cloud: CloudHandle;
let t: TestCore;
let wecom: WecomEmulator;
let token = '';

async function get(path: string): Promise<{ status: number; body: any }> {
  const r = await fetch(`${cloud.url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return { status: r.status, body: await r.json() };
}
const post = (path: string, body: unknown = {}) => postJson(`${cloud.url}${path}`, body, ADMIN);
const sync = () => t.core.sync!.syncNow();
async function lastContactFact(): Promise<Record<string, unknown> | undefined> {
  const r = await cloud.storage.db.query<{ b: string }>(
    `SELECT b FROM ${cloud.storage.table}.ops WHERE t = 'fact' AND e = 'wecom_contact' ORDER BY id COLLATE "C"`,
  );
  const last = r.rows.at(-1);
  return last ? (JSON.parse(last.b) as Record<string, unknown>) : undefined;
}
/** The URLs of the receipt's QR codes, in print order (the receipt code first, then WeCom's). */
function qrUrls(document: string): string[] {
  return [...document.matchAll(/\{code:((?:\\.|[^;\\])*); option:qrcode/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
}
async function sale(memberId: string | null): Promise<{ state: string | null; wecomQr: string | undefined }> {
  await t.ok('cart.add', { sku: milk.sku, quantity: 1 }, token);
  if (memberId) await t.ok('cart.setMember', { memberId }, token);
  const paid = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 5000 }] }, token);
  const s = (await t.ok('sales.get', { id: paid.saleId }, token)).sale;
  return { state: s.wecomState ?? null, wecomQr: qrUrls(paid.receipt.document ?? '')[1] };
}

let store: WecomStore;

beforeAll(async () => {
  store = await startWecomStore({ tag: 'wecomlink', admin: ADMIN, store: STORE, keys: WECOM, secret: SECRET });
  ({ cloud, wecom, till: t, token } = store);
}, 60_000);

afterAll(() => store?.stop());

describe("per-sale WeCom attribution through the store's 获客链接", () => {
  let memberId = '';
  let setup: { qrCode: string; linkId: string; linkUrl: string } = { qrCode: '', linkId: '', linkUrl: '' };

  it("the store set-up creates the store's acquisition link; the till gets its URL by sync", async () => {
    expect((await t.ok('config.get', {}, token)).config.wecomLinkUrl).toBeNull();
    const r = await post(`/api/stores/${STORE}/wecom`, { users: ['zhangsan', 'lisi'], remark: '门店 S001' });
    expect(r.status).toBe(200);
    expect(r.body.linkError).toBeUndefined();
    setup = r.body.wecom;
    expect(wecom.links).toEqual([
      { linkId: setup.linkId, name: '门店 S001', users: ['zhangsan', 'lisi'], skipVerify: true, url: setup.linkUrl },
    ]);
    expect((await get(`/api/stores/${STORE}/wecom`)).body.wecom).toMatchObject({
      linkId: setup.linkId,
      linkUrl: setup.linkUrl,
    });
    await sync();
    const config = (await t.ok('config.get', {}, token)).config;
    expect(config).toMatchObject({ wecomLinkUrl: setup.linkUrl, wecomQrUrl: setup.qrCode });
  });

  it("a member's receipt QR is the link with the sale's state as customer_channel; a guest's is the store's QR", async () => {
    memberId = (await post('/api/members', { storeId: STORE, phone: PHONE, name: '钱七' })).body.memberId;
    await sync();
    const s = await sale(memberId);
    expect(s.state).toMatch(/^w1[A-Za-z0-9_-]{22}$/);
    // customer_channel takes up to 64 bytes; the state is 24 ASCII characters.
    expect(Buffer.byteLength(s.state!)).toBeLessThanOrEqual(30);
    const qr = new URL(s.wecomQr!);
    expect(`${qr.origin}${qr.pathname}`).toBe(setup.linkUrl);
    expect([...qr.searchParams]).toEqual([['customer_channel', s.state]]);
    for (const word of [memberId, PHONE, PHONE.slice(-4)]) expect(s.wecomQr).not.toContain(word);

    const guest = await sale(null);
    expect(guest.state).toBeNull();
    expect(guest.wecomQr).toBe(setup.qrCode);
  });

  it('opening the QR adds the staff member and links the member to the WeCom contact', async () => {
    const s = await sale(memberId);
    await sync(); // the sale fact (with its state) reaches the cloud
    const scan = await wecom.scanLink(s.wecomQr!, 'wmLINK0000000000000000000001');
    expect(scan).toEqual({
      status: 200,
      body: { added: true, userId: 'zhangsan', callback: { status: 200, body: 'success' } },
    });
    expect(await lastContactFact()).toMatchObject({
      event: 'add_external_contact',
      linked: true,
      reason: null,
      memberId,
      storeId: STORE,
      externalUserId: 'wmLINK0000000000000000000001',
    });
    expect((await get(`/api/members/${memberId}`)).body.member.wecom.linked).toBe(true);
    await sync();
    expect((await t.ok('members.panel', { memberId }, token)).member.wecomLinked).toBe(true);

    // The link opened without a channel (someone copied the bare link) links nobody.
    await wecom.scanLink(setup.linkUrl, 'wmLINK0000000000000000000002');
    expect(await lastContactFact()).toMatchObject({ linked: false, reason: 'no-state', memberId: null });
    // WeCom's own limit on the channel: over 64 bytes is refused before anything is posted.
    const long = new URL(setup.linkUrl);
    long.searchParams.set('customer_channel', 'x'.repeat(65));
    expect((await wecom.scanLink(long.toString(), 'wmLINK0000000000000000000003')).status).toBe(400);
    expect(await lastContactFact()).toMatchObject({ externalUserId: 'wmLINK0000000000000000000002' });
  });

  it('a store till cannot set the link (HQ-authored); a manager setting it is refused', async () => {
    const mgr = await t.login(PINS.manager);
    const r = await t.fail('settings.set', { patch: { wecomLinkUrl: 'https://evil.example/ca/x' } }, mgr);
    expect(r.code).toBe('BAD_INPUT');
    expect((await t.ok('config.get', {}, token)).config.wecomLinkUrl).toBe(setup.linkUrl);
  });

  it("WeCom refusing the link keeps the set-up, says why, and the till falls back to the way's QR", async () => {
    wecom.refuseLinks = true;
    const r = await post(`/api/stores/${STORE}/wecom`, { users: ['zhangsan'] });
    expect(r.status).toBe(200);
    expect(r.body.linkError).toEqual({ code: 'REFUSED', errcode: 48002 });
    expect(r.body.wecom).toMatchObject({ linkId: null, linkUrl: null, users: ['zhangsan'] });
    expect(r.body.wecom.qrCode).not.toBe(setup.qrCode);
    await sync();
    const config = (await t.ok('config.get', {}, token)).config;
    expect(config).toMatchObject({ wecomLinkUrl: null, wecomQrUrl: r.body.wecom.qrCode });
    const s = await sale(memberId);
    expect(s.wecomQr).toBe(`${r.body.wecom.qrCode}?state=${s.state}`);
    wecom.refuseLinks = false;
  });
});
