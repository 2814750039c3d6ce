// Where the core hands its immutable writes to replication (the sync outbox). The writers
// (stock ledger, audit log, sale completion, returns, shifts, config) call `replicationFor(db)`
// inside the transaction that writes their rows, so a row and the ops that replicate it commit
// together or not at all. With sync disabled (the default) no sink is attached and nothing
// else happens.
import type { Op, OpFactory, StaffFieldValues } from '../../../sync/core';
import type { Db } from '../db';

export type ReplicatedFactKind =
  'sale' | 'return' | 'shift' | 'audit' | 'purchase_order' | 'coupon_redemption' | 'stored_value' | 'transfer';

export interface ReplicatedStockMovement {
  sku: string;
  kind: 'sale' | 'return' | 'receive' | 'adjust' | 'transfer' | 'count';
  /** As stored in stock_movements: signed, items or grams; a `count` is the counted level. */
  quantity: number;
  refId?: string | null;
  /** Ledger body (docs/back-office.md "Stock ledger bodies"); null for sales and returns. */
  body?: Record<string, unknown> | null;
}

export interface ReplicationSink {
  fact(kind: ReplicatedFactKind, id: string, body: Record<string, unknown>): void;
  stockMovement(m: ReplicatedStockMovement): void;
  /** Changed store config fields with their new values (last writer wins per field). */
  config(fields: Record<string, unknown>): void;
  /** Changed store settings (settings.set) under the store-wide config key, for every till of the store. */
  storeSettings?(fields: Record<string, unknown>): void;
  /** Member ops (sign-up, points), built with the outbox's clock in the store's scope; returns what was appended. */
  memberOps?(build: (ops: OpFactory, scope: string) => Op[]): Op[];
  /** A store price rule (a manager's markdown) set, or withdrawn with null (last writer wins per rule). */
  promotion(ruleId: string, rule: unknown): void;
  /** Changed fields of one staff record (sync/core/staff.ts: PIN hashes only), for every till of the store. */
  staff?(staffId: string, fields: Partial<StaffFieldValues>): void;
  /** Changed fields of one purchase order (sync/core/purchase-orders.ts: order, status, received:<till>), for every till of the store. */
  purchaseOrder?(orderId: string, fields: Record<string, unknown>): void;
}

const sinks = new WeakMap<Db, ReplicationSink>();

export function attachReplicationSink(db: Db, sink: ReplicationSink): void {
  sinks.set(db, sink);
}

export function replicationFor(db: Db): ReplicationSink | null {
  return sinks.get(db) ?? null;
}
