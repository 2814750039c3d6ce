// Lockout of a PIN-guessing terminal: 5 wrong PINs in a row lock every PIN entry (login and
// manager override) for 60 s. Kept in SQLite so a restart does not reset the counter.
import { PosError } from '../../contract';
import type { Db } from '../db';

export const MAX_PIN_FAILURES = 5;
export const LOCKOUT_MS = 60_000;
const KEY = 'pin-lockout';

interface LockoutState { failures: number; lockedUntil: string | null }

function read(db: Db): LockoutState {
  const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(KEY) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as LockoutState) : { failures: 0, lockedUntil: null };
}

function write(db: Db, s: LockoutState, at: Date): void {
  db.prepare('INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
    .run(KEY, JSON.stringify(s), at.toISOString());
}

export function assertNotLockedOut(db: Db, now: Date): void {
  const s = read(db);
  if (s.lockedUntil && Date.parse(s.lockedUntil) > now.getTime()) {
    const seconds = Math.ceil((Date.parse(s.lockedUntil) - now.getTime()) / 1000);
    throw new PosError('LOCKED_OUT', `PIN 错误次数过多，请 ${seconds} 秒后再试 / Too many wrong PINs. Try again in ${seconds} s.`, { retryAfterSeconds: seconds });
  }
}

/** Records a wrong PIN; returns how many tries remain (0 means the terminal is now locked). */
export function recordPinFailure(db: Db, now: Date): { remaining: number; locked: boolean } {
  const s = read(db);
  const expired = s.lockedUntil !== null && Date.parse(s.lockedUntil) <= now.getTime();
  const failures = (expired ? 0 : s.failures) + 1;
  if (failures >= MAX_PIN_FAILURES) {
    write(db, { failures: 0, lockedUntil: new Date(now.getTime() + LOCKOUT_MS).toISOString() }, now);
    return { remaining: 0, locked: true };
  }
  write(db, { failures, lockedUntil: null }, now);
  return { remaining: MAX_PIN_FAILURES - failures, locked: false };
}

export function recordPinSuccess(db: Db, now: Date): void {
  const s = read(db);
  if (s.failures !== 0 || s.lockedUntil !== null) write(db, { failures: 0, lockedUntil: null }, now);
}
