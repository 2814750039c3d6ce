// Audit trail of sensitive actions (login failures, overrides, voids, returns, discounts over
// the limit, cash in/out, reprints, shift close, config changes). Rows are immutable facts.
import type { AuditEntry, StaffView } from '../../contract';
import type { Db } from '../db';
import { uuidv7 } from '../ids';
import { replicationFor } from '../replication';

export interface AuditInput {
  action: string;
  staffId?: string | null;
  approvedById?: string | null;
  detail?: Record<string, unknown>;
}

export function writeAudit(db: Db, terminalId: string, at: Date, entry: AuditInput): string {
  const id = uuidv7(at);
  db.prepare(
    'INSERT INTO audit_log (id, at, action, terminal_id, staff_id, approved_by_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(
    id,
    at.toISOString(),
    entry.action,
    terminalId,
    entry.staffId ?? null,
    entry.approvedById ?? null,
    JSON.stringify(entry.detail ?? {}),
  );
  // Details carry ids and amounts only (no PINs, no phone numbers), so they may leave the till.
  replicationFor(db)?.fact('audit', id, {
    at: at.toISOString(),
    action: entry.action,
    terminalId,
    staffId: entry.staffId ?? null,
    approvedById: entry.approvedById ?? null,
    detail: entry.detail ?? {},
  });
  return id;
}

interface AuditRow {
  id: string;
  at: string;
  action: string;
  staff_id: string | null;
  approved_by_id: string | null;
  detail: string;
}

export function listAudit(db: Db, limit: number): AuditEntry[] {
  const rows = db
    .prepare('SELECT id, at, action, staff_id, approved_by_id, detail FROM audit_log ORDER BY at DESC, id DESC LIMIT ?')
    .all(limit) as AuditRow[];
  const staff = new Map<string, StaffView>();
  for (const s of db.prepare('SELECT id, name, role FROM staff').all() as StaffView[])
    staff.set(s.id, { id: s.id, name: s.name, role: s.role });
  const view = (id: string | null): StaffView | null =>
    id ? (staff.get(id) ?? { id, name: id, role: 'cashier' }) : null;
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    action: r.action,
    staff: view(r.staff_id),
    approvedBy: view(r.approved_by_id),
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  }));
}
