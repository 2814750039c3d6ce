// PIN entry at the till: login and manager override. Both go through the lockout
// (pin-lockout.ts) and both audit failures; an override is recorded with the cashier and the
// approving manager.
import { PosError, type ManagerAction, type StaffView } from '../../contract';
import { writeAudit } from '../audit';
import type { CoreContext } from '../context';
import { attemptPin, type PinAttempt, type PinScope } from './pin-lockout';
import { createSession } from './sessions';
import { findStaffByPin, isActiveStaff, verifyStaffPin } from './staff-store';

function wrongPin(
  ctx: CoreContext,
  action: string,
  staffId: string | null,
  failed: Extract<PinAttempt<unknown>, { ok: false }>,
): never {
  const now = ctx.clock();
  const { remaining, lockedSeconds } = failed;
  ctx.db.transaction(() => {
    writeAudit(ctx.db, ctx.terminalId, now, { action, staffId, detail: { remaining, locked: lockedSeconds !== null } });
    if (lockedSeconds !== null)
      writeAudit(ctx.db, ctx.terminalId, now, {
        action: 'auth.locked_out',
        staffId,
        detail: { seconds: lockedSeconds },
      });
  })();
  ctx.logger.warn({ action, remaining, lockedSeconds }, 'wrong PIN');
  if (lockedSeconds !== null) {
    throw new PosError('LOCKED_OUT', { reason: 'wait', retryAfterSeconds: lockedSeconds });
  }
  throw new PosError('WRONG_PIN', { reason: 'tries-left', remaining });
}

/**
 * Logs in by PIN. With `staffId` (a login screen where staff pick their name first) only that
 * staff member's PIN is checked and only their counter counts the failure; without it the PIN
 * itself finds the staff member and failures count against the terminal's PIN entry.
 */
export async function loginWithPin(
  ctx: CoreContext,
  pin: string,
  staffId?: string,
): Promise<{ token: string; staff: StaffView }> {
  // An unknown or inactive name gets no counter of its own (nobody could fill the kv table
  // with made-up ids); it counts like a PIN that matched nobody.
  const named = staffId !== undefined && isActiveStaff(ctx.db, staffId);
  const scope: PinScope = named ? { kind: 'staff', staffId: staffId! } : { kind: 'terminal' };
  const attempt = await attemptPin(ctx.db, ctx.clock, scope, () => {
    if (staffId === undefined) return findStaffByPin(ctx.db, pin);
    return named ? verifyStaffPin(ctx.db, staffId, pin) : Promise.resolve(null);
  });
  if (!attempt.ok) wrongPin(ctx, 'auth.login_failed', named ? staffId! : null, attempt);
  const staff = attempt.value;
  const now = ctx.clock();
  const token = ctx.db.transaction(() => {
    writeAudit(ctx.db, ctx.terminalId, now, { action: 'auth.login', staffId: staff.id });
    return createSession(ctx.db, staff.id, now);
  })();
  ctx.logger.info({ staffId: staff.id, role: staff.role }, 'staff logged in');
  // After a manager's PIN reset the session may only choose a new PIN (the router enforces it).
  const reset = ctx.db.prepare('SELECT must_change_pin AS m FROM staff WHERE id = ?').get(staff.id) as
    { m: number } | undefined;
  return { token, staff: reset?.m === 1 ? { ...staff, mustChangePin: true } : staff };
}

/**
 * Checks a manager PIN typed into a cashier's session. Returns the approving manager.
 * A manager's own session approves itself (no PIN needed). Wrong manager PINs count against
 * the cashier whose session typed them.
 */
export async function requireManagerApproval(
  ctx: CoreContext,
  caller: StaffView,
  managerPin: string | undefined,
  what: ManagerAction,
  details?: Record<string, number>,
): Promise<StaffView> {
  if (caller.role === 'manager') return caller;
  if (!managerPin) {
    throw new PosError('MANAGER_REQUIRED', { reason: what, ...details });
  }
  const attempt = await attemptPin(ctx.db, ctx.clock, { kind: 'override', callerId: caller.id }, () =>
    findStaffByPin(ctx.db, managerPin, ['manager']),
  );
  if (!attempt.ok) wrongPin(ctx, 'override.failed', caller.id, attempt);
  return attempt.value;
}
