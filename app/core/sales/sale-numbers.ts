// Sale numbers (unique per terminal, printed: T01-000123) and receipt codes (what the
// receipt's QR encodes; unique across the chain because it names the store).
// A number may be on paper even when its sale is no longer in the database (a damaged WAL
// loses committed sales), so numbering continues above a floor kept in `kv` that only rises:
// the sale journal's high-water mark, and after a technician's acknowledgement, that plus a gap.
import type { Db } from '../db';

const floorKey = (terminalId: string): string => `sale_number_floor:${terminalId}`;

/** Highest sequence of this terminal's sales in the database (0 when none). */
export function highestSaleSeq(db: Db, terminalId: string): number {
  return (
    db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM sales WHERE terminal_id = ?').get(terminalId) as { n: number }
  ).n;
}

/** No sale number at or below this may be issued (0 when never raised). */
export function saleNumberFloor(db: Db, terminalId: string): number {
  const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(floorKey(terminalId)) as
    { value: string } | undefined;
  const n = row ? Number(row.value) : 0;
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/** Raises the floor to `floor` (never lowers it). */
export function raiseSaleNumberFloor(db: Db, terminalId: string, floor: number, at: Date): void {
  if (floor <= saleNumberFloor(db, terminalId)) return;
  db.prepare(
    'INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  ).run(floorKey(terminalId), String(floor), at.toISOString());
}

export function nextSaleSeq(db: Db, terminalId: string): number {
  return Math.max(highestSaleSeq(db, terminalId), saleNumberFloor(db, terminalId)) + 1;
}

export function saleNumber(terminalId: string, seq: number): string {
  return `${terminalId}-${String(seq).padStart(6, '0')}`;
}

export function receiptCode(storeId: string, number: string): string {
  return `R:${storeId}:${number}`;
}
