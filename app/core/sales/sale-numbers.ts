// Sale numbers (unique per terminal, printed: T01-000123) and receipt codes (what the
// receipt's QR encodes; unique across the chain because it names the store).
import type { Db } from '../db';

export function nextSaleSeq(db: Db, terminalId: string): number {
  return (db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM sales WHERE terminal_id = ?').get(terminalId) as { n: number }).n;
}

export function saleNumber(terminalId: string, seq: number): string {
  return `${terminalId}-${String(seq).padStart(6, '0')}`;
}

export function receiptCode(storeId: string, number: string): string {
  return `R:${storeId}:${number}`;
}
