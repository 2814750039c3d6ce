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

/** Back-office filters: a staff member (who acted or approved), an action or action family (`staff` = `staff.*`), a time span. */
export interface AuditFilter {
  staffId?: string | undefined;
  action?: string | undefined;
  fromIso?: string | undefined;
  toIso?: string | undefined;
}

export function listAudit(db: Db, limit: number, filter: AuditFilter = {}): AuditEntry[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.staffId) {
    where.push('(staff_id = ? OR approved_by_id = ?)');
    params.push(filter.staffId, filter.staffId);
  }
  if (filter.action) {
    where.push("(action = ? OR action LIKE ? || '.%')");
    params.push(filter.action, filter.action.replace(/[%_]/g, ''));
  }
  if (filter.fromIso) {
    where.push('at >= ?');
    params.push(filter.fromIso);
  }
  if (filter.toIso) {
    where.push('at < ?');
    params.push(filter.toIso);
  }
  const rows = db
    .prepare(
      `SELECT id, at, action, staff_id, approved_by_id, detail FROM audit_log${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ?`,
    )
    .all(...params, limit) as AuditRow[];
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
