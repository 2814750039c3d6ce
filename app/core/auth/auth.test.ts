import { afterEach, describe, expect, it } from 'vitest';
import { openTestCore, PINS, type TestCore } from '../test-support';
import { hashPin, verifyPin } from './index';

let t: TestCore;
afterEach(() => t?.cleanup());

describe('PIN hashing', () => {
  it('salts every hash and verifies only the right PIN', async () => {
    const a = hashPin('1234', 1024);
    const b = hashPin('1234', 1024);
    expect(a).not.toBe(b);
    expect(a).not.toContain('1234');
    expect(await verifyPin('1234', a)).toBe(true);
    expect(await verifyPin('1235', a)).toBe(false);
    expect(await verifyPin('1234', 'garbage')).toBe(false);
  });
});

describe('PIN login', () => {
  it('logs each demo staff member in with their role', async () => {
    t = openTestCore();
    for (const [pin, name, role] of [[PINS.cashier, '李娜', 'cashier'], [PINS.cashier2, '王伟', 'cashier'], [PINS.manager, '张敏', 'manager'], [PINS.technician, '陈工', 'technician']] as const) {
      const r = await t.ok('auth.login', { pin });
      expect(r.staff).toMatchObject({ name, role });
      expect(r.token.length).toBeGreaterThan(30);
    }
  });

  it('stores PIN hashes and token hashes, never the plain values', async () => {
    t = openTestCore();
    const { token } = await t.ok('auth.login', { pin: PINS.cashier });
    t.core.close();
    const { openSqlite } = await import('../db');
    const db = openSqlite(`${t.dataDir}/terminal.db`);
    const staff = db.prepare('SELECT pin_hash FROM staff').all() as { pin_hash: string }[];
    for (const s of staff) expect(s.pin_hash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(staff)).not.toMatch(/\$(1234|2345|8888|7777)\$/);
    const sessions = db.prepare('SELECT token_hash FROM sessions').all() as { token_hash: string }[];
    expect(sessions.map((s) => s.token_hash)).not.toContain(token);
    db.close();
  });

  it('answers a wrong PIN with WRONG_PIN and a clear message, and audits it', async () => {
    t = openTestCore();
    const e = await t.fail('auth.login', { pin: '0000' });
    expect(e.code).toBe('WRONG_PIN');
    expect(e.message).toMatch(/Wrong PIN/);
    expect(e.message).toMatch(/4 tries left/);
    const mgr = await t.login(PINS.manager);
    const { entries } = await t.ok('audit.list', {}, mgr);
    expect(entries.some((x) => x.action === 'auth.login_failed')).toBe(true);
    expect(JSON.stringify(entries)).not.toContain('0000');
  });

  it('locks the till for 60 s after 5 wrong PINs, even for a right PIN, and survives a restart', async () => {
    t = openTestCore();
    for (let i = 0; i < 4; i++) expect((await t.fail('auth.login', { pin: '9999' })).code).toBe('WRONG_PIN');
    expect((await t.fail('auth.login', { pin: '9999' })).code).toBe('LOCKED_OUT');
    const locked = await t.fail('auth.login', { pin: PINS.cashier });
    expect(locked.code).toBe('LOCKED_OUT');
    expect(locked.details).toMatchObject({ retryAfterSeconds: 60 });
    t.reopen();
    t.clock.advance(30_000);
    expect((await t.fail('auth.login', { pin: PINS.cashier })).code).toBe('LOCKED_OUT');
    t.clock.advance(30_001);
    expect((await t.ok('auth.login', { pin: PINS.cashier })).staff.name).toBe('李娜');
    // The counter starts again from zero.
    for (let i = 0; i < 4; i++) expect((await t.fail('auth.login', { pin: '9999' })).code).toBe('WRONG_PIN');
  });

  it('resets the failure count after a good login', async () => {
    t = openTestCore();
    for (let i = 0; i < 4; i++) await t.fail('auth.login', { pin: '9999' });
    await t.login();
    for (let i = 0; i < 4; i++) expect((await t.fail('auth.login', { pin: '9999' })).code).toBe('WRONG_PIN');
  });

  it('lists staff for a manager only', async () => {
    t = openTestCore();
    const mgr = await t.login(PINS.manager);
    const { staff } = await t.ok('staff.list', {}, mgr);
    expect(staff.map((s) => s.name).sort()).toEqual(['张敏', '李娜', '王伟', '陈工'].sort());
    expect(JSON.stringify(staff)).not.toMatch(/pin/i);
  });
});
