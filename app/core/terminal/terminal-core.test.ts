import { afterEach, describe, expect, it } from 'vitest';
import { openTestCore, PINS, type TestCore } from '../test-support';
import { methodNames, methods } from '../../contract';

let t: TestCore;
afterEach(() => t?.cleanup());

describe('terminal core router', () => {
  it('opens a seeded core and reports status and config', async () => {
    t = openTestCore();
    expect(t.core.terminalId).toBe('T01');
    expect(t.core.storeId).toBe('demo-store');
    expect(t.core.version).toMatch(/^\d+\.\d+\.\d+/);
    const token = await t.login(PINS.technician);
    const status = await t.ok('system.status', {}, token);
    expect(status).toMatchObject({
      terminalId: 'T01',
      storeId: 'demo-store',
      online: false,
      sync: { state: 'disabled' },
      devices: [],
    });
    const { config } = await t.ok('config.get', {}, token);
    expect(config).toMatchObject({
      storeName: '鲜丰社区生鲜 Fresh Corner',
      currency: 'CNY',
      receiptWidth: 58,
      cashRounding: { mode: 'none' },
    });
  });

  it('validates input with the contract schema and never throws', async () => {
    t = openTestCore();
    const token = await t.login();
    expect((await t.fail('cart.add', { sku: '' }, token)).code).toBe('BAD_INPUT');
    expect((await t.fail('cart.add', { sku: '100001', quantity: 1.5 }, token)).code).toBe('BAD_INPUT');
    expect((await t.fail('auth.login', { pin: '12' })).code).toBe('BAD_INPUT');
    expect((await t.fail('cart.pay', { tenders: [{ type: 'cash', amount: -5 }] }, token)).code).toBe('BAD_INPUT');
    expect((await t.fail('nope.method' as never, {}, token)).code).toBe('NOT_FOUND');
    const r = await t.core.call('cart.get', null, { token });
    expect(r.ok).toBe(true);
  });

  it('needs a session for everything but the public methods (login, the staff names it shows), and checks roles', async () => {
    t = openTestCore();
    for (const m of methodNames.filter((m) => methods[m].roles !== 'public')) {
      const r = await t.core.call(m, {}, {});
      expect(r.ok ? 'ok' : r.error.code, m).toMatch(/UNAUTHENTICATED|BAD_INPUT/);
    }
    expect((await t.fail('cart.get', {}, 'not-a-token')).code).toBe('UNAUTHENTICATED');
    const cashier = await t.login(PINS.cashier);
    expect((await t.fail('sales.list', {}, cashier)).code).toBe('FORBIDDEN');
    expect((await t.fail('audit.list', {}, cashier)).code).toBe('FORBIDDEN');
    expect((await t.fail('config.set', { patch: {} }, cashier)).code).toBe('FORBIDDEN');
    const tech = await t.login(PINS.technician);
    expect((await t.fail('cart.scan', { code: '1' }, tech)).code).toBe('FORBIDDEN');
    expect((await t.ok('stock.get', { sku: '100001' }, tech)).sku).toBe('100001');
  });

  it('lets a trusted in-process caller read status without a session', async () => {
    t = openTestCore();
    const r = await t.core.call('system.status', {}, { internal: true });
    expect(r.ok).toBe(true);
  });

  it('keeps sessions across a restart and ends them on logout', async () => {
    t = openTestCore();
    const token = await t.login(PINS.manager);
    t.reopen();
    expect((await t.ok('auth.whoami', {}, token)).staff).toMatchObject({ name: '张敏', role: 'manager' });
    await t.ok('auth.logout', {}, token);
    expect((await t.fail('auth.whoami', {}, token)).code).toBe('UNAUTHENTICATED');
  });

  it('expires sessions after 16 hours', async () => {
    t = openTestCore();
    const token = await t.login();
    t.clock.advance(16 * 3600_000 + 1);
    expect((await t.fail('cart.get', {}, token)).code).toBe('UNAUTHENTICATED');
  });

  it('reports a closed core as an error result', async () => {
    t = openTestCore();
    t.core.close();
    const r = await t.core.call('auth.login', { pin: '1234' }, {});
    expect(r.ok).toBe(false);
  });
});
