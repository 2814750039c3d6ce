// Stock as an append-only movement ledger: on hand is the sum of movements, never an
// overwritten number, so replicas can merge by union. Quantities are items, or grams for
// weighed products. Sales are negative, returns and receipts positive; a `count` row holds the
// counted level and resets what came before it.
import type { StockView, Unit } from '../../contract';
import { PosError } from '../../contract';
import type { Db } from '../db';
import { uuidv7 } from '../ids';
import { replicationFor } from '../replication';

export type StockMovementKind = 'sale' | 'return' | 'receive' | 'adjust' | 'transfer' | 'count';

export interface StockMovementInput {
  sku: string;
  kind: StockMovementKind;
  quantity: number;
  refId?: string | null;
  /** Ledger body: docs/back-office.md "Stock ledger bodies". */
  body?: Record<string, unknown> | null;
}

export function addStockMovement(db: Db, terminalId: string, at: Date, m: StockMovementInput): string {
  const id = uuidv7(at);
  db.prepare(
    'INSERT INTO stock_movements (id, sku, kind, quantity, ref_id, terminal_id, created_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    id,
    m.sku,
    m.kind,
    m.quantity,
    m.refId ?? null,
    terminalId,
    at.toISOString(),
    m.body ? JSON.stringify(m.body) : null,
  );
  replicationFor(db)?.stockMovement({
    sku: m.sku,
    kind: m.kind,
    quantity: m.quantity,
    refId: m.refId ?? id,
    body: m.body ?? null,
  });
  return id;
}

/**
 * On hand = the latest `count` (its quantity is the level the staff counted, not a difference)
 * plus every other movement written after it; with no count, the sum of all movements. The
 * same rule as the sync ledger, so local and replicated stock agree.
 */
export function stockOnHand(db: Db, sku: string): number {
  const count = db
    .prepare("SELECT id, quantity FROM stock_movements WHERE sku = ? AND kind = 'count' ORDER BY id DESC LIMIT 1")
    .get(sku) as { id: string; quantity: number } | undefined;
  const r = db
    .prepare("SELECT COALESCE(SUM(quantity), 0) AS q FROM stock_movements WHERE sku = ? AND kind <> 'count' AND id > ?")
    .get(sku, count?.id ?? '') as { q: number };
  return (count?.quantity ?? 0) + r.q;
}

export function getStockView(db: Db, sku: string, at: Date): StockView {
  const p = db.prepare('SELECT unit, cost FROM products WHERE sku = ?').get(sku) as
    { unit: Unit; cost: number | null } | undefined;
  if (!p) throw new PosError('PRODUCT_NOT_FOUND', { reason: 'no-sku', sku });
  const onHand = stockOnHand(db, sku);
  // Reservations (online orders) are not modelled on the terminal yet.
  const reserved = 0;
  return {
    sku,
    onHand,
    reserved,
    available: onHand - reserved,
    unit: p.unit,
    asOf: at.toISOString(),
    negative: onHand < 0,
    unitCost: p.cost,
  };
}
