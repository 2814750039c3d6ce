// The manager's side of online-order refunds (back office → Refunds): the list of what this till
// owes customers, a retry of one the gateway refused or has not answered, and a refund paid back
// by hand. A retry goes through the same journal and refund number as the automatic passes
// (order-refunds.ts), so a customer is paid once however often it is retried. Marking a refund
// paid by hand is refused while it is `owed`: the gateway may have made it already (an answer
// lost in a timeout), and only a retry can tell; once `declined` or `manual`, no gateway call is
// under way and the manager's word settles it. Both write the audit entry with the manager.
import type { OrderRefundView, StaffView } from '../../contract';
import { PosError } from '../../contract';
import { orderEventId, refundOwed, storeScope } from '../../../sync/core';
import { writeAudit } from '../audit';
import type { Db } from '../db';
import { payOrderRefunds } from './order-refunds';
import { loadOrders, type OrderDeps } from './order-service';

interface DeskRow {
  order_id: string;
  refund_no: string;
  status: Exclude<OrderRefundView['status'], 'other-till'>;
  amount: number;
  reason: OrderRefundView['reason'];
  wallet: OrderRefundView['wallet'];
  attempts: number;
  last_error: string | null;
  paid_by: OrderRefundView['paidBy'];
  note: string | null;
  created_at: string;
  updated_at: string;
}

/** `open`: every refund not paid yet. */
interface RefundFilter {
  status?: DeskRow['status'] | 'open';
  limit: number;
}

function view(r: DeskRow, terminalId: string): OrderRefundView {
  return {
    orderId: r.order_id,
    status: r.status,
    terminalId,
    amount: r.amount,
    reason: r.reason,
    wallet: r.wallet,
    attempts: r.attempts,
    lastError: r.last_error,
    paidBy: r.paid_by,
    note: r.note,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function rowOf(db: Db, orderId: string): DeskRow {
  const r = db.prepare('SELECT * FROM order_refunds WHERE order_id = ?').get(orderId) as DeskRow | undefined;
  if (!r) throw new PosError('ORDER_NOT_FOUND', { reason: 'refund', orderId });
  return r;
}

/**
 * The refunds this till journals: those still to settle first (oldest first), then paid ones
 * (newest first). Without a status filter, or with `open`, also the refunds the replica shows
 * owed and unpaid that another till journals (a short pick handed over there, a cancellation the
 * hub let another till pay): the manager sees them here and settles them on that till.
 */
export function listOrderRefunds(deps: OrderDeps, filter: RefundFilter): OrderRefundView[] {
  const here = journalled(deps.ctx.db, filter).map((r) => view(r, deps.ctx.terminalId));
  if ((filter.status !== undefined && filter.status !== 'open') || !deps.sync) return here;
  const known = new Set(
    (deps.ctx.db.prepare('SELECT order_id FROM order_refunds').all() as { order_id: string }[]).map((r) => r.order_id),
  );
  const elsewhere: OrderRefundView[] = [];
  for (const s of loadOrders(deps)) {
    if (!s.end || s.refundPaid || known.has(s.order.orderId)) continue;
    const amount = refundOwed(s);
    if (amount <= 0) continue;
    const handedOver = s.end.kind !== 'cancelled' && s.end.kind !== 'expired';
    elsewhere.push({
      orderId: s.order.orderId,
      status: 'other-till',
      terminalId: handedOver ? s.end.terminalId : null,
      amount,
      reason: s.end.kind as OrderRefundView['reason'],
      wallet: s.order.paymentWallet,
      attempts: 0,
      lastError: null,
      paidBy: null,
      note: null,
      createdAt: s.end.at,
      updatedAt: s.end.at,
    });
  }
  elsewhere.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  // Open ones first: this till's to settle, then the other tills', then this till's paid ones.
  const open = here.filter((r) => r.status !== 'paid');
  return [...open, ...elsewhere, ...here.filter((r) => r.status === 'paid')].slice(0, filter.limit);
}

function journalled(db: Db, filter: RefundFilter): DeskRow[] {
  const where = filter.status === 'open' ? "WHERE status <> 'paid'" : filter.status ? 'WHERE status = @status' : '';
  const rows = db
    .prepare(
      `SELECT * FROM order_refunds ${where}
       ORDER BY status = 'paid', CASE WHEN status = 'paid' THEN '' ELSE created_at END, updated_at DESC
       LIMIT @limit`,
    )
    .all({ limit: filter.limit, ...(filter.status && filter.status !== 'open' ? { status: filter.status } : {}) });
  return rows as DeskRow[];
}

/**
 * Asks the gateway again for an owed or declined refund, with the same refund number, and
 * answers the journal's state after the attempt (paid, declined again, or still owed).
 */
export async function retryOrderRefund(deps: OrderDeps, staff: StaffView, orderId: string): Promise<OrderRefundView> {
  const { ctx } = deps;
  ctx.db.transaction(() => {
    const r = rowOf(ctx.db, orderId);
    if (r.status === 'paid') throw new PosError('ORDER_STATE', { reason: 'refund-paid', orderId });
    if (r.status === 'manual') throw new PosError('ORDER_STATE', { reason: 'refund-no-wallet', orderId });
    ctx.db
      .prepare("UPDATE order_refunds SET status = 'owed', updated_at = ? WHERE order_id = ? AND status = 'declined'")
      .run(ctx.clock().toISOString(), orderId);
    writeAudit(ctx.db, ctx.terminalId, ctx.clock(), {
      action: 'order.refund-retried',
      staffId: staff.id,
      detail: { orderId, amount: r.amount, was: r.status, attempts: r.attempts },
    });
  })();
  await payOrderRefunds(deps, [orderId]);
  return view(rowOf(ctx.db, orderId), ctx.terminalId);
}

/**
 * Records a refund the store paid back by hand (cash at the counter, a transfer): the journal says
 * paid by the manager with their note, the order gets its `refunded` event (the cloud shows it
 * paid and the mall is told) and the audit entry, in one transaction.
 */
export function markOrderRefundPaid(deps: OrderDeps, staff: StaffView, orderId: string, note: string): OrderRefundView {
  const { ctx } = deps;
  const sync = deps.sync;
  if (!sync) throw new PosError('ORDERS_OFFLINE');
  return ctx.db.transaction(() => {
    const r = rowOf(ctx.db, orderId);
    if (r.status === 'paid') throw new PosError('ORDER_STATE', { reason: 'refund-paid', orderId });
    if (r.status === 'owed') throw new PosError('ORDER_STATE', { reason: 'refund-owed', orderId });
    const now = ctx.clock();
    ctx.db
      .prepare(
        "UPDATE order_refunds SET status = 'paid', paid_by = 'manual', settled_staff_id = ?, note = ?, updated_at = ? WHERE order_id = ?",
      )
      .run(staff.id, note, now.toISOString(), orderId);
    // The same fact id as a gateway refund's: the order has one `refunded` event, whoever paid.
    sync.outbox.append([
      sync.outbox.ops.fact(storeScope(ctx.storeId), 'order_event', orderEventId(orderId, 'refunded'), {
        orderId,
        kind: 'refunded',
        amount: r.amount,
        reason: r.reason,
        refundNo: r.refund_no,
        manual: true,
        at: now.toISOString(),
        terminalId: ctx.terminalId,
        staffId: staff.id,
      }),
    ]);
    writeAudit(ctx.db, ctx.terminalId, now, {
      action: 'order.refund-paid-manually',
      staffId: staff.id,
      detail: { orderId, amount: r.amount, was: r.status, note },
    });
    return view(rowOf(ctx.db, orderId), ctx.terminalId);
  })();
}
