// Staff administration from the back office: add, disable, re-enable, change role, reset a PIN
// (the staff member must choose a new one at their next login) and set one's own PIN. Every
// change is audited with who did it; PINs never appear in the audit log or in logs. A PIN
// identifies its owner at a PIN-only login, so no two active staff members may share one.
import { PosError, type Role, type StaffMember, type StaffView } from '../../contract';
import { writeAudit } from '../audit';
import type { CoreContext } from '../context';
import { uuidv7 } from '../ids';
import { replicationFor } from '../replication';
import { hashPin, verifyPin } from './pin-hash';
import { toStaffView } from './staff-store';

interface Row {
  id: string;
  name: string;
  name_en: string;
  role: Role;
  active: number;
  must_change_pin: number;
  created_at: string;
  disabled_at: string | null;
  pin_hash: string;
}

/** Roles a caller may give: a manager runs cashiers and managers; technicians are set up by technicians. */
const GRANTABLE: Record<Role, readonly Role[]> = {
  manager: ['cashier', 'manager'],
  technician: ['cashier', 'manager', 'technician'],
  cashier: [],
};

function row(ctx: CoreContext, staffId: string): Row {
  const r = ctx.db.prepare('SELECT * FROM staff WHERE id = ?').get(staffId) as Row | undefined;
  if (!r) throw new PosError('NOT_FOUND', { reason: 'staff', staffId });
  return r;
}

function member(r: Row): StaffMember {
  return {
    id: r.id,
    name: r.name,
    nameEn: r.name_en,
    role: r.role,
    active: r.active === 1,
    mustChangePin: r.must_change_pin === 1,
    createdAt: r.created_at,
    disabledAt: r.disabled_at,
  };
}

export function listStaffMembers(ctx: CoreContext): StaffMember[] {
  return (ctx.db.prepare('SELECT * FROM staff ORDER BY active DESC, role, name').all() as Row[]).map(member);
}

/** Refuses a PIN that another active staff member already uses (checked against every hash). */
async function assertPinFree(ctx: CoreContext, pin: string, exceptId?: string): Promise<void> {
  const rows = ctx.db.prepare('SELECT id, pin_hash FROM staff WHERE active = 1').all() as Row[];
  const others = rows.filter((r) => r.id !== exceptId);
  const hits = await Promise.all(others.map((r) => verifyPin(pin, r.pin_hash)));
  if (hits.some(Boolean)) throw new PosError('PIN_IN_USE');
}

function assertMayManage(by: StaffView, target: { id: string; role: Role }, newRole?: Role): void {
  const allowed = GRANTABLE[by.role];
  if (!allowed.includes(target.role))
    throw new PosError('FORBIDDEN', { reason: 'grant-role', role: by.role, granted: target.role });
  if (newRole && !allowed.includes(newRole))
    throw new PosError('FORBIDDEN', { reason: 'grant-role', role: by.role, granted: newRole });
}

/**
 * Hands the changed fields to replication (inside the caller's transaction), with the profile,
 * whose content never changes, so a till that never had this member can still create them.
 * The PIN travels as its hash only (sync/core/staff.ts).
 */
function replicate(
  ctx: CoreContext,
  r: Pick<Row, 'id' | 'name' | 'name_en' | 'created_at'>,
  fields: { role?: Role; active?: { active: boolean; at: string }; pin?: { hash: string; mustChange: boolean } },
): void {
  replicationFor(ctx.db)?.staff?.(r.id, {
    profile: { name: r.name, nameEn: r.name_en, createdAt: r.created_at },
    ...fields,
  });
}

function audit(ctx: CoreContext, by: StaffView, action: string, detail: Record<string, unknown>, at: Date): void {
  writeAudit(ctx.db, ctx.terminalId, at, { action, staffId: by.id, detail });
}

export async function addStaff(
  ctx: CoreContext,
  by: StaffView,
  input: { name: string; nameEn?: string | undefined; role: Role; pin: string },
): Promise<StaffMember> {
  assertMayManage(by, { id: '', role: input.role });
  await assertPinFree(ctx, input.pin);
  const hash = hashPin(input.pin, ctx.pinScryptN);
  const now = ctx.clock();
  const id = uuidv7(now);
  ctx.db.transaction(() => {
    ctx.db
      .prepare(
        'INSERT INTO staff (id, name, name_en, role, pin_hash, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)',
      )
      .run(id, input.name, input.nameEn ?? input.name, input.role, hash, now.toISOString(), now.toISOString());
    replicate(
      ctx,
      { id, name: input.name, name_en: input.nameEn ?? input.name, created_at: now.toISOString() },
      { role: input.role, active: { active: true, at: now.toISOString() }, pin: { hash, mustChange: false } },
    );
    audit(ctx, by, 'staff.add', { staffId: id, name: input.name, role: input.role }, now);
  })();
  return member(row(ctx, id));
}

