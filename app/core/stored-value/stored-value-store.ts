// The stored-value ledger (migration 0015): append-only rows, one per top-up, spend or refund,
// keyed by the id of the `stored_value` fact that replicates it, so a row that arrives twice
// (from the hub and again from the cloud) is stored once. Balances are sums over a member's
// One-ID group, like points.
import type { Db } from '../db';
import type { Split } from './stored-value-math';

export interface EntryRow {
  id: string;
  memberId: string;
  kind: 'topup' | 'spend' | 'refund';
  /** Signed: a spend is negative. */
  principal: number;
  bonus: number;
  ref: string;
  terminalId: string;
  storeDay: string;
  offline: boolean;
  createdAt: string;
}

export function insertEntry(db: Db, e: EntryRow): boolean {
  return (
    db
      .prepare(
        `INSERT OR IGNORE INTO stored_value_entries (id, member_id, kind, principal, bonus, ref, terminal_id, store_day, offline, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        e.id,
        e.memberId,
        e.kind,
        e.principal,
        e.bonus,
        e.ref,
        e.terminalId,
        e.storeDay,
        e.offline ? 1 : 0,
        e.createdAt,
      ).changes === 1
  );
}

const marks = (ids: readonly string[]) => ids.map(() => '?').join(',');

export function balanceOf(db: Db, group: readonly string[]): Split {
  const r = db
    .prepare(
      `SELECT COALESCE(SUM(principal), 0) AS p, COALESCE(SUM(bonus), 0) AS b FROM stored_value_entries WHERE member_id IN (${marks(group)})`,
    )
    .get(...group) as { p: number; b: number };
  return { principal: r.p, bonus: r.b };
}

/** Stored value spent offline by the member on one store day (every till of the store this till has heard from). */
export function offlineSpentOn(db: Db, group: readonly string[], storeDay: string): number {
  const r = db
    .prepare(
      `SELECT COALESCE(SUM(-(principal + bonus)), 0) AS s FROM stored_value_entries WHERE member_id IN (${marks(group)}) AND kind = 'spend' AND offline = 1 AND store_day = ?`,
    )
    .get(...group, storeDay) as { s: number };
  return r.s;
}

/** What a sale took (positive) and what its refunds gave back. */
export function saleSplits(db: Db, saleId: string): { memberId: string; spent: Split; back: Split } | null {
  const rows = db
    .prepare(
      "SELECT member_id, kind, principal, bonus FROM stored_value_entries WHERE ref = ? AND kind IN ('spend', 'refund')",
    )
    .all(saleId) as { member_id: string; kind: string; principal: number; bonus: number }[];
  const spend = rows.find((r) => r.kind === 'spend');
  if (!spend) return null;
  const back = { principal: 0, bonus: 0 };
  for (const r of rows)
    if (r.kind === 'refund') {
      back.principal += r.principal;
      back.bonus += r.bonus;
    }
  return { memberId: spend.member_id, spent: { principal: -spend.principal, bonus: -spend.bonus }, back };
}

/** Per member id on the ledger: principal and bonus held (one pass over the ledger). */
export function balancesByMember(db: Db): { memberId: string; principal: number; bonus: number }[] {
  return db
    .prepare(
      'SELECT member_id AS memberId, SUM(principal) AS principal, SUM(bonus) AS bonus FROM stored_value_entries GROUP BY member_id',
    )
    .all() as { memberId: string; principal: number; bonus: number }[];
}

export function spendsOf(
  db: Db,
  group: readonly string[],
): { ref: string; terminal_id: string; amount: number; created_at: string; store_day: string }[] {
  return db
    .prepare(
      `SELECT ref, terminal_id, -(principal + bonus) AS amount, created_at, store_day FROM stored_value_entries WHERE member_id IN (${marks(group)}) AND kind = 'spend' ORDER BY created_at`,
    )
    .all(...group) as { ref: string; terminal_id: string; amount: number; created_at: string; store_day: string }[];
}

export function dayTotals(db: Db, storeDay: string): { toppedUp: number; spent: number } {
  const r = db
    .prepare(
      `SELECT COALESCE(SUM(CASE WHEN kind = 'topup' THEN principal + bonus END), 0) AS t,
              COALESCE(SUM(CASE WHEN kind = 'spend' THEN -(principal + bonus) END), 0) AS s
       FROM stored_value_entries WHERE store_day = ?`,
    )
    .get(storeDay) as { t: number; s: number };
  return { toppedUp: r.t, spent: r.s };
}

/** The latest PIN setting wins (by time, then fact id). */
export function putPin(db: Db, memberId: string, factId: string, hash: string, setAt: string): void {
  db.prepare(
    `INSERT INTO stored_value_pins (member_id, fact_id, hash, set_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (member_id) DO UPDATE SET fact_id = excluded.fact_id, hash = excluded.hash, set_at = excluded.set_at
     WHERE excluded.set_at > stored_value_pins.set_at OR (excluded.set_at = stored_value_pins.set_at AND excluded.fact_id > stored_value_pins.fact_id)`,
  ).run(memberId, factId, hash, setAt);
}

export function pinHashOf(db: Db, group: readonly string[]): string | null {
  const r = db
    .prepare(
      `SELECT hash FROM stored_value_pins WHERE member_id IN (${marks(group)}) ORDER BY set_at DESC, fact_id DESC LIMIT 1`,
    )
    .get(...group) as { hash: string } | undefined;
  return r?.hash ?? null;
}
