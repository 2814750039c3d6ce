// Staff across the store's tills: a change made in one till's back office (add, disable,
// re-enable, role, PIN reset, the member's own new PIN) is written as `set staff` ops
// (sync/core/staff.ts) and every other till of the store applies them here. Per field the
// winning write (highest stamp) among the ops the authorship table allows and whose value has
// the shape a till writes; a till's own newer change therefore wins over an older remote one.
// Lockout counters are not replicated: they stay per till (pin-lockout.ts).
import type pino from 'pino';
import {
  opRefusal,
  parseStaffField,
  STAFF_ENTITY,
  STAFF_FIELDS,
  type Op,
  type StaffField,
  type StaffFieldValues,
} from '../../../sync/core';
import type { LocalReplicaReads } from '../../../sync/storage';
import type { Db } from '../db';

interface Row {
  name: string;
  name_en: string;
  role: string;
  pin_hash: string;
  active: number;
  must_change_pin: number;
  disabled_at: string | null;
}

/** The winning value of each replicated field of one staff member (only fields some op set). */
function winners(replica: LocalReplicaReads, staffId: string): Partial<StaffFieldValues> {
  const out: Partial<StaffFieldValues> = {};
  for (const f of STAFF_FIELDS) {
    const accept = (op: Op) => !opRefusal(op) && parseStaffField(f, op.b) !== null;
    const w = replica.lwwFieldSync(STAFF_ENTITY, [staffId], f, accept);
    if (w.found) Object.assign(out, { [f]: parseStaffField(f as StaffField, w.value) });
  }
  return out;
}

/**
 * Applies the replicated state of these staff members to the till's `staff` table, inside the
 * transaction that stores the ops. A member this till does not know yet is created once the
 * profile, role and PIN have all arrived. A disable or a new PIN ends the member's sessions
 * on this till, as it did on the till where it was made.
 */
export function mirrorStaff(db: Db, staffIds: string[], replica: LocalReplicaReads, now: Date, log: pino.Logger): void {
  const at = now.toISOString();
  const revoke = db.prepare('UPDATE sessions SET revoked_at = ? WHERE staff_id = ? AND revoked_at IS NULL');
  for (const id of staffIds) {
    const w = winners(replica, id);
    const cur = db
      .prepare('SELECT name, name_en, role, pin_hash, active, must_change_pin, disabled_at FROM staff WHERE id = ?')
      .get(id) as Row | undefined;
    if (!cur) {
      if (!w.profile || !w.role || !w.pin) {
        log.info({ staffId: id }, 'staff change arrived before the staff record; applied when the rest arrives');
        continue;
      }
      const active = w.active?.active ?? true;
      db.prepare(
        `INSERT INTO staff (id, name, name_en, role, pin_hash, active, must_change_pin, created_at, disabled_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        id,
        w.profile.name,
        w.profile.nameEn,
        w.role,
        w.pin.hash,
        active ? 1 : 0,
        w.pin.mustChange ? 1 : 0,
        w.profile.createdAt,
        active ? null : (w.active?.at ?? at),
        at,
      );
      continue;
    }
    const next: Row = { ...cur };
    if (w.profile) Object.assign(next, { name: w.profile.name, name_en: w.profile.nameEn });
    if (w.role) next.role = w.role;
    if (w.active)
      Object.assign(next, { active: w.active.active ? 1 : 0, disabled_at: w.active.active ? null : w.active.at });
    if (w.pin) Object.assign(next, { pin_hash: w.pin.hash, must_change_pin: w.pin.mustChange ? 1 : 0 });
    const changed = (Object.keys(next) as (keyof Row)[]).some((k) => next[k] !== cur[k]);
    if (!changed) continue;
    db.prepare(
      `UPDATE staff SET name = ?, name_en = ?, role = ?, pin_hash = ?, active = ?, must_change_pin = ?, disabled_at = ?, updated_at = ?
       WHERE id = ?`,
    ).run(
      next.name,
      next.name_en,
      next.role,
      next.pin_hash,
      next.active,
      next.must_change_pin,
      next.disabled_at,
      at,
      id,
    );
    // A reset ends the member's sessions (the temporary PIN must be replaced first); the member's
    // own new PIN does not, as on the till where they chose it.
    const reset = next.must_change_pin === 1 && cur.pin_hash !== next.pin_hash;
    if ((cur.active === 1 && next.active === 0) || reset) revoke.run(at, id);
  }
}
