import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTerminalDatabase } from '../db';
import { demoProducts } from '../seed';
import { openTestCore, PINS, writesSecret, type TestCore } from '../test-support';
import {
  attemptPin,
  hashPin,
  LOCKOUT_FORGET_MS,
  LOCKOUT_MS,
  MAX_LOCKOUT_MS,
  MAX_PIN_FAILURES,
  verifyPin,
} from './index';

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
    for (const [pin, name, role] of [
      [PINS.cashier, '李娜', 'cashier'],
      [PINS.cashier2, '王伟', 'cashier'],
      [PINS.manager, '张敏', 'manager'],
      [PINS.technician, '陈工', 'technician'],
    ] as const) {
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
    expect(writesSecret(JSON.stringify(entries), '0000')).toBe(false);
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

describe('PIN lockout under concurrent guessing', () => {
  const wrong = (i: number) => String(9000 + i).padStart(4, '0');

  it('50 guesses sent at once get 5 PIN checks; the right PIN among them is refused too', async () => {
    t = openTestCore();
    const pins = Array.from({ length: 50 }, (_, i) => (i === 30 ? PINS.cashier : wrong(i)));
    const results = await Promise.all(pins.map((pin) => t.core.call('auth.login', { pin }, {})));
    expect(results.filter((r) => r.ok)).toHaveLength(0);
    const codes = results.map((r) => (r.ok ? 'OK' : r.error.code));
    expect(codes.filter((c) => c === 'WRONG_PIN')).toHaveLength(MAX_PIN_FAILURES - 1);
    expect(codes.filter((c) => c === 'LOCKED_OUT')).toHaveLength(50 - (MAX_PIN_FAILURES - 1));
    // Every checked wrong PIN is audited; refused attempts never reached a hash.
    t.clock.advance(LOCKOUT_MS);
    const mgr = await t.login(PINS.manager);
    const { entries } = await t.ok('audit.list', { limit: 500 }, mgr);
    expect(entries.filter((e) => e.action === 'auth.login_failed')).toHaveLength(MAX_PIN_FAILURES);
  });

  it('counts at most the allowed number of hash checks, one at a time', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-lockout-'));
    const db = openTerminalDatabase(dataDir);
    try {
      let checks = 0;
      let running = 0;
      let maxRunning = 0;
      const now = new Date('2026-11-29T02:00:00.000Z');
      const check = async () => {
        checks += 1;
        maxRunning = Math.max(maxRunning, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running -= 1;
        return null;
      };
      const settled = await Promise.allSettled(
        Array.from({ length: 50 }, () => attemptPin(db, () => now, { kind: 'terminal' }, check)),
      );
      expect(checks).toBe(MAX_PIN_FAILURES);
      expect(maxRunning).toBe(1);
      expect(settled.filter((s) => s.status === 'rejected')).toHaveLength(50 - MAX_PIN_FAILURES);
    } finally {
      db.close();
    }
  });

  it('a failure while locked does not shorten or clear the lock', async () => {
    t = openTestCore();
    const results = await Promise.all(
      Array.from({ length: 7 }, (_, i) => t.core.call('auth.login', { pin: wrong(i) }, {})),
    );
    expect(results.every((r) => !r.ok)).toBe(true);
    const locked = await t.fail('auth.login', { pin: PINS.cashier });
    expect(locked.code).toBe('LOCKED_OUT');
    expect(locked.details).toMatchObject({ retryAfterSeconds: 60 });
    t.clock.advance(59_000);
    expect((await t.fail('auth.login', { pin: PINS.cashier })).code).toBe('LOCKED_OUT');
  });

  it('backs off exponentially up to 15 minutes, and starts over after a quiet hour', async () => {
    t = openTestCore();
    const lockSeconds: number[] = [];
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < MAX_PIN_FAILURES - 1; i++)
        expect((await t.fail('auth.login', { pin: wrong(i) })).code).toBe('WRONG_PIN');
      const e = await t.fail('auth.login', { pin: wrong(9) });
      expect(e.code).toBe('LOCKED_OUT');
      lockSeconds.push((e.details as { retryAfterSeconds: number }).retryAfterSeconds);
      t.clock.advance(lockSeconds.at(-1)! * 1000);
    }
    expect(lockSeconds).toEqual([60, 120, 240, 480, 900, 900]);
    expect(MAX_LOCKOUT_MS).toBe(900_000);
    // A good login clears the count but not the escalation; an hour without failures does.
    await t.login();
    t.clock.advance(LOCKOUT_FORGET_MS + 1);
    for (let i = 0; i < MAX_PIN_FAILURES - 1; i++) await t.fail('auth.login', { pin: wrong(i) });
    expect((await t.fail('auth.login', { pin: wrong(9) })).details).toMatchObject({ retryAfterSeconds: 60 });
  });
});

