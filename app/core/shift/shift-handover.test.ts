// Cashier change (交接班, issue 13 item 16), on real SQLite: a second cashier never silently
// inherits the first cashier's shift or unfinished sale. Until a handover (confirmed by the
// outgoing cashier's PIN or a manager) or a Z close, the till refuses their sales, cash moves,
// returns and changes to the other cashier's cart; the handover parks that cart under its
// cashier's name, and the audit says who handed over to whom.
import { afterEach, describe, expect, it } from 'vitest';
import { demoProducts } from '../seed';
import { LOCKOUT_MS } from '../auth';
import { openTestCore, PINS, type TestCore } from '../test-support';

let t: TestCore;
afterEach(() => t?.cleanup());

const milk = demoProducts().find((p) => p.nameEn === 'Organic Milk 1L')!;

async function liSelling(): Promise<string> {
  const li = await t.login(PINS.cashier);
  await t.ok('shift.open', { float: 50_000 }, li);
  await t.ok('cart.scan', { code: milk.ean13! }, li);
  return li;
}

describe('cashier change', () => {
  it("refuses the second cashier's sale, cash and changes until the shift is handed over", async () => {
    t = openTestCore();
    await liSelling();
    const wang = await t.login(PINS.cashier2);
    // The open cart says whose it is.
    expect((await t.ok('cart.get', {}, wang)).cart.cashier?.name).toBe('李娜');
    const refused = [
      await t.fail('cart.scan', { code: milk.ean13! }, wang),
      await t.fail('cart.pay', { tenders: [{ type: 'cash', amount: 10_000 }] }, wang),
      await t.fail('cart.void', { reason: 'x', managerPin: PINS.manager }, wang),
      await t.fail('cart.park', {}, wang),
      await t.fail('shift.cashIn', { amount: 100, reason: 'coins' }, wang),
    ].map((e) => [e.code, (e.details as { reason?: string }).reason]);
    expect(refused).toEqual([
      ['CONFLICT', 'cart-other-cashier'],
      ['CONFLICT', 'cart-other-cashier'],
      ['CONFLICT', 'cart-other-cashier'],
      ['CONFLICT', 'cart-other-cashier'],
      ['SHIFT_NOT_OPEN', 'other-cashier'],
    ]);
    // Nothing changed: Li's cart still has her one line, her shift is still hers.
    const li = await t.login(PINS.cashier);
    expect((await t.ok('cart.get', {}, li)).cart.lines).toHaveLength(1);
    expect((await t.ok('shift.current', {}, li)).shift?.cashier.name).toBe('李娜');
  });

  it("hands over with the outgoing cashier's PIN: her sale is parked under her name, his shift from then on", async () => {
    t = openTestCore();
    await liSelling();
    const wang = await t.login(PINS.cashier2);
    const { shift } = await t.ok('shift.handover', { outgoingPin: PINS.cashier }, wang);
    expect(shift.cashier.name).toBe('王伟');
    expect(shift.float).toBe(50_000);
    // A fresh cart for Wang; Li's sale waits, parked under her name.
    const cart = (await t.ok('cart.get', {}, wang)).cart;
    expect(cart.lines).toHaveLength(0);
    expect(cart.cashier?.name).toBe('王伟');
    const parked = (await t.ok('cart.parked', {}, wang)).carts;
    expect(parked).toMatchObject([{ label: '李娜', cashierName: '李娜', itemCount: 1 }]);
    // Wang sells in the same shift now; Li no longer can.
    await t.ok('cart.scan', { code: milk.ean13! }, wang);
    await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 10_000 }] }, wang);
    const li = await t.login(PINS.cashier);
    expect((await t.fail('shift.cashIn', { amount: 100, reason: 'coins' }, li)).details).toMatchObject({
      reason: 'other-cashier',
      name: '王伟',
    });
    // Recalling Li's sale is taking it over on purpose.
    const recalled = (await t.ok('cart.recall', { parkedId: parked[0]!.parkedId }, wang)).cart;
    expect(recalled.cashier?.name).toBe('王伟');
    await t.ok('cart.scan', { code: milk.ean13! }, wang);
    const entries = (await t.ok('audit.list', { limit: 50 }, await t.login(PINS.manager))).entries;
    const h = entries.find((e) => e.action === 'shift.handover')!;
    expect(h.staff?.name).toBe('王伟');
    expect(h.approvedBy?.name).toBe('李娜');
    expect(h.detail).toMatchObject({ name: '李娜', toStaffName: '王伟' });
    expect(entries.find((e) => e.action === 'cart.recall')?.detail.fromStaffId).toBe(h.detail.fromStaffId);
  });

  it('needs the outgoing PIN or a manager; wrong outgoing PINs count against the outgoing cashier', async () => {
    t = openTestCore();
    await liSelling();
    const wang = await t.login(PINS.cashier2);
    expect((await t.fail('shift.handover', {}, wang)).code).toBe('MANAGER_REQUIRED');
    const codes: string[] = [];
    for (const pin of ['9991', '9992', '9993', '9994', '9995']) {
      const r = await t.core.call('shift.handover', { outgoingPin: pin }, { token: wang });
      codes.push(r.ok ? 'OK' : r.error.code);
    }
    expect(codes).toEqual(['WRONG_PIN', 'WRONG_PIN', 'WRONG_PIN', 'WRONG_PIN', 'LOCKED_OUT']);
    const staff = (await t.ok('auth.staffNames', {})).staff;
    const liId = staff.find((s) => s.name === '李娜')!.id;
    const managerId = staff.find((s) => s.role === 'manager')!.id;
    expect((await t.fail('auth.login', { pin: PINS.cashier, staffId: liId })).code).toBe('LOCKED_OUT');
    // A manager approves when the outgoing cashier has gone.
    const { shift } = await t.ok('shift.handover', { managerPin: PINS.manager, managerId }, wang);
    expect(shift.cashier.name).toBe('王伟');
    expect((await t.fail('shift.handover', { outgoingPin: PINS.cashier2 }, wang)).details).toMatchObject({
      reason: 'handover-self',
    });
    t.clock.advance(LOCKOUT_MS);
  });

  it('an empty cart left by the last cashier simply becomes the next one’s; a Z close then a new shift also works', async () => {
    t = openTestCore();
    const li = await t.login(PINS.cashier);
    await t.ok('shift.open', { float: 50_000 }, li);
    await t.ok('cart.get', {}, li);
    await t.ok('shift.close', { countedCash: 50_000 }, li);
    const wang = await t.login(PINS.cashier2);
    await t.ok('shift.open', { float: 30_000 }, wang);
    await t.ok('cart.scan', { code: milk.ean13! }, wang);
    expect((await t.ok('cart.get', {}, wang)).cart.cashier?.name).toBe('王伟');
    await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 10_000 }] }, wang);
  });

  it('a manager may still step in on a cashier’s sale', async () => {
    t = openTestCore();
    await liSelling();
    const mgr = await t.login(PINS.manager);
    await t.ok('cart.void', { reason: '顾客不要了' }, mgr);
  });
});
