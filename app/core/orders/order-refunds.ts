// Paying back what an online order's customer is owed (a short or re-weighed pick, a cheaper
// substitute, a cancelled or expired order) through the payment gateway that took the mall's
// payment, exactly once. The refund is journalled in `order_refunds` (migration 0020) as `owed`
// with a refund number derived from the order id BEFORE the gateway is asked; every retry — after
// a timeout, an unreachable gateway, or a crash between the gateway's yes and our commit — names
// the same number, and the gateways treat a repeated refund number as the same refund (WeChat
// `out_refund_no`, Alipay `out_request_no`), so the customer is paid once. Paid → an `order_event`
// `refunded` (the cloud and the mall learn of it) and the audit entry, in one transaction.
//
// Who pays: a handover's difference, the till that handed the order over; a cancelled or expired
// order's money, the till the store hub lets claim it (any till when the hub cannot be asked: the
// refund number still makes it one refund).
import { createHash } from 'node:crypto';
import type { PaymentWallet } from '../payment';
import { orderEventId, refundOwed, storeScope, type OrderState } from '../../../sync/core';
import { writeAudit } from '../audit';
import type { CoreContext } from '../context';
import { loadOrder, loadOrders, type OrderDeps } from './order-service';

type RefundStatus = 'owed' | 'paid' | 'declined' | 'manual';

interface RefundRow {
  order_id: string;
  refund_no: string;
  wallet: PaymentWallet | null;
  transaction_id: string | null;
  amount: number;
  reason: string;
  status: RefundStatus;
  attempts: number;
}

/** The order's refund number: the same on every till and every retry (32 characters). */
export function orderRefundNo(orderId: string): string {
  return `ORF${createHash('sha256').update(orderId).digest('hex').slice(0, 29)}`;
}

export interface RefundPass {
  paid: number;
  owed: number;
  declined: number;
  manual: number;
}

/** Orders whose refund this till should journal now, and those that need the hub's word first. */
function refundsToJournal(deps: OrderDeps, only?: readonly string[]): { mine: OrderState[]; shared: OrderState[] } {
  const known = new Set(
    (deps.ctx.db.prepare('SELECT order_id FROM order_refunds').all() as { order_id: string }[]).map((r) => r.order_id),
  );
  const mine: OrderState[] = [];
  const shared: OrderState[] = [];
  const orders = only ? only.map((id) => loadOrder(deps, id)) : loadOrders(deps);
  for (const s of orders) {
    if (!s.end || s.refundPaid || known.has(s.order.orderId) || refundOwed(s) <= 0) continue;
    if (s.end.kind === 'cancelled' || s.end.kind === 'expired') shared.push(s);
    else if (s.end.terminalId === deps.ctx.terminalId) mine.push(s);
  }
  return { mine, shared };
}

function journal(ctx: CoreContext, s: OrderState): void {
  const o = s.order;
  const now = ctx.clock().toISOString();
  const payable = o.paymentWallet !== null && o.paymentRef !== null;
  const amount = refundOwed(s);
  ctx.db.transaction(() => {
    const r = ctx.db
      .prepare(
        `INSERT INTO order_refunds (order_id, refund_no, wallet, transaction_id, amount, reason, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING`,
      )
      .run(
        o.orderId,
        orderRefundNo(o.orderId),
        o.paymentWallet,
        o.paymentRef,
        amount,
        s.end!.kind,
        payable ? 'owed' : 'manual',
        now,
        now,
      );
    // No wallet or payment reference from the mall: the manager pays it back by hand.
    if (r.changes && !payable)
      writeAudit(ctx.db, ctx.terminalId, ctx.clock(), {
        action: 'order.refund-manual',
        staffId: null,
        detail: { orderId: o.orderId, amount, reason: s.end!.kind },
      });
  })();
}

/** Asks the store hub whether this till pays a cancelled/expired order's refund. */
async function hubLetsMePay(deps: OrderDeps, orderId: string): Promise<boolean> {
  const r = await deps.sync!.client.postToPeer('hub', '/sync/orders/claim', { orderId, purpose: 'refund' });
  if (!r || r.status !== 200) return true; // no hub answer: pay (the refund number keeps it one refund)
  const body = (r.body ?? {}) as { ok?: boolean; code?: string };
  return body.ok === true || body.code === 'ORDER_NOT_FOUND';
}

