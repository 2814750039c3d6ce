// Shifts (班次) of this terminal: open with a float, cash in / cash out with a reason, X report
// at any time (managers only), Z close with a blind count. A shift row is immutable; closing writes a
// separate shift_closes fact with the Z report.
import { PosError, type Shift, type ShiftReport, type StaffView, type TenderType } from '../../contract';
import { requireManagerApproval, type ManagerApproval } from '../auth';
import { writeAudit } from '../audit';
import { replicationFor } from '../replication';
import type { Db } from '../db';
import { uuidv7 } from '../ids';
import type { CoreContext } from '../context';

export interface ShiftRow {
  id: string;
  staff_id: string;
  staff_name: string;
  staff_role: StaffView['role'];
  opened_at: string;
  float: number;
  closed_at: string | null;
}

export function currentShiftRow(db: Db, terminalId: string): ShiftRow | null {
  const row =
    (db
      .prepare(
        `SELECT s.*, c.closed_at FROM shifts s LEFT JOIN shift_closes c ON c.shift_id = s.id
    WHERE s.terminal_id = ? AND c.shift_id IS NULL ORDER BY s.opened_at DESC LIMIT 1`,
      )
      .get(terminalId) as ShiftRow | undefined) ?? null;
  return row ? withHolder(db, row) : null;
}

/** The shift's cashier is whoever it was last handed over to (交接班), else who opened it. */
function withHolder(db: Db, row: ShiftRow): ShiftRow {
  const h = db
    .prepare(
      'SELECT to_staff_id, to_staff_name, to_staff_role FROM shift_handovers WHERE shift_id = ? ORDER BY at DESC, id DESC LIMIT 1',
    )
    .get(row.id) as { to_staff_id: string; to_staff_name: string; to_staff_role: StaffView['role'] } | undefined;
  return h ? { ...row, staff_id: h.to_staff_id, staff_name: h.to_staff_name, staff_role: h.to_staff_role } : row;
}

/**
 * A cashier sells and moves cash only in their own shift (issue 13 item 16): another cashier's
 * open shift is handed over or closed first. Managers may still act in a cashier's shift.
 */
function requireHolder(r: ShiftRow, staff: StaffView): void {
  if (staff.role === 'cashier' && r.staff_id !== staff.id)
    throw new PosError('SHIFT_NOT_OPEN', { reason: 'other-cashier', name: r.staff_name });
}

export function shiftRow(db: Db, id: string): ShiftRow | null {
  const row =
    (db
      .prepare('SELECT s.*, c.closed_at FROM shifts s LEFT JOIN shift_closes c ON c.shift_id = s.id WHERE s.id = ?')
      .get(id) as ShiftRow | undefined) ?? null;
  return row ? withHolder(db, row) : null;
}

export function toShift(db: Db, r: ShiftRow): Shift {
  const moves = db
    .prepare('SELECT kind, amount, reason, at FROM cash_movements WHERE shift_id = ? ORDER BY at, id')
    .all(r.id) as Shift['cashMovements'];
  return {
    id: r.id,
    cashier: { id: r.staff_id, name: r.staff_name, role: r.staff_role },
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    float: r.float,
    cashMovements: moves,
  };
}

export function currentShift(ctx: CoreContext): Shift | null {
  const r = currentShiftRow(ctx.db, ctx.terminalId);
  return r ? toShift(ctx.db, r) : null;
}

