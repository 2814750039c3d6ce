// Transfers between stores (调拨, docs/back-office.md "Transfers"). The receiving store requests,
// the sending store ships (stock leaves: ledger kind 'transfer', negative, ref `<id>:out`), the
// receiving store records what arrived (ledger kind 'transfer', positive, ref `<id>:in`, with the
// variance against what was shipped). The `transfers` table holds only the state; each step
// checks it in the same transaction as its ledger row, so a repeated step (a retry, a double
// click, the same record arriving twice) returns the transfer as it is and moves no stock.
import { PosError, type StaffView, type TransferView } from '../../contract';
import { writeAudit } from '../audit';
import type { CoreContext } from '../context';
import type { Db } from '../db';
import { uuidv7 } from '../ids';
import { replicationFor } from '../replication';
import { addStockMovement } from './stock-ledger';

interface TransferRow {
  id: string;
  from_store: string;
  to_store: string;
  sku: string;
  quantity: number;
  status: TransferView['status'];
  requested_at: string;
  shipped_quantity: number | null;
  shipped_at: string | null;
  received_quantity: number | null;
  received_at: string | null;
}

const STATUS_ORDER: Record<TransferView['status'], number> = { requested: 0, shipped: 1, received: 2 };

function view(r: TransferRow): TransferView {
  return {
    id: r.id,
    fromStore: r.from_store,
    toStore: r.to_store,
    sku: r.sku,
    quantity: r.quantity,
    status: r.status,
    requestedAt: r.requested_at,
    shippedQuantity: r.shipped_quantity,
    shippedAt: r.shipped_at,
    receivedQuantity: r.received_quantity,
    receivedAt: r.received_at,
    variance:
      r.received_quantity === null || r.shipped_quantity === null ? null : r.received_quantity - r.shipped_quantity,
  };
}

/**
 * Each step is one `transfer` fact (`<id>:<status>`, body the transfer as this store sees it) in
 * this store's scope; the cloud copies it into the other store's scope (sync/cloud/transfer-relay.ts),
 * whose tills import it (importTransfer).
 */
function replicate(db: Db, t: TransferView): TransferView {
  replicationFor(db)?.fact('transfer', `${t.id}:${t.status}`, { ...t });
  return t;
}

function row(db: Db, id: string): TransferRow | undefined {
  return db.prepare('SELECT * FROM transfers WHERE id = ?').get(id) as TransferRow | undefined;
}

function load(db: Db, id: string): TransferRow {
  const r = row(db, id);
  if (!r) throw new PosError('NOT_FOUND', { reason: 'transfer', id });
  return r;
}

export function listTransfers(db: Db, limit = 200): TransferView[] {
  return (
    db.prepare('SELECT * FROM transfers ORDER BY requested_at DESC, id DESC LIMIT ?').all(limit) as TransferRow[]
  ).map(view);
}

/**
 * The receiving store (this till's store) asks `fromStore` for stock. `id` lets a caller retry
 * without a second request: the same id with the same content returns the first request.
 */
export function requestTransfer(
  ctx: CoreContext,
  staff: StaffView,
  input: { fromStore: string; sku: string; quantity: number; id?: string },
): TransferView {
  if (input.fromStore === ctx.storeId)
    throw new PosError('CONFLICT', { reason: 'transfer-same-store', storeId: ctx.storeId });
  const p = ctx.db.prepare('SELECT sku FROM products WHERE sku = ?').get(input.sku);
  if (!p) throw new PosError('PRODUCT_NOT_FOUND', { reason: 'no-sku', sku: input.sku });
  const at = ctx.clock();
  return ctx.db.transaction(() => {
    const existing = input.id ? row(ctx.db, input.id) : undefined;
    if (existing) {
      if (
        existing.from_store !== input.fromStore ||
        existing.to_store !== ctx.storeId ||
        existing.sku !== input.sku ||
        existing.quantity !== input.quantity
      )
        throw new PosError('CONFLICT', { reason: 'transfer-id-taken', id: existing.id });
      return view(existing);
    }
    const id = input.id ?? uuidv7(at);
    ctx.db
      .prepare(
        "INSERT INTO transfers (id, from_store, to_store, sku, quantity, status, requested_at, requested_by) VALUES (?, ?, ?, ?, ?, 'requested', ?, ?)",
      )
      .run(id, input.fromStore, ctx.storeId, input.sku, input.quantity, at.toISOString(), staff.id);
    writeAudit(ctx.db, ctx.terminalId, at, {
      action: 'transfers.request',
      staffId: staff.id,
      detail: { id, fromStore: input.fromStore, sku: input.sku, quantity: input.quantity },
    });
    return replicate(ctx.db, view(load(ctx.db, id)));
  })();
}

