// Stored value (储值) and points as money, through the RPC router on real SQLite tills: a top-up
// earns its bonus tier and is kept as principal + bonus; the cash is in the drawer's count; paying
// from the balance needs the member present (member code, or PIN); a return puts back exactly what
// the sale took; offline a member spends at most the daily cap; two tills that spend the same
// balance while cut off both succeed, and once their ledgers merge the negative balance is flagged
// to the manager with both sales — and counted once however often the facts arrive.
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSigningKeys, signMemberCode } from '../../../sync/protocol';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';

const chain = generateSigningKeys();
const milk = demoProducts().find((p) => p.nameEn === 'Organic Milk 1L')!; // ¥18.50
const consent = { marketing: true, channel: 'till', textVersion: 'v1' };
const NOWHERE = 'http://127.0.0.1:9';

const opened: TestCore[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) {
    await t.core.close();
    rmSync(t.dataDir, { recursive: true, force: true });
  }
});

function till(terminalId = 'T01', sync = false): TestCore {
  const t = openTestCore({
    storeId: 'S001',
    terminalId,
    memberCodePublicKey: chain.publicKeyPem,
    ...(sync ? { sync: { cloudUrl: NOWHERE, enrollCode: 'DEMO-S001-2026', intervalMs: 600_000 } } : {}),
  });
  opened.push(t);
  return t;
}

async function member(t: TestCore, token: string, phone = '13812345678') {
  return (await t.ok('members.signUp', { phone, name: '王小明', consent }, token)).member;
}

async function cartOf(t: TestCore, token: string, memberId: string, quantity: number) {
  await t.ok('cart.add', { sku: milk.sku, quantity }, token);
  return (await t.ok('cart.setMember', { memberId }, token)).cart;
}

