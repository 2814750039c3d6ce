// Backfill: what a till wrote while sync was off (sales, returns, shifts, cash movements, shift
// closes, audit entries, stock movements, stored-value ledger rows and member PINs) read back from its own immutable tables as the same
// facts and movements the live writers hand to the replication sink. The sync side
// (app/core/terminal/core-sync.ts) stamps them with deterministic op ids and appends the ones
// the replica does not hold yet.
import type { Db } from '../db';
import type { ReplicatedFactKind, ReplicatedStockMovement } from './replication-sink';

export type BackfillItem =
  | { at: number; key: string; fact: { kind: ReplicatedFactKind; id: string; body: Record<string, unknown> } }
  | { at: number; key: string; movement: ReplicatedStockMovement };

/** The tables a backfill reads; their row counts tell whether anything was written while sync was off. */
export const BACKFILL_TABLES = [
  'sales',
  'returns',
  'shifts',
  'cash_movements',
  'shift_closes',
  'audit_log',
  'stock_movements',
  'stored_value_entries',
  'stored_value_pins',
] as const;

export function backfillRowCounts(db: Db): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of BACKFILL_TABLES) out[t] = (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
  return out;
}

/** Id of the close fact of a shift written while sync was off (live closes carry a fresh uuid v7). */
export const shiftCloseFactId = (shiftId: string): string => `${shiftId}.close`;

const ms = (iso: string): number => {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) throw new Error(`backfill: unreadable timestamp ${iso}`);
  return t;
};

/**
 * Every row of the till's immutable tables as replication items, sorted by (time, key). The
 * order is stable (rows never change), so the same database always yields the same list.
 * Stock movements sort by their uuid v7 within a millisecond, the order stockOnHand uses.
 */
