// PIN entry at the till: login and manager override. Both go through the lockout and both
// audit failures; an override is recorded with the cashier and the approving manager.
import { PosError, type StaffView } from '../../contract';
import { writeAudit } from '../audit';
import type { CoreContext } from '../context';
import { assertNotLockedOut, recordPinFailure, recordPinSuccess } from './pin-lockout';
import { createSession } from './sessions';
import { findStaffByPin } from './staff-store';

function wrongPin(ctx: CoreContext, action: string, staffId: string | null): never {
  const now = ctx.clock();
  const { remaining, locked } = ctx.db.transaction(() => {
    const r = recordPinFailure(ctx.db, now);
    writeAudit(ctx.db, ctx.terminalId, now, { action, staffId, detail: { remaining: r.remaining, locked: r.locked } });
    if (r.locked) writeAudit(ctx.db, ctx.terminalId, now, { action: 'auth.locked_out', staffId, detail: { seconds: 60 } });
    return r;
  })();
  ctx.logger.warn({ action, remaining, locked }, 'wrong PIN');
  if (locked) throw new PosError('LOCKED_OUT', 'PIN 错误次数过多，终端锁定 60 秒 / Too many wrong PINs. The till is locked for 60 s.', { retryAfterSeconds: 60 });
  throw new PosError('WRONG_PIN', `PIN 不正确，还可尝试 ${remaining} 次 / Wrong PIN. ${remaining} tries left before the till locks.`, { remaining });
}

export async function loginWithPin(ctx: CoreContext, pin: string): Promise<{ token: string; staff: StaffView }> {
  assertNotLockedOut(ctx.db, ctx.clock());
  const staff = await findStaffByPin(ctx.db, pin);
  if (!staff) wrongPin(ctx, 'auth.login_failed', null);
  const now = ctx.clock();
  const token = ctx.db.transaction(() => {
    recordPinSuccess(ctx.db, now);
    writeAudit(ctx.db, ctx.terminalId, now, { action: 'auth.login', staffId: staff.id });
    return createSession(ctx.db, staff.id, now);
  })();
  ctx.logger.info({ staffId: staff.id, role: staff.role }, 'staff logged in');
  return { token, staff };
}

/**
 * Checks a manager PIN typed into a cashier's session. Returns the approving manager.
 * A manager's own session approves itself (no PIN needed).
 */
export async function requireManagerApproval(ctx: CoreContext, caller: StaffView, managerPin: string | undefined, what: string): Promise<StaffView> {
  if (caller.role === 'manager') return caller;
  if (!managerPin) {
    throw new PosError('MANAGER_REQUIRED', `需要店长授权：${what} / Manager approval needed: ${what}`);
  }
  assertNotLockedOut(ctx.db, ctx.clock());
  const manager = await findStaffByPin(ctx.db, managerPin, ['manager']);
  if (!manager) wrongPin(ctx, 'override.failed', caller.id);
  recordPinSuccess(ctx.db, ctx.clock());
  return manager;
}
