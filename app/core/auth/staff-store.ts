// Staff members and their PIN hashes. A PIN identifies the staff member at this terminal,
// so PINs must be unique among active staff.
import type { Role, StaffView } from '../../contract';
import type { Db } from '../db';
import { uuidv7 } from '../ids';
import { hashPin, verifyPin } from './pin-hash';

export interface NewStaff {
  id?: string;
  name: string;
  nameEn: string;
  role: Role;
  pin: string;
}

interface StaffRow {
  id: string;
  name: string;
  name_en: string;
  role: Role;
  pin_hash: string;
}

export function toStaffView(r: { id: string; name: string; role: Role }): StaffView {
  return { id: r.id, name: r.name, role: r.role };
}

export async function findStaffByPin(db: Db, pin: string, roles?: readonly Role[]): Promise<StaffView | null> {
  const rows = db.prepare('SELECT id, name, name_en, role, pin_hash FROM staff WHERE active = 1').all() as StaffRow[];
  const candidates = roles ? rows.filter((r) => roles.includes(r.role)) : rows;
  const results = await Promise.all(candidates.map((r) => verifyPin(pin, r.pin_hash)));
  const i = results.indexOf(true);
  return i >= 0 ? toStaffView(candidates[i]!) : null;
}

/** One staff member's PIN check (a single hash): the staff member when it matches, else null. */
export async function verifyStaffPin(db: Db, staffId: string, pin: string): Promise<StaffView | null> {
  const row = db
    .prepare('SELECT id, name, name_en, role, pin_hash FROM staff WHERE id = ? AND active = 1')
    .get(staffId) as StaffRow | undefined;
  return row && (await verifyPin(pin, row.pin_hash)) ? toStaffView(row) : null;
}

export function isActiveStaff(db: Db, staffId: string): boolean {
  return db.prepare('SELECT 1 FROM staff WHERE id = ? AND active = 1').get(staffId) !== undefined;
}

/** Adds a staff member; refuses a PIN that an active staff member already uses. */
/** Synchronous insert without the uniqueness check (seeding a fresh database). */
export function insertStaff(db: Db, staff: NewStaff, at: Date, scryptN?: number): StaffView {
  const id = staff.id ?? uuidv7(at);
  db.prepare(
    'INSERT INTO staff (id, name, name_en, role, pin_hash, active, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)',
  ).run(id, staff.name, staff.nameEn, staff.role, hashPin(staff.pin, scryptN), at.toISOString());
  return { id, name: staff.name, role: staff.role };
}

export function listStaff(db: Db): StaffView[] {
  return (db.prepare('SELECT id, name, role FROM staff WHERE active = 1 ORDER BY role, name').all() as StaffView[]).map(
    toStaffView,
  );
}
