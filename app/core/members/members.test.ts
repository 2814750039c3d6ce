// Members at the till, through the RPC router on a real SQLite core: sign-up with consent,
// phone lookup (masked, audited without the number), member codes (verified offline, once),
// the sale credited with points in its own transaction, the receipt, and returns taking points
// back. The chain key is the test's own (a cloud would hold it; see test/sync/members-cloud.test.ts).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSigningKeys, signMemberCode } from '../../../sync/protocol';
import { openSqlite } from '../db';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';
import { memberConsents } from './index';

const chain = generateSigningKeys();
const products = demoProducts();
const milk = products.find((p) => p.nameEn === 'Organic Milk 1L')!;
const PHONE = '13812345678';
const consent = { marketing: true, channel: 'customer-display', textVersion: 'v1' };

let t: TestCore;
afterEach(() => t?.cleanup());

async function signUp(token: string) {
  return (await t.ok('members.signUp', { phone: PHONE, name: '王小明', consent }, token)).member;
}

describe('members at the till', () => {
  it('signs up a member with consent, finds them by phone (masked) and never writes the number to the audit log', async () => {
    t = openTestCore({ memberCodePublicKey: chain.publicKeyPem });
    const token = await t.login();
    const m = await signUp(token);
    expect(m).toMatchObject({
      maskedName: '王**',
      maskedPhone: '138****5678',
      level: 'silver',
      points: 0,
      local: true,
    });
    const found = (await t.ok('members.identify', { phone: '+86 13812345678'.replace(/ /g, '') }, token)).member;
    expect(found.id).toBe(m.id);
    expect((await t.fail('members.identify', { phone: '13900000000' }, token)).code).toBe('MEMBER_NOT_FOUND');
    expect((await t.fail('members.signUp', { phone: PHONE, consent }, token)).code).toBe('CONFLICT');
    const audit = JSON.stringify((await t.ok('audit.list', { limit: 50 }, await t.login(PINS.manager))).entries);
    expect(audit).toContain('138****5678');
    expect(audit).not.toContain(PHONE);
    const db = openSqlite(join(t.dataDir, 'terminal.db'));
    const c = memberConsents(db, m.id);
    db.close();
    expect(c.marketing).toEqual({
      granted: true,
      at: t.clock.now.toISOString(),
      channel: 'customer-display',
      textVersion: 'v1',
    });
    expect(c.face.granted).toBe(false);
  });

  it('a member code scanned mid-sale attaches the member; the same code again, an expired or foreign one is refused', async () => {
    t = openTestCore({ memberCodePublicKey: chain.publicKeyPem });
    const token = await t.login();
    const m = await signUp(token);
    await t.ok('cart.add', { sku: milk.sku, quantity: 1 }, token);
    const { code } = signMemberCode(m.id, chain.privateKeyPem, { now: t.clock.now.getTime() });
    const scan = await t.ok('cart.scan', { code }, token);
    expect(scan.lineId).toBe('');
    expect(scan.parsed.kind).toBe('member-code');
    expect(scan.member?.id).toBe(m.id);
    expect(scan.cart.member).toEqual({ id: m.id, level: 'silver', tags: [], maskedName: '王**', points: 0 });
    expect(scan.cart.lines).toHaveLength(1);
    const again = await t.fail('cart.scan', { code }, token);
    expect(again).toMatchObject({ code: 'MEMBER_CODE_INVALID', details: { reason: 'replayed' } });
    const old = signMemberCode(m.id, chain.privateKeyPem, { now: t.clock.now.getTime() - 180_000 }).code;
    expect(await t.fail('members.identify', { code: old }, token)).toMatchObject({
      code: 'MEMBER_CODE_INVALID',
      details: { reason: 'expired', secondsAgo: 120 },
    });
    const foreign = signMemberCode(m.id, generateSigningKeys().privateKeyPem, { now: t.clock.now.getTime() }).code;
    expect((await t.fail('cart.scan', { code: foreign }, token)).details).toMatchObject({ reason: 'signature' });
    const tampered = code.slice(0, 10) + (code[10] === 'A' ? 'B' : 'A') + code.slice(11);
    expect((await t.fail('cart.scan', { code: tampered }, token)).code).toBe('MEMBER_CODE_INVALID');
    expect((await t.ok('cart.get', {}, token)).cart.lines).toHaveLength(1);
  });

  it('without a chain key the till says it must pair first', async () => {
    t = openTestCore();
    const token = await t.login();
    const { code } = signMemberCode('m-x', chain.privateKeyPem, { now: t.clock.now.getTime() });
    expect((await t.fail('cart.scan', { code }, token)).details).toMatchObject({ reason: 'no-key' });
  });

  it('credits the sale with points (receipt shows earned and balance); returns take them back; the panel shows the visit', async () => {
    t = openTestCore({ memberCodePublicKey: chain.publicKeyPem });
    const token = await t.login();
    const m = await signUp(token);
    await t.ok('cart.add', { sku: milk.sku, quantity: 3 }, token); // 3 × 18.50 = 55.50
    await t.ok('cart.setMember', { memberId: m.id }, token);
    const paid = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 10000 }] }, token);
    expect(paid.receipt.text).toContain('本单积分');
    expect(paid.receipt.text).toMatch(/本单积分\s+55/);
    expect(paid.receipt.text).toMatch(/积分余额\s+55/);
    const sale = (await t.ok('sales.get', { id: paid.saleId }, token)).sale;
    expect(sale).toMatchObject({ member: { id: m.id, maskedName: '王**' }, pointsEarned: 55, pointsReturned: 0 });
    expect((await t.ok('cart.get', {}, token)).cart.member).toBeNull();
    const panel = (await t.ok('members.panel', { memberId: m.id }, token)).member;
    expect(panel.points).toBe(55);
    expect(panel.visits).toEqual([
      { saleId: paid.saleId, number: paid.saleNumber, total: 5550, createdAt: sale.createdAt },
    ]);

    const line = sale.lines[0]!;
    await t.ok(
      'returns.create',
      { saleId: sale.id, lines: [{ lineId: line.lineId, quantity: 1 }], reason: '破损', managerPin: PINS.manager },
      token,
    );
    // 1 of 3 returned: the member keeps floor(55 × 37.00 / 55.50) = 36 points.
    expect((await t.ok('members.panel', { memberId: m.id }, token)).member.points).toBe(36);
    expect((await t.ok('sales.get', { id: paid.saleId }, token)).sale.pointsReturned).toBe(19);
    await t.ok(
      'returns.create',
      { saleId: sale.id, lines: [{ lineId: line.lineId, quantity: 2 }], reason: '破损', managerPin: PINS.manager },
      token,
    );
    expect((await t.ok('members.panel', { memberId: m.id }, token)).member.points).toBe(0);
  });

  it('a guest sale has no member and earns nothing', async () => {
    t = openTestCore();
    const token = await t.login();
    await t.ok('cart.add', { sku: milk.sku, quantity: 1 }, token);
    const paid = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 10000 }] }, token);
    expect((await t.ok('sales.get', { id: paid.saleId }, token)).sale).toMatchObject({ member: null, pointsEarned: 0 });
    expect(paid.receipt.text).not.toContain('积分');
    expect((await t.fail('members.identify', { phone: PHONE }, token)).code).toBe('MEMBER_NOT_FOUND');
  });
});