describe('PIN lockout per staff member', () => {
  // A write-off over the store's approval line is an override tied to no shift or sale, so any
  // cashier's session can ask for one (a shift or a sale belongs to one cashier: item 16).
  const bananas = demoProducts().find((p) => p.nameEn === 'Loose Bananas')!;
  async function everyWriteOffNeedsAManager(): Promise<void> {
    const mgr = await t.login(PINS.manager);
    await t.ok('config.set', { patch: { wasteApprovalFen: 0 } }, mgr);
    // Bananas with a cost (¥4.00/kg), so every write-off is worth more than the ¥0 line.
    await t.ok('stock.receive', { lines: [{ sku: bananas.sku, weightGrams: 10_000, unitCost: 400 }] }, mgr);
    await t.ok('auth.logout', {}, mgr);
  }
  const writeOff = (token: string, approval: { managerPin: string; managerId?: string }) =>
    t.core.call(
      'stock.waste',
      { sku: bananas.sku, weightGrams: 100, reason: 'expired', confirmShortage: true, ...approval },
      { token },
    );
  async function staffIds(): Promise<Record<string, string>> {
    const mgr = await t.login(PINS.manager);
    const { staff } = await t.ok('staff.list', {}, mgr);
    await t.ok('auth.logout', {}, mgr);
    return Object.fromEntries(staff.map((s) => [s.name, s.id]));
  }

  it('wrong PINs for a named staff member lock only that staff member', async () => {
    t = openTestCore();
    const ids = await staffIds();
    for (let i = 0; i < MAX_PIN_FAILURES - 1; i++)
      expect((await t.fail('auth.login', { pin: '9999', staffId: ids['李娜'] })).code).toBe('WRONG_PIN');
    expect((await t.fail('auth.login', { pin: '9999', staffId: ids['李娜'] })).code).toBe('LOCKED_OUT');
    expect((await t.fail('auth.login', { pin: PINS.cashier, staffId: ids['李娜'] })).code).toBe('LOCKED_OUT');
    // Her colleague, by name or by PIN alone, is not locked out.
    expect((await t.ok('auth.login', { pin: PINS.cashier2, staffId: ids['王伟'] })).staff.name).toBe('王伟');
    expect((await t.ok('auth.login', { pin: PINS.cashier2 })).staff.name).toBe('王伟');
    // Naming one staff member with another's PIN is a wrong PIN.
    expect((await t.fail('auth.login', { pin: PINS.manager, staffId: ids['王伟'] })).code).toBe('WRONG_PIN');
  });

  it('a flood of PIN-only guesses locks PIN-only entry, not staff who give their name', async () => {
    t = openTestCore();
    const ids = await staffIds();
    await Promise.all(Array.from({ length: 20 }, () => t.core.call('auth.login', { pin: '9999' }, {})));
    expect((await t.fail('auth.login', { pin: PINS.cashier })).code).toBe('LOCKED_OUT');
    expect((await t.ok('auth.login', { pin: PINS.cashier, staffId: ids['李娜'] })).staff.name).toBe('李娜');
    // A made-up staff id has no counter of its own: it counts like a PIN that matched nobody.
    expect((await t.fail('auth.login', { pin: PINS.cashier, staffId: 'no-such-staff' })).code).toBe('LOCKED_OUT');
  });

  it("wrong manager PINs in a cashier's session lock that cashier's overrides, not logins or colleagues", async () => {
    t = openTestCore();
    await everyWriteOffNeedsAManager();
    const li = await t.login(PINS.cashier);
    const cashOut = (token: string, managerPin: string) => writeOff(token, { managerPin });
    const codes: string[] = [];
    for (let i = 0; i < MAX_PIN_FAILURES; i++) {
      const r = await cashOut(li, '9999');
      codes.push(r.ok ? 'OK' : r.error.code);
    }
    expect(codes).toEqual(['WRONG_PIN', 'WRONG_PIN', 'WRONG_PIN', 'WRONG_PIN', 'LOCKED_OUT']);
    const right = await cashOut(li, PINS.manager);
    expect(right.ok ? 'OK' : right.error.code).toBe('LOCKED_OUT');
    // Logins and a colleague's overrides go on.
    const wang = await t.login(PINS.cashier2);
    const r = await cashOut(wang, PINS.manager);
    expect(r.ok).toBe(true);
  });

  // Issue 13 item 17: the counter guards the PIN being guessed. On the old code a named manager
  // was ignored and each cashier's session had five fresh guesses at the manager's PIN.
  it('wrong PINs in a prompt naming a manager count against that manager, whichever cashier typed them', async () => {
    t = openTestCore();
    const ids = await staffIds();
    const managerId = ids['张敏']!;
    await everyWriteOffNeedsAManager();
    const li = await t.login(PINS.cashier);
    const wang = await t.login(PINS.cashier2);
    const cashOut = async (token: string, managerPin: string) => {
      const r = await writeOff(token, { managerPin, managerId });
      return r.ok ? 'OK' : r.error.code;
    };
    const codes = [
      await cashOut(li, '9999'),
      await cashOut(li, '9998'),
      await cashOut(li, '9997'),
      await cashOut(wang, '9996'),
      await cashOut(wang, '9995'),
    ];
    expect(codes).toEqual(['WRONG_PIN', 'WRONG_PIN', 'WRONG_PIN', 'WRONG_PIN', 'LOCKED_OUT']);
    // The manager is locked everywhere their name is given: even the right PIN, and their own login.
    expect(await cashOut(li, PINS.manager)).toBe('LOCKED_OUT');
    expect((await t.fail('auth.login', { pin: PINS.manager, staffId: managerId })).code).toBe('LOCKED_OUT');
    // Nobody else is: the cashiers log in by name, and their own counters are untouched.
    expect((await t.ok('auth.login', { pin: PINS.cashier, staffId: ids['李娜'] })).staff.name).toBe('李娜');
    expect((await t.ok('auth.login', { pin: PINS.cashier2, staffId: ids['王伟'] })).staff.name).toBe('王伟');
    // The audit names the manager whose PIN was tried, and the lock is recorded against them.
    // (PIN-only entry has its own counter, so the manager can still read it.)
    const entries = (await t.ok('audit.list', { limit: 50 }, await t.login(PINS.manager))).entries;
    const failed = entries.filter((e) => e.action === 'override.failed');
    expect(failed).toHaveLength(5);
    expect(failed.every((e) => e.detail.managerId === managerId)).toBe(true);
    expect(entries.find((e) => e.action === 'auth.locked_out')?.staff?.id).toBe(managerId);
    // After the lock the manager approves again.
    t.clock.advance(LOCKOUT_MS);
    expect(await cashOut(li, PINS.manager)).toBe('OK');
  });

  it('a prompt naming a cashier or a made-up id never approves, even with a manager PIN', async () => {
    t = openTestCore();
    const ids = await staffIds();
    await everyWriteOffNeedsAManager();
    const li = await t.login(PINS.cashier);
    for (const managerId of [ids['王伟']!, 'no-such-staff']) {
      const r = await writeOff(li, { managerPin: PINS.manager, managerId });
      expect(r.ok ? 'OK' : r.error.code).toBe('WRONG_PIN');
    }
  });

  it('lists staff names for the login screen without a session, and never a PIN', async () => {
    t = openTestCore();
    const { staff } = await t.ok('auth.staffNames', {});
    expect(staff.map((s) => s.name).sort()).toEqual(['张敏', '李娜', '王伟', '陈工'].sort());
    expect(JSON.stringify(staff)).not.toMatch(/pin|scrypt/i);
  });
});
