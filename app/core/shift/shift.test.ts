import { afterEach, describe, expect, it } from 'vitest';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';

let t: TestCore;
afterEach(() => t?.cleanup());

const cola = demoProducts().find((p) => p.nameEn === 'Coca-Cola 330ml')!;

describe('shifts', () => {
  it('opens with a float, moves cash in and out, reports X and closes Z with a blind count', async () => {
    t = openTestCore();
    const token = await t.login();
    expect((await t.fail('shift.xReport', {}, await t.login(PINS.manager))).code).toBe('SHIFT_NOT_OPEN');
    expect((await t.fail('shift.cashIn', { amount: 100, reason: '零钱' }, token)).code).toBe('SHIFT_NOT_OPEN');
    const { shift } = await t.ok('shift.open', { float: 20000 }, token);
    expect(shift).toMatchObject({ float: 20000, closedAt: null, cashier: { name: '李娜' } });
    expect((await t.fail('shift.open', { float: 0 }, token)).code).toBe('SHIFT_ALREADY_OPEN');

    await t.ok('shift.cashIn', { amount: 5000, reason: '补零钱' }, token);
    expect((await t.fail('shift.cashOut', { amount: 3000, reason: '存银行' }, token)).code).toBe('MANAGER_REQUIRED');
    const out = await t.ok('shift.cashOut', { amount: 3000, reason: '存银行', managerPin: PINS.manager }, token);
    expect(out.shift.cashMovements.map((m) => [m.kind, m.amount, m.reason])).toEqual([
      ['in', 5000, '补零钱'],
      ['out', 3000, '存银行'],
    ]);
    const tooMuch = await t.fail(
      'shift.cashOut',
      { amount: 99999999, reason: 'too much', managerPin: PINS.manager },
      token,
    );
    expect(tooMuch.code).toBe('BAD_INPUT');
    // Nor does a refused cash out tell a cashier's session what the drawer should hold.
    expect(tooMuch.message).not.toContain('220.00');
    expect(tooMuch.details).toEqual({ reason: 'drawer-short-hidden' });

    // Sales: 2 x cola cash, 1 x cola card, 1 x cola payment code
    await t.ok('cart.add', { sku: cola.sku, quantity: 2 }, token);
    await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 1000 }] }, token);
    await t.ok('cart.add', { sku: cola.sku }, token);
    const card = await t.ok('cart.pay', { tenders: [{ type: 'card', amount: 350 }] }, token);
    await t.ok('cart.add', { sku: cola.sku }, token);
    await t.ok('cart.pay', { tenders: [{ type: 'payment_code', amount: 350, code: '284567890123456789' }] }, token);
    const cardSale = (await t.ok('sales.get', { id: card.saleId }, token)).sale;
    await t.ok(
      'returns.create',
      { saleId: card.saleId, lines: [{ lineId: cardSale.lines[0]!.lineId }], reason: 'x', managerPin: PINS.manager },
      token,
    );

    // The blind count stays blind: a cashier cannot read expected cash (nor the tender totals it is made of) before counting.
    const refused = await t.fail('shift.xReport', {}, token);
    expect(refused.code).toBe('FORBIDDEN');
    expect(JSON.stringify(refused)).not.toContain('22700');
    const mgrX = await t.login(PINS.manager);
    const x = (await t.ok('shift.xReport', {}, mgrX)).report;
    expect(x).toMatchObject({
      kind: 'X',
      shiftId: shift.id,
      salesCount: 3,
      salesTotal: 1400,
      returnsCount: 1,
      returnsTotal: 350,
      byTender: { cash: 700, card: 0, payment_code: 350 },
      float: 20000,
      cashIn: 5000,
      cashOut: 3000,
      expectedCash: 20000 + 5000 - 3000 + 700,
      countedCash: null,
      overShort: null,
      closedAt: null,
    });

    const z = (await t.ok('shift.close', { countedCash: 22600 }, token)).report;
    expect(z).toMatchObject({ kind: 'Z', expectedCash: 22700, countedCash: 22600, overShort: -100 });
    expect(z.closedAt).not.toBeNull();
    expect((await t.ok('shift.current', {}, token)).shift).toBeNull();
    expect((await t.fail('shift.close', { countedCash: 0 }, token)).code).toBe('SHIFT_NOT_OPEN');

    const mgr = await t.login(PINS.manager);
    const actions = (await t.ok('audit.list', {}, mgr)).entries.map((e) => e.action);
    for (const a of ['shift.open', 'shift.cash_in', 'shift.cash_out', 'shift.close']) expect(actions).toContain(a);
    const cashOut = (await t.ok('audit.list', {}, mgr)).entries.find((e) => e.action === 'shift.cash_out')!;
    expect([cashOut.staff?.name, cashOut.approvedBy?.name]).toEqual(['李娜', '张敏']);
  });

  it('starts a new shift after a Z close and keeps sales apart', async () => {
    t = openTestCore();
    const token = await t.login(PINS.manager);
    await t.ok('shift.open', { float: 0 }, token);
    await t.ok('cart.add', { sku: cola.sku }, token);
    await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 350 }] }, token);
    await t.ok('shift.close', { countedCash: 350 }, token);
    // After the Z close nobody sells into a shift nobody opened (issue 13 item 3).
    await t.ok('cart.add', { sku: cola.sku }, token);
    const refused = await t.fail('cart.pay', { tenders: [{ type: 'cash', amount: 350 }] }, token);
    expect(refused.code).toBe('SHIFT_NOT_OPEN');
    expect((await t.ok('shift.current', {}, token)).shift).toBeNull();
    expect((await t.ok('cart.get', {}, token)).cart.lines).toHaveLength(1);
    await t.ok('cart.void', { reason: 'test', managerPin: PINS.manager }, token);
    const { shift } = await t.ok('shift.open', { float: 10000 }, token);
    expect((await t.ok('shift.xReport', {}, token)).report).toMatchObject({
      shiftId: shift.id,
      salesCount: 0,
      expectedCash: 10000,
    });
  });
});