/** The sending store ships: the stock leaves its ledger now (in transit until received). */
export function shipTransfer(
  ctx: CoreContext,
  staff: StaffView,
  input: { id: string; quantity?: number },
): TransferView {
  const at = ctx.clock();
  return ctx.db.transaction(() => {
    const t = load(ctx.db, input.id);
    if (t.from_store !== ctx.storeId)
      throw new PosError('CONFLICT', { reason: 'transfer-not-sender', id: t.id, fromStore: t.from_store });
    if (t.status !== 'requested') return view(t);
    const q = input.quantity ?? t.quantity;
    addStockMovement(ctx.db, ctx.terminalId, at, {
      sku: t.sku,
      kind: 'transfer',
      quantity: -q,
      refId: `${t.id}:out`,
      body: { transfer: t.id, to: t.to_store, staff: staff.id },
    });
    ctx.db
      .prepare(
        "UPDATE transfers SET status = 'shipped', shipped_quantity = ?, shipped_at = ?, shipped_by = ? WHERE id = ?",
      )
      .run(q, at.toISOString(), staff.id, t.id);
    writeAudit(ctx.db, ctx.terminalId, at, {
      action: 'transfers.ship',
      staffId: staff.id,
      detail: { id: t.id, toStore: t.to_store, sku: t.sku, requested: t.quantity, shipped: q },
    });
    return replicate(ctx.db, view(load(ctx.db, t.id)));
  })();
}

/** The receiving store records what arrived; the variance is against what was shipped. */
export function receiveTransfer(
  ctx: CoreContext,
  staff: StaffView,
  input: { id: string; quantity: number },
): TransferView {
  const at = ctx.clock();
  return ctx.db.transaction(() => {
    const t = load(ctx.db, input.id);
    if (t.to_store !== ctx.storeId)
      throw new PosError('CONFLICT', { reason: 'transfer-not-receiver', id: t.id, toStore: t.to_store });
    if (t.status === 'received') return view(t);
    if (t.status !== 'shipped' || t.shipped_quantity === null)
      throw new PosError('CONFLICT', { reason: 'transfer-not-shipped', id: t.id });
    if (input.quantity > 0)
      addStockMovement(ctx.db, ctx.terminalId, at, {
        sku: t.sku,
        kind: 'transfer',
        quantity: input.quantity,
        refId: `${t.id}:in`,
        body: {
          transfer: t.id,
          from: t.from_store,
          shipped: t.shipped_quantity,
          variance: input.quantity - t.shipped_quantity,
          staff: staff.id,
        },
      });
    ctx.db
      .prepare(
        "UPDATE transfers SET status = 'received', received_quantity = ?, received_at = ?, received_by = ? WHERE id = ?",
      )
      .run(input.quantity, at.toISOString(), staff.id, t.id);
    writeAudit(ctx.db, ctx.terminalId, at, {
      action: 'transfers.receive',
      staffId: staff.id,
      detail: {
        id: t.id,
        fromStore: t.from_store,
        sku: t.sku,
        shipped: t.shipped_quantity,
        received: input.quantity,
        variance: input.quantity - t.shipped_quantity,
      },
    });
    return replicate(ctx.db, view(load(ctx.db, t.id)));
  })();
}

/**
 * Takes a transfer record from the other store (what sync hands over): inserts it, or moves the
 * local row forward (never back) and fills in the other store's step. Writes no stock: each store
 * writes only its own ledger rows. Returns whether anything changed.
 */
export function importTransfer(db: Db, t: TransferView): boolean {
  return db.transaction(() => {
    const r = row(db, t.id);
    if (!r) {
      db.prepare(
        `INSERT INTO transfers (id, from_store, to_store, sku, quantity, status, requested_at,
           shipped_quantity, shipped_at, received_quantity, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        t.id,
        t.fromStore,
        t.toStore,
        t.sku,
        t.quantity,
        t.status,
        t.requestedAt,
        t.shippedQuantity,
        t.shippedAt,
        t.receivedQuantity,
        t.receivedAt,
      );
      return true;
    }
    if (r.from_store !== t.fromStore || r.to_store !== t.toStore || r.sku !== t.sku)
      throw new PosError('CONFLICT', { reason: 'transfer-id-taken', id: t.id });
    if (STATUS_ORDER[t.status] <= STATUS_ORDER[r.status]) return false;
    db.prepare(
      `UPDATE transfers SET status = ?, shipped_quantity = COALESCE(shipped_quantity, ?), shipped_at = COALESCE(shipped_at, ?),
         received_quantity = COALESCE(received_quantity, ?), received_at = COALESCE(received_at, ?) WHERE id = ?`,
    ).run(t.status, t.shippedQuantity, t.shippedAt, t.receivedQuantity, t.receivedAt, t.id);
    return true;
  })();
}