/** The caller is an active manager and may not change themselves, so a store always keeps one manager. */
export function setStaffActive(ctx: CoreContext, by: StaffView, staffId: string, active: boolean): StaffMember {
  const r = row(ctx, staffId);
  if (r.id === by.id) throw new PosError('FORBIDDEN', { reason: 'self' });
  assertMayManage(by, r);
  const now = ctx.clock();
  ctx.db.transaction(() => {
    ctx.db
      .prepare('UPDATE staff SET active = ?, disabled_at = ?, updated_at = ? WHERE id = ?')
      .run(active ? 1 : 0, active ? null : now.toISOString(), now.toISOString(), r.id);
    // A disabled member's sessions end at once (resolveSession also refuses inactive staff).
    if (!active)
      ctx.db
        .prepare('UPDATE sessions SET revoked_at = ? WHERE staff_id = ? AND revoked_at IS NULL')
        .run(now.toISOString(), r.id);
    replicate(ctx, r, { active: { active, at: now.toISOString() } });
    audit(ctx, by, active ? 'staff.enable' : 'staff.disable', { staffId: r.id, name: r.name, role: r.role }, now);
  })();
  return member(row(ctx, r.id));
}

export function setStaffRole(ctx: CoreContext, by: StaffView, staffId: string, role: Role): StaffMember {
  const r = row(ctx, staffId);
  if (r.id === by.id) throw new PosError('FORBIDDEN', { reason: 'self' });
  assertMayManage(by, r, role);
  const now = ctx.clock();
  ctx.db.transaction(() => {
    ctx.db.prepare('UPDATE staff SET role = ?, updated_at = ? WHERE id = ?').run(role, now.toISOString(), r.id);
    replicate(ctx, r, { role });
    // Sessions carry the role they were opened with only through the staff row, so nothing to revoke.
    audit(ctx, by, 'staff.role', { staffId: r.id, name: r.name, from: r.role, to: role }, now);
  })();
  return member(row(ctx, r.id));
}

/** Sets a temporary PIN the manager hands over; the member must choose their own at next login. */
export async function resetStaffPin(
  ctx: CoreContext,
  by: StaffView,
  staffId: string,
  pin: string,
): Promise<StaffMember> {
  const r = row(ctx, staffId);
  assertMayManage(by, r);
  await assertPinFree(ctx, pin, r.id);
  const hash = hashPin(pin, ctx.pinScryptN);
  const now = ctx.clock();
  ctx.db.transaction(() => {
    ctx.db
      .prepare('UPDATE staff SET pin_hash = ?, must_change_pin = 1, updated_at = ? WHERE id = ?')
      .run(hash, now.toISOString(), r.id);
    ctx.db
      .prepare('UPDATE sessions SET revoked_at = ? WHERE staff_id = ? AND revoked_at IS NULL')
      .run(now.toISOString(), r.id);
    replicate(ctx, r, { pin: { hash, mustChange: true } });
    audit(ctx, by, 'staff.resetPin', { staffId: r.id, name: r.name }, now);
  })();
  return member(row(ctx, r.id));
}

/**
 * A staff member sets their own PIN: after a reset (the temporary PIN was just used to log in),
 * or any time with their current PIN.
 */
export async function setOwnPin(
  ctx: CoreContext,
  me: StaffView,
  input: { pin: string; currentPin?: string | undefined },
): Promise<StaffView> {
  const r = row(ctx, me.id);
  if (r.must_change_pin !== 1 && !(input.currentPin && (await verifyPin(input.currentPin, r.pin_hash))))
    throw new PosError('WRONG_PIN');
  // The temporary PIN is not a choice: keep it and the reset would be pointless.
  if (await verifyPin(input.pin, r.pin_hash)) throw new PosError('PIN_IN_USE');
  await assertPinFree(ctx, input.pin, r.id);
  const hash = hashPin(input.pin, ctx.pinScryptN);
  const now = ctx.clock();
  ctx.db.transaction(() => {
    ctx.db
      .prepare('UPDATE staff SET pin_hash = ?, must_change_pin = 0, updated_at = ? WHERE id = ?')
      .run(hash, now.toISOString(), r.id);
    replicate(ctx, r, { pin: { hash, mustChange: false } });
    writeAudit(ctx.db, ctx.terminalId, now, {
      action: 'auth.setPin',
      staffId: r.id,
      detail: { afterReset: r.must_change_pin === 1 },
    });
  })();
  return toStaffView({ id: r.id, name: r.name, role: r.role });
}
