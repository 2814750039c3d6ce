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
  extra: Record<string, string> = {},
): never {
  const now = ctx.clock();
  const { remaining, lockedSeconds } = failed;
  ctx.db.transaction(() => {
    writeAudit(ctx.db, ctx.terminalId, now, {
      action,
      staffId,
      detail: { ...extra, remaining, locked: lockedSeconds !== null },
    });
    if (lockedSeconds !== null)
      writeAudit(ctx.db, ctx.terminalId, now, {
        action: 'auth.locked_out',
        staffId: extra.managerId ?? staffId,
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

/** A manager's PIN typed into a cashier's session, and the manager picked in the prompt. */
export interface ManagerApproval {
  managerPin?: string | undefined;
  managerId?: string | undefined;
}

/**
 * Checks a manager PIN typed into a cashier's session. Returns the approving manager.
 * A manager's own session approves itself (no PIN needed). With `managerId` (the till's prompt
 * names the manager) only that manager's PIN is checked and a wrong one counts against that
 * manager's own counter, the one their login uses: the counter guards the secret being
 * guessed, so logging in as another cashier buys no fresh guesses (issue 13 item 17). Without
 * it (API clients) the PIN finds the manager and failures count against the calling cashier.
 */
export async function requireManagerApproval(
  ctx: CoreContext,
  caller: StaffView,
  approval: ManagerApproval | undefined,
  what: ManagerAction,
  details?: Record<string, number>,
): Promise<StaffView> {
  if (caller.role === 'manager') return caller;
  const managerPin = approval?.managerPin;
  if (!managerPin) {
    throw new PosError('MANAGER_REQUIRED', { reason: what, ...details });
  }
  const managerId = approval?.managerId;
  // Only an active manager gets a counter of their own (no made-up ids in the kv table);
  // naming anyone else counts like an unnamed wrong PIN.
  const named = managerId !== undefined && isActiveManager(ctx, managerId);
  const scope: PinScope = named ? { kind: 'staff', staffId: managerId } : { kind: 'override', callerId: caller.id };
  const attempt = await attemptPin(ctx.db, ctx.clock, scope, () => {
    if (managerId === undefined) return findStaffByPin(ctx.db, managerPin, ['manager']);
    return named ? verifyStaffPin(ctx.db, managerId, managerPin) : Promise.resolve(null);
  });
  if (!attempt.ok) wrongPin(ctx, 'override.failed', caller.id, attempt, named ? { managerId } : {});
  return attempt.value;
}

function isActiveManager(ctx: CoreContext, staffId: string): boolean {
  return isActiveStaff(ctx.db, staffId) && findRole(ctx, staffId) === 'manager';
}

function findRole(ctx: CoreContext, staffId: string): string | undefined {
  const row = ctx.db.prepare('SELECT role FROM staff WHERE id = ?').get(staffId) as { role: string } | undefined;
  return row?.role;
}

/**
 * One named staff member confirms with their own PIN inside someone else's session (the
 * outgoing cashier at a cashier change). A wrong PIN counts against that staff member's own
 * counter, the one their login uses, and is audited as `action`.
 */
export async function confirmStaffPin(
  ctx: CoreContext,
  caller: StaffView,
  staffId: string,
  pin: string,
  action: string,
): Promise<StaffView> {
  const attempt = await attemptPin(ctx.db, ctx.clock, { kind: 'staff', staffId }, () =>
    verifyStaffPin(ctx.db, staffId, pin),
  );
  if (!attempt.ok) wrongPin(ctx, action, caller.id, attempt, { managerId: staffId });
  return attempt.value;
}
