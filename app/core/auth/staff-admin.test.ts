// Staff administration through the RPC router on a real SQLite core: add, PIN uniqueness, roles a
// manager may give, disable (sessions end at once) and re-enable, the last manager kept, and a PIN
// reset that lets the member do nothing but choose a new PIN at their next login. Every change is
// in the audit list (filterable by staff and action), never with the PIN.
import { afterEach, describe, expect, it } from 'vitest';
import { openTestCore, PINS, type TestCore } from '../test-support';

const opened: TestCore[] = [];
afterEach(() => {
  for (const t of opened.splice(0)) t.cleanup();
});

describe('staff administration', () => {
  it('adds, disables, re-enables and resets a PIN; the member sets a new one at next login', async () => {
    const t = openTestCore();
    opened.push(t);
    const m = await t.login(PINS.manager);

    expect((await t.fail('staff.add', { name: '赵六', role: 'cashier', pin: PINS.cashier }, m)).code).toBe(
      'PIN_IN_USE',
    );
    expect((await t.fail('staff.add', { name: '工程师', role: 'technician', pin: '5151' }, m)).details).toMatchObject({
      reason: 'grant-role',
    });
    const { member } = await t.ok('staff.add', { name: '赵六', nameEn: 'Zhao Liu', role: 'cashier', pin: '4242' }, m);
    expect(member).toMatchObject({
      name: '赵六',
      nameEn: 'Zhao Liu',
      role: 'cashier',
      active: true,
      mustChangePin: false,
    });
    const zhao = await t.login('4242');
    expect((await t.ok('auth.whoami', {}, zhao)).staff.id).toBe(member.id);
    // A cashier may not run staff.
    expect((await t.fail('staff.members', {}, zhao)).code).toBe('FORBIDDEN');

    // Disable: the open session ends and the PIN no longer logs in; re-enable lets them back.
    await t.ok('staff.disable', { staffId: member.id }, m);
    expect((await t.fail('auth.whoami', {}, zhao)).code).toBe('UNAUTHENTICATED');
    expect((await t.fail('auth.login', { pin: '4242' })).code).toBe('WRONG_PIN');
    const list = (await t.ok('staff.members', {}, m)).staff;
    expect(list.find((s) => s.id === member.id)).toMatchObject({ active: false });
    expect((await t.ok('staff.list', {}, m)).staff.some((s) => s.id === member.id)).toBe(false);
    await t.ok('staff.enable', { staffId: member.id }, m);
    const again = await t.login('4242');

    // Reset: the temporary PIN logs in, but only to choose a new PIN.
    await t.ok('staff.resetPin', { staffId: member.id, pin: '9090' }, m);
    expect((await t.fail('auth.whoami', {}, again)).code).toBe('UNAUTHENTICATED');
    expect((await t.fail('auth.login', { pin: '4242' })).code).toBe('WRONG_PIN');
    const login = await t.core.call('auth.login', { pin: '9090' }, {});
    if (!login.ok) throw new Error(login.error.code);
    expect(login.staff.mustChangePin).toBe(true);
    expect((await t.fail('cart.get', {}, login.token)).code).toBe('PIN_CHANGE_REQUIRED');
    expect((await t.fail('auth.setPin', { pin: '9090' }, login.token)).code).toBe('PIN_IN_USE');
    expect((await t.fail('auth.setPin', { pin: PINS.manager }, login.token)).code).toBe('PIN_IN_USE');
    await t.ok('auth.setPin', { pin: '3131' }, login.token);
    expect((await t.ok('cart.get', {}, login.token)).cart).toBeTruthy();
    expect((await t.fail('auth.login', { pin: '9090' })).code).toBe('WRONG_PIN');
    const mine = await t.login('3131');
    // Later changes need the current PIN.
    expect((await t.fail('auth.setPin', { pin: '3232' }, mine)).code).toBe('WRONG_PIN');
    await t.ok('auth.setPin', { pin: '3232', currentPin: '3131' }, mine);

    const audit = (await t.ok('audit.list', { action: 'staff' }, m)).entries;
    expect(audit.map((e) => e.action).reverse()).toEqual([
      'staff.add',
      'staff.disable',
      'staff.enable',
      'staff.resetPin',
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/4242|9090/);
    const byZhao = (await t.ok('audit.list', { staffId: member.id }, m)).entries.map((e) => e.action);
    expect(byZhao).toContain('auth.setPin');
    expect(byZhao).not.toContain('staff.add'); // the manager did that
    expect((await t.ok('audit.list', { action: 'staff', from: '2026-11-30' }, m)).entries).toEqual([]);
  });

  it('refuses changing oneself, so the store always keeps a manager', async () => {
    const t = openTestCore();
    opened.push(t);
    const m = await t.login(PINS.manager);
    const me = (await t.ok('auth.whoami', {}, m)).staff;
    expect((await t.fail('staff.disable', { staffId: me.id }, m)).details).toMatchObject({ reason: 'self' });
    expect((await t.fail('staff.setRole', { staffId: me.id, role: 'cashier' }, m)).details).toMatchObject({
      reason: 'self',
    });
    const other = (await t.ok('staff.add', { name: '孙七', role: 'manager', pin: '6161' }, m)).member;
    const m2 = await t.login('6161');
    await t.ok('staff.setRole', { staffId: me.id, role: 'cashier' }, m2);
    expect((await t.fail('staff.disable', { staffId: other.id }, await t.login(PINS.technician))).code).toBe(
      'FORBIDDEN',
    );
    // Only one manager is left (孙七), who may not disable or demote themselves.
    expect((await t.fail('staff.disable', { staffId: other.id }, m2)).details).toMatchObject({ reason: 'self' });
    const members = (await t.ok('staff.members', {}, m2)).staff;
    expect(members.filter((s) => s.role === 'manager' && s.active).map((s) => s.id)).toEqual([other.id]);
    expect((await t.fail('staff.add', { name: 'x', role: 'cashier', pin: '12' }, m2)).code).toBe('BAD_INPUT');
  });
});