async function payOne(deps: OrderDeps, row: RefundRow): Promise<RefundStatus> {
  const { ctx } = deps;
  let result;
  try {
    result = await ctx.paymentProvider.refund({
      transactionId: row.transaction_id!,
      amount: row.amount,
      refundId: row.refund_no,
      saleId: row.order_id,
      wallet: row.wallet!,
    });
  } catch (err) {
    // Timeout, unreachable, unreadable answer: maybe made, maybe not. Stays owed; the retry with
    // the same refund number settles it.
    ctx.db
      .prepare(
        'UPDATE order_refunds SET attempts = attempts + 1, last_error = ?, updated_at = ? WHERE order_id = ? AND status = ?',
      )
      .run(String((err as Error).name ?? 'error').slice(0, 80), ctx.clock().toISOString(), row.order_id, 'owed');
    return 'owed';
  }
  const now = ctx.clock();
  const outbox = deps.sync!.outbox;
  return ctx.db.transaction((): RefundStatus => {
    const cur = ctx.db.prepare('SELECT status FROM order_refunds WHERE order_id = ?').get(row.order_id) as
      { status: RefundStatus } | undefined;
    if (cur?.status !== 'owed') return cur?.status ?? 'owed';
    if (result.status !== 'approved') {
      ctx.db
        .prepare(
          "UPDATE order_refunds SET status = 'declined', attempts = attempts + 1, last_error = ?, updated_at = ? WHERE order_id = ?",
        )
        .run((result.message ?? 'declined').slice(0, 200), now.toISOString(), row.order_id);
      writeAudit(ctx.db, ctx.terminalId, now, {
        action: 'order.refund-declined',
        staffId: null,
        detail: { orderId: row.order_id, amount: row.amount, message: result.message ?? null },
      });
      return 'declined';
    }
    ctx.db
      .prepare(
        "UPDATE order_refunds SET status = 'paid', paid_by = 'gateway', attempts = attempts + 1, last_error = NULL, gateway_refund_id = ?, updated_at = ? WHERE order_id = ?",
      )
      .run(result.transactionId, now.toISOString(), row.order_id);
    // One fact id per order: a second till's record of the same refund is the same fact.
    outbox.append([
      outbox.ops.fact(storeScope(ctx.storeId), 'order_event', orderEventId(row.order_id, 'refunded'), {
        orderId: row.order_id,
        kind: 'refunded',
        amount: row.amount,
        reason: row.reason,
        refundNo: row.refund_no,
        at: now.toISOString(),
        terminalId: ctx.terminalId,
      }),
    ]);
    writeAudit(ctx.db, ctx.terminalId, now, {
      action: 'order.refunded',
      staffId: null,
      detail: { orderId: row.order_id, amount: row.amount, wallet: row.wallet, reason: row.reason },
    });
    return 'paid';
  })();
}

async function pass(deps: OrderDeps, only?: readonly string[]): Promise<RefundPass> {
  const { ctx } = deps;
  const { mine, shared } = refundsToJournal(deps, only);
  for (const s of mine) journal(ctx, s);
  for (const s of shared) if (await hubLetsMePay(deps, s.order.orderId)) journal(ctx, s);
  const out: RefundPass = { paid: 0, owed: 0, declined: 0, manual: 0 };
  const owed = ctx.db
    .prepare("SELECT * FROM order_refunds WHERE status = 'owed' ORDER BY created_at")
    .all() as RefundRow[];
  for (const row of owed) out[await payOne(deps, row)]++;
  out.manual = (
    ctx.db.prepare("SELECT count(*) AS n FROM order_refunds WHERE status = 'manual'").get() as { n: number }
  ).n;
  return out;
}

const running = new WeakMap<CoreContext, Promise<RefundPass>>();

/**
 * Journals the refunds this till owes and pays every owed one (at start, after a handover, after
 * order news, on the payment sweep). One pass at a time per till; a call during a pass waits for
 * it and runs again, so nothing journalled meanwhile waits for the next sweep. `only`: look at
 * these orders alone (after a handover: no reading of every order on the till's busiest path).
 */
export function payOrderRefunds(deps: OrderDeps, only?: readonly string[]): Promise<RefundPass> {
  if (!deps.sync) return Promise.resolve({ paid: 0, owed: 0, declined: 0, manual: 0 });
  const prev = running.get(deps.ctx) ?? Promise.resolve(null);
  const next = prev.catch(() => null).then(() => pass(deps, only));
  running.set(deps.ctx, next);
  return next;
}