export function collectBackfill(db: Db): BackfillItem[] {
  const items: BackfillItem[] = [];

  type SaleRow = {
    id: string;
    number: string;
    terminal_id: string;
    cashier_id: string;
    shift_id: string | null;
    subtotal: number;
    discount: number;
    rounding: number;
    total: number;
    change: number;
    created_at: string;
    member_id: string | null;
    points_earned: number | null;
  };
  const lines = db.prepare(
    'SELECT line_id, sku, name, unit, quantity, weight_grams, unit_price, gross, discount, total, barcode FROM sale_lines WHERE sale_id = ? ORDER BY position',
  );
  const tenders = db.prepare(
    'SELECT type, amount, tendered, reference, provider FROM sale_tenders WHERE sale_id = ? ORDER BY position',
  );
  for (const s of db
    .prepare(
      'SELECT s.id, s.number, s.terminal_id, s.cashier_id, s.shift_id, s.subtotal, s.discount, s.rounding, s.total, s.change, s.created_at, m.member_id, m.points_earned FROM sales s LEFT JOIN sale_members m ON m.sale_id = s.id',
    )
    .all() as SaleRow[]) {
    const ls = (lines.all(s.id) as Record<string, unknown>[]).map((l) => ({
      lineId: l['line_id'],
      sku: l['sku'],
      name: l['name'],
      unit: l['unit'],
      quantity: l['quantity'],
      weightGrams: l['weight_grams'],
      unitPrice: l['unit_price'],
      gross: l['gross'],
      discount: l['discount'],
      total: l['total'],
      barcode: l['barcode'],
    }));
    items.push({
      at: ms(s.created_at),
      key: `sale:${s.id}`,
      fact: {
        kind: 'sale',
        id: s.id,
        body: {
          number: s.number,
          terminalId: s.terminal_id,
          cashierId: s.cashier_id,
          shiftId: s.shift_id,
          subtotal: s.subtotal,
          discount: s.discount,
          rounding: s.rounding,
          total: s.total,
          change: s.change,
          createdAt: s.created_at,
          lines: ls,
          tenders: tenders.all(s.id),
          // The member it was credited to, as the live fact says (visits and the cloud's 360 view).
          ...(s.member_id ? { memberId: s.member_id, pointsEarned: s.points_earned ?? 0 } : {}),
          backfilled: true,
        },
      },
    });
  }

  type ReturnRow = {
    id: string;
    sale_id: string;
    number: string;
    terminal_id: string;
    shift_id: string | null;
    amount: number;
    reason: string;
    staff_id: string;
    approved_by_id: string;
    created_at: string;
  };
  const rLines = db.prepare(
    'SELECT line_id, sku, quantity, weight_grams, amount FROM return_lines WHERE return_id = ? ORDER BY line_id',
  );
  const rTenders = db.prepare(
    'SELECT type, amount, reference, provider FROM return_tenders WHERE return_id = ? ORDER BY id',
  );
  for (const r of db
    .prepare(
      'SELECT r.id, r.sale_id, s.number, r.terminal_id, r.shift_id, r.amount, r.reason, r.staff_id, r.approved_by_id, r.created_at FROM returns r JOIN sales s ON s.id = r.sale_id',
    )
    .all() as ReturnRow[]) {
    items.push({
      at: ms(r.created_at),
      key: `return:${r.id}`,
      fact: {
        kind: 'return',
        id: r.id,
        body: {
          saleId: r.sale_id,
          saleNumber: r.number,
          terminalId: r.terminal_id,
          shiftId: r.shift_id,
          amount: r.amount,
          reason: r.reason,
          staffId: r.staff_id,
          approvedById: r.approved_by_id,
          createdAt: r.created_at,
          lines: (rLines.all(r.id) as Record<string, unknown>[]).map((l) => ({
            lineId: l['line_id'],
            sku: l['sku'],
            quantity: l['quantity'],
            weightGrams: l['weight_grams'],
            amount: l['amount'],
          })),
          tenders: rTenders.all(r.id),
          backfilled: true,
        },
      },
    });
  }

  type ShiftRow = {
    id: string;
    terminal_id: string;
    staff_id: string;
    opened_at: string;
    float: number;
    auto_opened: number;
  };
  for (const s of db
    .prepare('SELECT id, terminal_id, staff_id, opened_at, float, auto_opened FROM shifts')
    .all() as ShiftRow[]) {
    items.push({
      at: ms(s.opened_at),
      key: `shift:${s.id}`,
      fact: {
        kind: 'shift',
        id: s.id,
        body: {
          event: 'open',
          shiftId: s.id,
          terminalId: s.terminal_id,
          staffId: s.staff_id,
          at: s.opened_at,
          float: s.float,
          auto: s.auto_opened === 1,
          backfilled: true,
        },
      },
    });
  }
  type CashRow = {
    id: string;
    shift_id: string;
    terminal_id: string;
    kind: 'in' | 'out';
    amount: number;
    reason: string;
    staff_id: string;
    approved_by: string | null;
    at: string;
  };
  for (const c of db
    .prepare(
      'SELECT c.id, c.shift_id, s.terminal_id, c.kind, c.amount, c.reason, c.staff_id, c.approved_by, c.at FROM cash_movements c JOIN shifts s ON s.id = c.shift_id',
    )
    .all() as CashRow[]) {
    items.push({
      at: ms(c.at),
      key: `cash:${c.id}`,
      fact: {
        kind: 'shift',
        id: c.id,
        body: {
          event: c.kind === 'in' ? 'cash_in' : 'cash_out',
          shiftId: c.shift_id,
          terminalId: c.terminal_id,
          staffId: c.staff_id,
          approvedById: c.approved_by,
          at: c.at,
          amount: c.amount,
          reason: c.reason,
          backfilled: true,
        },
      },
    });
  }
  type CloseRow = { shift_id: string; terminal_id: string; closed_at: string; staff_id: string; report: string };
  for (const c of db
    .prepare(
      'SELECT c.shift_id, s.terminal_id, c.closed_at, c.staff_id, c.report FROM shift_closes c JOIN shifts s ON s.id = c.shift_id',
    )
    .all() as CloseRow[]) {
    items.push({
      at: ms(c.closed_at),
      key: `close:${c.shift_id}`,
      fact: {
        kind: 'shift',
        id: shiftCloseFactId(c.shift_id),
        body: {
          event: 'close',
          shiftId: c.shift_id,
          terminalId: c.terminal_id,
          staffId: c.staff_id,
          at: c.closed_at,
          report: JSON.parse(c.report) as unknown,
          backfilled: true,
        },
      },
    });
  }

  type AuditRow = {
    id: string;
    at: string;
    action: string;
    terminal_id: string;
    staff_id: string | null;
    approved_by_id: string | null;
    detail: string;
  };
  for (const a of db
    .prepare('SELECT id, at, action, terminal_id, staff_id, approved_by_id, detail FROM audit_log')
    .all() as AuditRow[]) {
    items.push({
      at: ms(a.at),
      key: `audit:${a.id}`,
      fact: {
        kind: 'audit',
        id: a.id,
        body: {
          at: a.at,
          action: a.action,
          terminalId: a.terminal_id,
          staffId: a.staff_id,
          approvedById: a.approved_by_id,
          detail: JSON.parse(a.detail) as unknown,
          backfilled: true,
        },
      },
    });
  }

  type MoveRow = {
    id: string;
    sku: string;
    kind: ReplicatedStockMovement['kind'];
    quantity: number;
    ref_id: string | null;
    body: string | null;
    created_at: string;
  };
  for (const m of db
    .prepare('SELECT id, sku, kind, quantity, ref_id, body, created_at FROM stock_movements')
    .all() as MoveRow[]) {
    // Same ref as the live writer: the movement's reference, else its own row id.
    items.push({
      at: ms(m.created_at),
      key: `mv:${m.id}`,
      movement: {
        sku: m.sku,
        kind: m.kind,
        quantity: m.quantity,
        refId: m.ref_id ?? m.id,
        body: m.body ? (JSON.parse(m.body) as Record<string, unknown>) : null,
      },
    });
  }

  // Stored-value ledger rows and PIN settings, in the live writer's shape (stored-value-service.ts).
  type EntryRow = {
    id: string;
    member_id: string;
    kind: string;
    principal: number;
    bonus: number;
    ref: string;
    terminal_id: string;
    store_day: string;
    offline: number;
    created_at: string;
  };
  for (const e of db.prepare('SELECT * FROM stored_value_entries').all() as EntryRow[]) {
    items.push({
      at: ms(e.created_at),
      key: `sv:${e.id}`,
      fact: {
        kind: 'stored_value',
        id: e.id,
        body: {
          entry: e.kind,
          id: e.id,
          memberId: e.member_id,
          kind: e.kind,
          principal: e.principal,
          bonus: e.bonus,
          ref: e.ref,
          terminalId: e.terminal_id,
          storeDay: e.store_day,
          offline: e.offline === 1,
          createdAt: e.created_at,
        },
      },
    });
  }
  for (const p of db.prepare('SELECT member_id, fact_id, hash, set_at FROM stored_value_pins').all() as {
    member_id: string;
    fact_id: string;
    hash: string;
    set_at: string;
  }[])
    items.push({
      at: ms(p.set_at),
      key: `svpin:${p.fact_id}`,
      fact: {
        kind: 'stored_value',
        id: p.fact_id,
        body: { entry: 'pin', memberId: p.member_id, hash: p.hash, setAt: p.set_at },
      },
    });

  return items.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