describe('stored value at the till', () => {
  it('a ¥200 top-up earns ¥50 bonus kept apart; the cash is in the drawer; the liability report shows both', async () => {
    const t = till();
    const token = await t.login();
    const m = await member(t, token);
    const r = await t.ok(
      'members.topUp',
      { memberId: m.id, amount: 20_000, tenders: [{ type: 'cash', amount: 20_000 }], pin: '135790' },
      token,
    );
    expect(r).toMatchObject({ amount: 20_000, bonus: 5000 });
    expect(r.balance).toMatchObject({ principal: 20_000, bonus: 5000, balance: 25_000, pinSet: true });
    // ¥150 earns nothing (below the first tier); ¥600 gets the best tier reached (¥150), once.
    expect(
      (
        await t.ok(
          'members.topUp',
          { memberId: m.id, amount: 15_000, tenders: [{ type: 'card', amount: 15_000, reference: 'A81234' }] },
          token,
        )
      ).bonus,
    ).toBe(0);
    expect(
      (
        await t.ok(
          'members.topUp',
          { memberId: m.id, amount: 60_000, tenders: [{ type: 'cash', amount: 60_000 }] },
          token,
        )
      ).bonus,
    ).toBe(15_000);
    const manager = await t.login(PINS.manager);
    const x = (await t.ok('shift.xReport', {}, manager)).report;
    expect(x.expectedCash).toBe(80_000); // float 0 + two cash top-ups; the card top-up is not in the drawer
    const rep = (await t.ok('storedValue.report', {}, manager)).report;
    expect(rep).toMatchObject({ principal: 95_000, bonus: 20_000, members: 1, toppedUpToday: 115_000, flagged: [] });
    // Limits and roles: below the minimum, a cashier cannot read the liability, no such member.
    expect(
      (await t.fail('members.topUp', { memberId: m.id, amount: 500, tenders: [{ type: 'cash', amount: 500 }] }, token))
        .code,
    ).toBe('BAD_INPUT');
    expect((await t.fail('storedValue.report', {}, token)).code).toBe('FORBIDDEN');
    expect(
      await t.fail('members.topUp', { memberId: m.id, amount: 5000, tenders: [{ type: 'card', amount: 5000 }] }, token),
    ).toMatchObject({ code: 'TENDER_INVALID', details: { reason: 'card-reference' } });
    expect(
      (
        await t.fail(
          'members.topUp',
          { memberId: 'm-nobody', amount: 5000, tenders: [{ type: 'cash', amount: 5000 }] },
          token,
        )
      ).code,
    ).toBe('MEMBER_NOT_FOUND');
    expect(
      (
        await t.fail(
          'members.topUp',
          { memberId: m.id, amount: 5000, tenders: [{ type: 'points', amount: 5000 }] },
          token,
        )
      ).code,
    ).toBe('BAD_INPUT');
  });

  it('a top-up by payment code is charged once; a declined code writes nothing and gives back the code charged before it', async () => {
    const t = till();
    const token = await t.login();
    const m = await member(t, token);
    const r = await t.ok(
      'members.topUp',
      {
        memberId: m.id,
        amount: 20_000,
        tenders: [{ type: 'payment_code', amount: 20_000, code: '134567890123456789' }],
      },
      token,
    );
    expect(r.tenders).toEqual([expect.objectContaining({ type: 'payment_code', provider: 'wechat-sandbox' })]);
    expect([...t.provider.orders.values()].filter((o) => o.state === 'paid')).toHaveLength(1);
    const declined = await t.fail(
      'members.topUp',
      {
        memberId: m.id,
        amount: 20_000,
        tenders: [
          { type: 'payment_code', amount: 10_000, code: '284567890123456789' },
          { type: 'payment_code', amount: 10_000, code: '134567890123450000' },
        ],
      },
      token,
    );
    expect(declined.code).toBe('PAYMENT_DECLINED');
    expect(t.provider.reversals).toHaveLength(1); // the Alipay charge of the failed top-up went back
    expect((await t.ok('members.storedValue', { memberId: m.id }, token)).balance.balance).toBe(25_000);
  });

  it('pays from the balance only with the member present; a full return restores principal and bonus exactly', async () => {
    const t = till();
    const token = await t.login();
    const m = await member(t, token);
    await t.ok(
      'members.topUp',
      { memberId: m.id, amount: 20_000, tenders: [{ type: 'cash', amount: 20_000 }], pin: '135790' },
      token,
    );
    const cart = await cartOf(t, token, m.id, 3); // ¥55.50
    const sv = (extra: object = {}) => ({ tenders: [{ type: 'stored_value', amount: cart.total, ...extra }] });
    expect((await t.fail('cart.pay', sv(), token)).details).toMatchObject({ reason: 'not-present' });
    expect((await t.fail('cart.pay', sv({ memberPin: '000000' }), token)).details).toMatchObject({
      reason: 'wrong-pin',
    });
    const paid = await t.ok('cart.pay', sv({ memberPin: '135790' }), token);
    expect(paid.tenders).toEqual([
      { type: 'stored_value', amount: 5550, tendered: 5550, reference: m.id, provider: null },
    ]);
    expect(paid.receipt.text).toMatch(/储值余额\s+¥?194\.50/);
    const b = (await t.ok('members.storedValue', { memberId: m.id }, token)).balance;
    // Taken in proportion: bonus floor(5550 × 5000 / 25000) = 1110, principal 4440.
    expect(b).toMatchObject({ principal: 15_560, bonus: 3890, balance: 19_450 });
    const sale = (await t.ok('sales.get', { id: paid.saleId }, token)).sale;
    await t.ok(
      'returns.create',
      {
        saleId: sale.id,
        lines: [{ lineId: sale.lines[0]!.lineId, quantity: 1 }],
        reason: '破损',
        managerPin: PINS.manager,
      },
      token,
    );
    expect((await t.ok('members.storedValue', { memberId: m.id }, token)).balance.balance).toBe(19_450 + 1850);
    const ret = await t.ok(
      'returns.create',
      {
        saleId: sale.id,
        lines: [{ lineId: sale.lines[0]!.lineId, quantity: 2 }],
        reason: '破损',
        managerPin: PINS.manager,
      },
      token,
    );
    expect(ret.return.tenders).toEqual([expect.objectContaining({ type: 'stored_value', amount: 3700 })]);
    expect((await t.ok('members.storedValue', { memberId: m.id }, token)).balance).toMatchObject({
      principal: 20_000,
      bonus: 5000,
    });
    // More than the balance is refused, with the balance in words.
    await cartOf(t, token, m.id, 20); // ¥370 > ¥250
    const over = await t.fail(
      'cart.pay',
      { tenders: [{ type: 'stored_value', amount: 37_000, memberPin: '135790' }] },
      token,
    );
    expect(over).toMatchObject({ code: 'STORED_VALUE_REFUSED', details: { reason: 'insufficient', balance: 25_000 } });
  });

  it('a member code scanned on the cart is presence enough (no PIN); a guest cart cannot use stored value', async () => {
    const t = till();
    const token = await t.login();
    const m = await member(t, token);
    await t.ok('members.topUp', { memberId: m.id, amount: 10_000, tenders: [{ type: 'cash', amount: 10_000 }] }, token);
    await t.ok('cart.add', { sku: milk.sku, quantity: 1 }, token);
    expect(
      (await t.fail('cart.pay', { tenders: [{ type: 'stored_value', amount: 1850 }] }, token)).details,
    ).toMatchObject({ reason: 'no-member' });
    const { code } = signMemberCode(m.id, chain.privateKeyPem, { now: t.clock.now.getTime() });
    await t.ok('cart.scan', { code }, token);
    // A PIN was never set: phone + PIN cannot work, the code can.
    await t.ok(
      'cart.pay',
      {
        tenders: [
          { type: 'stored_value', amount: 1000 },
          { type: 'cash', amount: 850 },
        ],
      },
      token,
    );
    expect((await t.ok('members.storedValue', { memberId: m.id }, token)).balance.balance).toBe(9000);
    // The code paid once: the next sale for this member (attached by phone, say) needs the member again.
    await cartOf(t, token, m.id, 1);
    expect(
      (await t.fail('cart.pay', { tenders: [{ type: 'stored_value', amount: 1850 }] }, token)).details,
    ).toMatchObject({ reason: 'not-present' });
    // A code scanned on this cart but 16 minutes ago no longer counts.
    await t.ok(
      'cart.scan',
      { code: signMemberCode(m.id, chain.privateKeyPem, { now: t.clock.now.getTime() }).code },
      token,
    );
    t.clock.advance(16 * 60_000);
    const later = await t.login();
    expect(
      (await t.fail('cart.pay', { tenders: [{ type: 'stored_value', amount: 1850 }] }, later)).details,
    ).toMatchObject({ reason: 'not-present' });
    expect(
      (await t.fail('cart.pay', { tenders: [{ type: 'stored_value', amount: 1850, memberPin: '1234' }] }, later))
        .details,
    ).toMatchObject({ reason: 'no-pin' });
  });

  it('offline a member spends at most the daily cap; the next store day it opens again', async () => {
    const t = till();
    const token = await t.login();
    const manager = await t.login(PINS.manager);
    const cfg = (await t.ok('config.get', {}, manager)).config;
    await t.ok('config.set', { patch: { storedValue: { ...cfg.storedValue, offlineDailyCapFen: 5000 } } }, manager);
    const m = await member(t, token);
    await t.ok(
      'members.topUp',
      { memberId: m.id, amount: 20_000, tenders: [{ type: 'cash', amount: 20_000 }], pin: '2468' },
      token,
    );
    await cartOf(t, token, m.id, 2); // ¥37
    await t.ok('cart.pay', { tenders: [{ type: 'stored_value', amount: 3700, memberPin: '2468' }] }, token);
    await cartOf(t, token, m.id, 1);
    const capped = await t.fail(
      'cart.pay',
      { tenders: [{ type: 'stored_value', amount: 1850, memberPin: '2468' }] },
      token,
    );
    expect(capped).toMatchObject({
      code: 'STORED_VALUE_REFUSED',
      details: { reason: 'offline-cap', cap: 5000, spent: 3700 },
    });
    expect(capped.message).toContain('50.00');
    await t.ok(
      'cart.pay',
      {
        tenders: [
          { type: 'stored_value', amount: 1300, memberPin: '2468' },
          { type: 'cash', amount: 550 },
        ],
      },
      token,
    );
    t.clock.advance(24 * 3600_000);
    const next = await t.login();
    await cartOf(t, next, m.id, 1);
    await t.ok('cart.pay', { tenders: [{ type: 'stored_value', amount: 1850, memberPin: '2468' }] }, next);
    expect((await t.ok('members.storedValue', { memberId: m.id }, next)).balance).toMatchObject({
      balance: 25_000 - 3700 - 1300 - 1850,
      offlineSpentToday: 1850,
    });
  });

  it('points pay part of a sale at the store rate; more than the balance is refused; a return gives them back', async () => {
    const t = till();
    const token = await t.login();
    const m = await member(t, token);
    await cartOf(t, token, m.id, 10); // ¥185 → 185 points
    await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 18_500 }] }, token);
    expect((await t.ok('members.storedValue', { memberId: m.id }, token)).balance).toMatchObject({
      points: 185,
      pointsValue: 185,
    });
    await cartOf(t, token, m.id, 1);
    expect(
      await t.fail(
        'cart.pay',
        {
          tenders: [
            { type: 'points', amount: 186 },
            { type: 'cash', amount: 1664 },
          ],
        },
        token,
      ),
    ).toMatchObject({ code: 'POINTS_REFUSED', details: { reason: 'insufficient', points: 185 } });
    const paid = await t.ok(
      'cart.pay',
      {
        tenders: [
          { type: 'points', amount: 150 },
          { type: 'cash', amount: 1700 },
        ],
      },
      token,
    );
    expect(paid.tenders[0]).toMatchObject({ type: 'points', amount: 150, reference: '150' });
    // 185 − 150 redeemed + 18 earned on the ¥18.50 sale.
    expect((await t.ok('members.storedValue', { memberId: m.id }, token)).balance.points).toBe(53);
    const sale = (await t.ok('sales.get', { id: paid.saleId }, token)).sale;
    await t.ok(
      'returns.create',
      { saleId: sale.id, lines: [{ lineId: sale.lines[0]!.lineId }], reason: '破损', managerPin: PINS.manager },
      token,
    );
    expect((await t.ok('members.storedValue', { memberId: m.id }, token)).balance.points).toBe(185);
  });

  it('two tills cut off from the hub spend the same balance: both sales stand, and after the merge the manager sees it flagged', async () => {
    const a = till('T01', true);
    const b = till('T02', true);
    const exchange = async () => {
      const ra = a.core.sync!.outbox.storage;
      const rb = b.core.sync!.outbox.storage;
      await rb.apply(await ra.allOps('store:S001'), 'hub');
      await ra.apply(await rb.allOps('store:S001'), 'hub');
    };
    const ta = await a.login();
    const tb = await b.login();
    const m = await member(a, ta);
    await a.ok(
      'members.topUp',
      { memberId: m.id, amount: 10_000, tenders: [{ type: 'cash', amount: 10_000 }], pin: '8642' },
      ta,
    );
    await exchange();
    expect((await b.ok('members.storedValue', { memberId: m.id }, tb)).balance).toMatchObject({
      balance: 10_000,
      pinSet: true,
    });
    // Now the store is cut off: each till spends ¥74 of the ¥100 it last saw (under the ¥500 cap).
    await cartOf(a, ta, m.id, 4);
    const sa = await a.ok('cart.pay', { tenders: [{ type: 'stored_value', amount: 7400, memberPin: '8642' }] }, ta);
    await cartOf(b, tb, m.id, 4);
    const sb = await b.ok('cart.pay', { tenders: [{ type: 'stored_value', amount: 7400, memberPin: '8642' }] }, tb);
    expect((await a.ok('storedValue.report', {}, await a.login(PINS.manager))).report.flagged).toEqual([]);
    await exchange();
    await exchange(); // facts arriving twice count once
    for (const t of [a, b]) {
      const rep = (await t.ok('storedValue.report', {}, await t.login(PINS.manager))).report;
      expect(rep.flagged).toHaveLength(1);
      expect(rep.flagged[0]).toMatchObject({
        kind: 'stored_value',
        memberId: m.id,
        maskedName: '王**',
        balance: -4800,
      });
      expect(rep.flagged[0]!.sales.map((s) => s.saleId).sort()).toEqual([sa.saleId, sb.saleId].sort());
      expect(rep).toMatchObject({ principal: 0, bonus: 0, members: 0 });
      // Negative now: no till spends more.
      const tok = await t.login();
      await cartOf(t, tok, m.id, 1);
      expect(
        (await t.fail('cart.pay', { tenders: [{ type: 'stored_value', amount: 1850, memberPin: '8642' }] }, tok))
          .details,
      ).toMatchObject({ reason: 'insufficient' });
    }
  });

  it('five wrong member PINs lock stored value on the till; then even the right PIN is refused', async () => {
    const t = till();
    const token = await t.login();
    const m = await member(t, token);
    await t.ok(
      'members.topUp',
      { memberId: m.id, amount: 10_000, tenders: [{ type: 'cash', amount: 10_000 }], pin: '975310' },
      token,
    );
    await cartOf(t, token, m.id, 1);
    const pay = (memberPin: string) => ({ tenders: [{ type: 'stored_value', amount: 1850, memberPin }] });
    for (let i = 0; i < 5; i++)
      expect((await t.fail('cart.pay', pay(`00000${i}`), token)).details).toMatchObject({ reason: 'wrong-pin' });
    expect(await t.fail('cart.pay', pay('975310'), token)).toMatchObject({
      code: 'LOCKED_OUT',
      details: { reason: 'member-pin' },
    });
    t.clock.advance(16 * 60_000);
    const later = await t.login();
    await t.ok('cart.pay', pay('975310'), later);
  });

  it('points redeemed twice offline on two tills are flagged after the merge', async () => {
    const a = till('T01', true);
    const b = till('T02', true);
    const exchange = async () => {
      const ra = a.core.sync!.outbox.storage;
      const rb = b.core.sync!.outbox.storage;
      await rb.apply(await ra.allOps('store:S001'), 'hub');
      await ra.apply(await rb.allOps('store:S001'), 'hub');
    };
    const ta = await a.login();
    const tb = await b.login();
    const m = await member(a, ta);
    await cartOf(a, ta, m.id, 6); // ¥111 → 111 points
    await a.ok('cart.pay', { tenders: [{ type: 'cash', amount: 11_100 }] }, ta);
    await exchange();
    expect((await b.ok('members.storedValue', { memberId: m.id }, tb)).balance.points).toBe(111);
    await cartOf(a, ta, m.id, 1);
    await a.ok(
      'cart.pay',
      {
        tenders: [
          { type: 'points', amount: 100 },
          { type: 'cash', amount: 1750 },
        ],
      },
      ta,
    );
    await cartOf(b, tb, m.id, 1);
    await b.ok(
      'cart.pay',
      {
        tenders: [
          { type: 'points', amount: 100 },
          { type: 'cash', amount: 1750 },
        ],
      },
      tb,
    );
    await exchange();
    const rep = (await b.ok('storedValue.report', {}, await b.login(PINS.manager))).report;
    // 111 − 100 − 100 + 18 + 18 earned on the two ¥18.50 sales.
    expect(rep.flagged).toEqual([expect.objectContaining({ kind: 'points', memberId: m.id, balance: -53 })]);
    expect(rep.flagged[0]!.sales).toHaveLength(2);
  });

  it('stored value written while sync was off is back-filled once sync starts, and another till sees the balance', async () => {
    const a = till('T01');
    const ta = await a.login();
    const m = await member(a, ta);
    await a.ok(
      'members.topUp',
      { memberId: m.id, amount: 20_000, tenders: [{ type: 'cash', amount: 20_000 }], pin: '5555' },
      ta,
    );
    a.reopen({ sync: { cloudUrl: NOWHERE, enrollCode: 'DEMO-S001-2026', intervalMs: 600_000 } });
    const b = till('T02', true);
    await b.core.sync!.outbox.storage.apply(await a.core.sync!.outbox.storage.allOps('store:S001'), 'hub');
    const tb = await b.login();
    expect((await b.ok('members.storedValue', { memberId: m.id }, tb)).balance).toMatchObject({
      principal: 20_000,
      bonus: 5000,
      pinSet: true,
    });
  });
});