function insertShift(ctx: CoreContext, staff: StaffView, float: number, at: Date, auto: boolean): string {
  const id = uuidv7(at);
  ctx.db
    .prepare(
      'INSERT INTO shifts (id, terminal_id, staff_id, staff_name, staff_role, opened_at, float, auto_opened) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(id, ctx.terminalId, staff.id, staff.name, staff.role, at.toISOString(), float, auto ? 1 : 0);
  replicationFor(ctx.db)?.fact('shift', id, {
    event: 'open',
    shiftId: id,
    terminalId: ctx.terminalId,
    staffId: staff.id,
    at: at.toISOString(),
    float,
    auto,
  });
  writeAudit(ctx.db, ctx.terminalId, at, {
    action: auto ? 'shift.auto_open' : 'shift.open',
    staffId: staff.id,
    detail: { shiftId: id, float },
  });
  return id;
}

export function openShift(ctx: CoreContext, staff: StaffView, float: number): Shift {
  const now = ctx.clock();
  const id = ctx.db.transaction(() => {
    if (currentShiftRow(ctx.db, ctx.terminalId)) throw new PosError('SHIFT_ALREADY_OPEN');
    return insertShift(ctx, staff, float, now, false);
  })();
  return toShift(ctx.db, shiftRow(ctx.db, id)!);
}

/**
 * Inside a transaction: the open shift's id. A till that has never had a shift opens its first
 * with float 0 (audited as shift.auto_open); once a shift was closed (Z) on this till, the next
 * one must be opened by a person with a float (issue 13 item 3), so SHIFT_NOT_OPEN.
 */
export function ensureShiftInTx(ctx: CoreContext, staff: StaffView, at: Date): string {
  const r = currentShiftRow(ctx.db, ctx.terminalId);
  if (r) {
    requireHolder(r, staff);
    return r.id;
  }
  const closedBefore = ctx.db
    .prepare('SELECT 1 FROM shifts s JOIN shift_closes c ON c.shift_id = s.id WHERE s.terminal_id = ? LIMIT 1')
    .get(ctx.terminalId);
  if (closedBefore) throw new PosError('SHIFT_NOT_OPEN', { reason: 'float-required' });
  ctx.logger.info({ staffId: staff.id }, 'no shift open: auto-opening one with float 0');
  return insertShift(ctx, staff, 0, at, true);
}

function insertCashMovement(
  ctx: CoreContext,
  shiftId: string,
  staff: StaffView,
  kind: 'in' | 'out',
  amount: number,
  reason: string,
  approvedById: string | null,
  now: Date,
): void {
  const id = uuidv7(now);
  ctx.db
    .prepare(
      'INSERT INTO cash_movements (id, shift_id, kind, amount, reason, staff_id, approved_by, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(id, shiftId, kind, amount, reason, staff.id, approvedById, now.toISOString());
  replicationFor(ctx.db)?.fact('shift', id, {
    event: kind === 'in' ? 'cash_in' : 'cash_out',
    shiftId,
    terminalId: ctx.terminalId,
    staffId: staff.id,
    approvedById,
    at: now.toISOString(),
    amount,
    reason,
  });
}

/**
 * Inside a caller's transaction: cash that went into the drawer for something that is not a sale
 * (a stored-value top-up), so the drawer's expected cash at the Z count includes it.
 */
export function recordCashInTx(ctx: CoreContext, staff: StaffView, amount: number, reason: string, now: Date): void {
  insertCashMovement(ctx, ensureShiftInTx(ctx, staff, now), staff, 'in', amount, reason, null, now);
}

export async function cashMovement(
  ctx: CoreContext,
  staff: StaffView,
  kind: 'in' | 'out',
  amount: number,
  reason: string,
  approval?: ManagerApproval,
): Promise<Shift> {
  const open = currentShiftRow(ctx.db, ctx.terminalId);
  if (!open) throw new PosError('SHIFT_NOT_OPEN');
  requireHolder(open, staff);
  const approver = kind === 'out' ? await requireManagerApproval(ctx, staff, approval, 'cash-out') : null;
  const now = ctx.clock();
  ctx.db.transaction(() => {
    const cur = currentShiftRow(ctx.db, ctx.terminalId);
    if (!cur || cur.id !== open.id) throw new PosError('SHIFT_NOT_OPEN', { reason: 'closed-meanwhile' });
    if (kind === 'out') {
      const expected = computeReport(ctx.db, cur, 'X', null, now).expectedCash;
      if (amount > expected) {
        // The figure goes to a manager's session only: on a cashier's screen it would unblind the Z count.
        if (staff.role !== 'manager') throw new PosError('BAD_INPUT', { reason: 'drawer-short-hidden' });
        throw new PosError('BAD_INPUT', {
          reason: 'drawer-short',
          expectedCash: expected,
          expectedYuan: (expected / 100).toFixed(2),
        });
      }
    }
    insertCashMovement(ctx, cur.id, staff, kind, amount, reason, approver?.id ?? null, now);
    writeAudit(ctx.db, ctx.terminalId, now, {
      action: kind === 'in' ? 'shift.cash_in' : 'shift.cash_out',
      staffId: staff.id,
      approvedById: approver?.id ?? null,
      detail: { shiftId: cur.id, amount, reason },
    });
  })();
  return toShift(ctx.db, shiftRow(ctx.db, open.id)!);
}

const TENDERS: TenderType[] = ['cash', 'card', 'payment_code', 'stored_value', 'points'];

function computeReport(db: Db, s: ShiftRow, kind: 'X' | 'Z', countedCash: number | null, now: Date): ShiftReport {
  const sales = db
    .prepare('SELECT COUNT(*) AS n, COALESCE(SUM(total), 0) AS t FROM sales WHERE shift_id = ?')
    .get(s.id) as { n: number; t: number };
  const rets = db
    .prepare('SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS t FROM returns WHERE shift_id = ?')
    .get(s.id) as { n: number; t: number };
  const byTender: Record<TenderType, number> = { cash: 0, card: 0, payment_code: 0, stored_value: 0, points: 0 };
  for (const r of db
    .prepare(
      'SELECT t.type, SUM(t.amount) AS a FROM sale_tenders t JOIN sales s ON s.id = t.sale_id WHERE s.shift_id = ? GROUP BY t.type',
    )
    .all(s.id) as { type: TenderType; a: number }[])
    byTender[r.type] += r.a;
  for (const r of db
    .prepare(
      'SELECT t.type, SUM(t.amount) AS a FROM return_tenders t JOIN returns r ON r.id = t.return_id WHERE r.shift_id = ? GROUP BY t.type',
    )
    .all(s.id) as { type: TenderType; a: number }[])
    byTender[r.type] -= r.a;
  for (const t of TENDERS) byTender[t] ??= 0;
  const moves = db
    .prepare(
      "SELECT COALESCE(SUM(CASE WHEN kind = 'in' THEN amount END), 0) AS i, COALESCE(SUM(CASE WHEN kind = 'out' THEN amount END), 0) AS o FROM cash_movements WHERE shift_id = ?",
    )
    .get(s.id) as { i: number; o: number };
  const expectedCash = s.float + moves.i - moves.o + byTender.cash;
  return {
    kind,
    shiftId: s.id,
    openedAt: s.opened_at,
    closedAt: kind === 'Z' ? now.toISOString() : s.closed_at,
    salesCount: sales.n,
    salesTotal: sales.t,
    returnsCount: rets.n,
    returnsTotal: rets.t,
    byTender,
    float: s.float,
    cashIn: moves.i,
    cashOut: moves.o,
    expectedCash,
    countedCash: kind === 'Z' ? countedCash : null,
    overShort: kind === 'Z' && countedCash !== null ? countedCash - expectedCash : null,
  };
}

/**
 * The X report of the open shift. Between shifts the back office's X tab shows this till's last
 * Z report instead (kind 'Z'), so a manager is not met by an error; SHIFT_NOT_OPEN only when the
 * till has never closed a shift.
 */
export function xReport(ctx: CoreContext): ShiftReport {
  const s = currentShiftRow(ctx.db, ctx.terminalId);
  if (!s) {
    const last = ctx.db
      .prepare(
        'SELECT c.report FROM shift_closes c JOIN shifts s ON s.id = c.shift_id WHERE s.terminal_id = ? ORDER BY c.closed_at DESC LIMIT 1',
      )
      .get(ctx.terminalId) as { report: string } | undefined;
    if (last) return JSON.parse(last.report) as ShiftReport;
    throw new PosError('SHIFT_NOT_OPEN');
  }
  return computeReport(ctx.db, s, 'X', null, ctx.clock());
}

/** Z close with a blind count: the cashier has entered countedCash before seeing expected. */
export function closeShift(ctx: CoreContext, staff: StaffView, countedCash: number): ShiftReport {
  const now = ctx.clock();
  return ctx.db.transaction(() => {
    const s = currentShiftRow(ctx.db, ctx.terminalId);
    if (!s) throw new PosError('SHIFT_NOT_OPEN');
    const report = computeReport(ctx.db, s, 'Z', countedCash, now);
    ctx.db
      .prepare(
        'INSERT INTO shift_closes (shift_id, closed_at, staff_id, counted_cash, expected_cash, report) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(s.id, report.closedAt, staff.id, countedCash, report.expectedCash, JSON.stringify(report));
    // A close is a new fact (its own uuid v7), never an edit of the open fact.
    replicationFor(ctx.db)?.fact('shift', uuidv7(now), {
      event: 'close',
      shiftId: s.id,
      terminalId: ctx.terminalId,
      staffId: staff.id,
      at: report.closedAt,
      report,
    });
    writeAudit(ctx.db, ctx.terminalId, now, {
      action: 'shift.close',
      staffId: staff.id,
      detail: { shiftId: s.id, countedCash, expectedCash: report.expectedCash, overShort: report.overShort },
    });
    return report;
  })();
}
