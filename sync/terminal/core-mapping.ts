// Maps the terminal core's own rows (app/core: stock_movements, sales, returns, shifts, audit_log)
// onto sync ops, so the core calls one function per write inside its transaction.
import type { Op, OpFactory } from '../core';
import { storeScope } from '../core';

/** Core stock movement row: quantity already signed (sales negative), `count` is the counted level. */
export interface CoreStockMovement {
  sku: string;
  kind: 'sale' | 'return' | 'receive' | 'adjust' | 'transfer' | 'count';
  quantity: number;
  refId?: string | null;
  /** Ledger body (waste reason, cost, staff…), carried in the op beside its ref. */
  body?: Record<string, unknown> | null;
}

export function stockMovementOp(ops: OpFactory, storeId: string, m: CoreStockMovement): Op {
  const ref = m.refId ?? undefined;
  const body = m.body ?? undefined;
  switch (m.kind) {
    case 'transfer':
      return ops.move(storeId, m.sku, m.quantity < 0 ? 'transfer_out' : 'transfer_in', Math.abs(m.quantity), ref, body);
    case 'adjust':
      return ops.move(storeId, m.sku, 'adjust', m.quantity, ref, body);
    // A count is the level the staff counted: a timestamped reset, not a delta.
    case 'count':
      return ops.move(storeId, m.sku, 'count', m.quantity, ref, body);
    default:
      return ops.move(storeId, m.sku, m.kind, Math.abs(m.quantity), ref, body);
  }
}

/** An immutable fact (sale with its lines and tenders, return, shift event, audit entry). */
export function factOp(
  ops: OpFactory,
  storeId: string,
  kind: 'sale' | 'return' | 'shift' | 'audit' | 'purchase_order' | 'coupon_redemption' | 'stored_value' | 'transfer',
  id: string,
  body: Record<string, unknown>,
): Op {
  return ops.fact(storeScope(storeId), kind, id, body);
}
