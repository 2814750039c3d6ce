// Lockout of PIN guessing. A PIN is 4-8 digits, so the only thing between a guesser and a
// manager's PIN is how many guesses they get; this module decides that (docs/security-notes/host.md).
//
// - Attempts are counted per scope: the terminal's PIN-only entry (the PIN names the staff
//   member, so a wrong PIN matches nobody and can only be counted for the terminal), one
//   staff member's login when the client names them (`staffId`), and the manager overrides
//   typed in one cashier's session. A guesser hammering one scope does not lock the others, so
//   a page or a LAN client flooding PIN-only logins cannot keep a cashier who picks their name out.
// - Within a scope attempts run one at a time, and each is counted as a failure BEFORE its
//   hash is checked (and un-counted when it proves right). Concurrent guesses therefore cannot
//   all slip past the lock check while the hashes run, and a crash mid-hash still counts.
// - 5 failures lock the scope for 60 s, doubling with each further lock (120 s, 240 s, ...)
//   up to 15 min; the escalation is forgotten after an hour without failures. A failure can
//   only lengthen a lock, never shorten or clear it. State is in SQLite: restarts do not reset it.
import { PosError } from '../../contract';
import type { Db } from '../db';

export const MAX_PIN_FAILURES = 5;
export const LOCKOUT_MS = 60_000;
export const MAX_LOCKOUT_MS = 15 * 60_000;
/** After this long without a failure a scope starts again at the first (60 s) lock. */
export const LOCKOUT_FORGET_MS = 60 * 60_000;

export type PinScope =
  { kind: 'terminal' } | { kind: 'staff'; staffId: string } | { kind: 'override'; callerId: string };

export type PinAttempt<T> = { ok: true; value: T } | { ok: false; remaining: number; lockedSeconds: number | null };

interface LockoutState {
  failures: number;
  lockedUntil: string | null;
  level: number;
  lastFailureAt: string | null;
}

// 'pin-lockout' is the key the terminal counter always had, so a lock survives the upgrade.
function keyOf(scope: PinScope): string {
  switch (scope.kind) {
    case 'terminal':
      return 'pin-lockout';
    case 'staff':
      return `pin-lockout:staff:${scope.staffId}`;
    case 'override':
      return `pin-lockout:override:${scope.callerId}`;
  }
}

function read(db: Db, key: string): LockoutState {
  const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined;
  const s = row ? (JSON.parse(row.value) as Partial<LockoutState>) : {};
  return {
    failures: s.failures ?? 0,
    lockedUntil: s.lockedUntil ?? null,
    level: s.level ?? 0,
    lastFailureAt: s.lastFailureAt ?? null,
  };
}

function write(db: Db, key: string, s: LockoutState, at: Date): void {
  db.prepare(
    'INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  ).run(key, JSON.stringify(s), at.toISOString());
}

export function lockoutMsForLevel(level: number): number {
  return Math.min(LOCKOUT_MS * 2 ** Math.max(0, level - 1), MAX_LOCKOUT_MS);
}

function lockedError(seconds: number): PosError {
  return new PosError('LOCKED_OUT', { reason: 'wait', retryAfterSeconds: seconds });
}

function secondsLeft(s: LockoutState, now: Date): number {
  return s.lockedUntil ? Math.ceil((Date.parse(s.lockedUntil) - now.getTime()) / 1000) : 0;
}

/** Locks the scope at the next level; an existing longer lock is kept. */
function lock(s: LockoutState, now: Date): LockoutState {
  const level = s.level + 1;
  const until = now.getTime() + lockoutMsForLevel(level);
  const current = s.lockedUntil ? Date.parse(s.lockedUntil) : 0;
  return { ...s, failures: 0, level, lockedUntil: new Date(Math.max(until, current)).toISOString() };
}

/** Throws LOCKED_OUT while the scope is locked, else counts one failure in advance. */
function beginAttempt(db: Db, key: string, now: Date): LockoutState {
  return db.transaction(() => {
    let s = read(db, key);
    if (s.lockedUntil && Date.parse(s.lockedUntil) > now.getTime()) throw lockedError(secondsLeft(s, now));
    const before = s;
    if (s.lockedUntil) s = { ...s, lockedUntil: null };
    if (s.lastFailureAt && now.getTime() - Date.parse(s.lastFailureAt) > LOCKOUT_FORGET_MS)
      s = { ...s, failures: 0, level: 0 };
    if (s.failures >= MAX_PIN_FAILURES) {
      // The previous run died between counting the last allowed attempt and locking.
      const locked = lock(s, now);
      write(db, key, locked, now);
      throw lockedError(secondsLeft(locked, now));
    }
    write(db, key, { ...s, failures: s.failures + 1, lastFailureAt: now.toISOString() }, now);
    return before;
  })();
}

const queues = new WeakMap<Db, Map<string, Promise<unknown>>>();

/** Runs `fn` after every earlier attempt on the same database and key has finished. */
function oneAtATime<T>(db: Db, key: string, fn: () => Promise<T>): Promise<T> {
  let byKey = queues.get(db);
  if (!byKey) queues.set(db, (byKey = new Map()));
  const run = (byKey.get(key) ?? Promise.resolve()).then(fn);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  byKey.set(key, tail);
  void tail.then(() => {
    if (byKey.get(key) === tail) byKey.delete(key);
  });
  return run;
}

/**
 * One PIN attempt in `scope`: serialised with the scope's other attempts, refused with
 * LOCKED_OUT while locked, and counted before `check` (which hashes) runs. `check` returns the
 * matched value, or null for a wrong PIN.
 */
export function attemptPin<T>(
  db: Db,
  clock: () => Date,
  scope: PinScope,
  check: () => Promise<T | null>,
): Promise<PinAttempt<T>> {
  const key = keyOf(scope);
  return oneAtATime(db, key, async () => {
    const before = beginAttempt(db, key, clock());
    // A check that throws leaves the attempt counted: an error is no reason for a free guess.
    const value = await check();
    const now = clock();
    return db.transaction((): PinAttempt<T> => {
      const s = read(db, key);
      if (value !== null) {
        // The right PIN: the advance count is withdrawn and the failures forgotten; the
        // escalation level is kept (it fades after an hour without failures).
        write(db, key, { ...s, failures: 0, lastFailureAt: before.lastFailureAt }, now);
        return { ok: true, value };
      }
      if (s.failures >= MAX_PIN_FAILURES) {
        const locked = lock(s, now);
        write(db, key, locked, now);
        return { ok: false, remaining: 0, lockedSeconds: secondsLeft(locked, now) };
      }
      return { ok: false, remaining: MAX_PIN_FAILURES - s.failures, lockedSeconds: null };
    })();
  });
}
