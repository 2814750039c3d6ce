// Journal and state machine of payment-code charges (migrations 0004, 0005). Every charge is
// written as 'charging' with its merchant order number (out_trade_no) BEFORE the gateway is
// called. Outcomes:
//   approved → captured (in the sale's transaction) or reversing → reversed
//   declined (no money taken)
//   pending / unknown (customer confirming, or no readable answer) → the SAME order is
//     queried, never charged again: paid → approved; not paid → closed by a reversal
//     (declined); still paying at the deadline, or cancelled by the cashier → reversing
//   reversing: a reversal is owed; retried by the sweeper and at start, listed for managers.
// While a cart has a charge in charging/pending/unknown, no other tender can complete it.
import { PosError, type PaymentIntentView } from '../../contract';
import { openCartRow } from '../cart';
import { writeAudit } from '../audit';
import type { Db } from '../db';
import { uuidv7 } from '../ids';
import type { PaymentTiming, PaymentWallet } from '../payment';
import type { CoreContext } from '../context';

export type IntentStatus =
  'charging' | 'pending' | 'unknown' | 'approved' | 'declined' | 'captured' | 'reversing' | 'reversed';
export const UNSETTLED: readonly IntentStatus[] = ['charging', 'pending', 'unknown'];

export interface IntentRow {
  id: string;
  sale_id: string;
  cart_id: string | null;
  position: number | null;
  wallet: PaymentWallet;
  amount: number;
  status: IntentStatus;
  out_trade_no: string;
  transaction_id: string | null;
  provider: string | null;
  attempts: number;
  message: string | null;
  created_at: string;
  updated_at: string;
}

export const DEFAULT_PAYMENT_TIMING: PaymentTiming = {
  pollMs: 5_000,
  deadlineMs: 45_000,
  offlineMs: 30_000,
  sweepMs: 30_000,
};

/** Per-core runtime state: intents some task is working on, cashier cancel requests, offline marks. */
interface Runtime {
  busy: Set<string>;
  cancel: Set<string>;
  wakers: Set<() => void>;
  offlineUntil: Map<PaymentWallet, number>;
}
const runtimes = new WeakMap<CoreContext, Runtime>();
export function runtime(ctx: CoreContext): Runtime {
  let r = runtimes.get(ctx);
  if (!r) {
    r = { busy: new Set(), cancel: new Set(), wakers: new Set(), offlineUntil: new Map() };
    runtimes.set(ctx, r);
  }
  return r;
}
export function timingOf(ctx: CoreContext): PaymentTiming {
  return { ...DEFAULT_PAYMENT_TIMING, ...ctx.paymentTiming };
}

const COLS =
  'id, sale_id, cart_id, position, wallet, amount, status, out_trade_no, transaction_id, provider, attempts, message, created_at, updated_at';

export function beginIntent(
  db: Db,
  at: Date,
  i: {
    saleId: string;
    cartId: string | null;
    position: number;
    wallet: PaymentWallet;
    amount: number;
    provider: string;
  },
): IntentRow {
  const id = uuidv7(at);
  // 32 hex characters: fits WeChat's out_trade_no (≤ 32, [0-9a-zA-Z_-|*]) and Alipay's (≤ 64).
  const outTradeNo = id.replace(/-/g, '');
  db.prepare(
    `INSERT INTO payment_intents (id, sale_id, cart_id, position, wallet, amount, status, out_trade_no, provider, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, 'charging', ?, ?, ?, ?)`,
  ).run(
    id,
    i.saleId,
    i.cartId,
    i.position,
    i.wallet,
    i.amount,
    outTradeNo,
    i.provider,
    at.toISOString(),
    at.toISOString(),
  );
  return getIntent(db, id)!;
}

export function getIntent(db: Db, id: string): IntentRow | undefined {
  return db.prepare(`SELECT ${COLS} FROM payment_intents WHERE id = ?`).get(id) as IntentRow | undefined;
}

export function setIntent(
  db: Db,
  at: Date,
  id: string,
  status: IntentStatus,
  transactionId?: string | null,
  message?: string | null,
): void {
  db.prepare(
    'UPDATE payment_intents SET status = ?, transaction_id = COALESCE(?, transaction_id), message = COALESCE(?, message), updated_at = ? WHERE id = ?',
  ).run(status, transactionId ?? null, message ?? null, at.toISOString(), id);
}

/** Inside the sale transaction. */
export function captureIntents(db: Db, at: Date, saleId: string): void {
  db.prepare(
    "UPDATE payment_intents SET status = 'captured', updated_at = ? WHERE sale_id = ? AND status = 'approved'",
  ).run(at.toISOString(), saleId);
}

/** The cart's charges that are not finished (not captured, declined or reversed, and not owed a reversal). */
export function cartOpenIntents(db: Db, cartId: string): IntentRow[] {
  return db
    .prepare(
      `SELECT ${COLS} FROM payment_intents WHERE cart_id = ? AND status IN ('charging', 'pending', 'unknown', 'approved') ORDER BY created_at`,
    )
    .all(cartId) as IntentRow[];
}

/** Everything a sweep or a start-up recovery has to look at. */
export function pendingIntents(db: Db): IntentRow[] {
  return db
    .prepare(
      `SELECT ${COLS} FROM payment_intents WHERE status IN ('charging', 'pending', 'unknown', 'approved', 'reversing') ORDER BY created_at`,
    )
    .all() as IntentRow[];
}

function audit(ctx: CoreContext, action: string, p: IntentRow, extra: Record<string, unknown> = {}): void {
  writeAudit(ctx.db, ctx.terminalId, ctx.clock(), {
    action,
    detail: {
      saleId: p.sale_id,
      outTradeNo: p.out_trade_no,
      wallet: p.wallet,
      amount: p.amount,
      transactionId: p.transaction_id,
      ...extra,
    },
  });
}

/**
 * Reverses (撤销) an order: used for a charge the sale will not keep, and to close an unpaid
 * order so that a late confirmation by the customer cannot take money. On failure the intent
 * is left 'reversing' (retried by the sweeper and at start; managers see it).
 */
export async function reverseIntent(ctx: CoreContext, p: IntentRow, why: string): Promise<boolean> {
  let ok = false;
  let message: string | null = null;
  try {
    const r = await ctx.paymentProvider.reverse({ outTradeNo: p.out_trade_no, wallet: p.wallet });
    ok = r.status === 'reversed';
    message = r.message ?? null;
  } catch (err) {
    message = err instanceof Error ? err.message : String(err);
    ctx.logger.warn({ err, saleId: p.sale_id, outTradeNo: p.out_trade_no }, 'payment-code reversal failed; will retry');
  }
  ctx.db.transaction(() => {
    if (ok) {
      setIntent(ctx.db, ctx.clock(), p.id, 'reversed', null, why);
      audit(ctx, 'payment.reversed', p, { why });
    } else {
      const first = p.status !== 'reversing';
      ctx.db
        .prepare(
          "UPDATE payment_intents SET status = 'reversing', attempts = attempts + 1, message = ?, updated_at = ? WHERE id = ?",
        )
        .run(`${why}; reversal failed: ${message ?? 'no answer'}`, ctx.nowIso(), p.id);
      if (first) audit(ctx, 'payment.reverse_failed', p, { why, message });
    }
  })();
  return ok;
}

export type QueryOutcome =
  | { kind: 'paid'; transactionId: string }
  | { kind: 'paying' }
  | { kind: 'not_paid' }
  | { kind: 'unreachable'; message: string };

/** One order query; records what it learnt. A 'not_paid' order is closed (reversed) so it cannot be paid late. */
export async function queryIntent(ctx: CoreContext, p: IntentRow): Promise<QueryOutcome> {
  let r;
  try {
    r = await ctx.paymentProvider.query({ outTradeNo: p.out_trade_no, wallet: p.wallet });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (p.status === 'charging' || p.status === 'pending')
      setIntent(ctx.db, ctx.clock(), p.id, 'unknown', null, message);
    return { kind: 'unreachable', message };
  }
  if (r.status === 'paid' && r.transactionId) {
    if (r.amount !== undefined && r.amount !== p.amount) {
      // Never keep a charge of another amount than the till asked for.
      ctx.logger.error(
        { saleId: p.sale_id, outTradeNo: p.out_trade_no, asked: p.amount, paid: r.amount },
        'gateway reports a different amount; reversing',
      );
      setIntent(ctx.db, ctx.clock(), p.id, 'approved', r.transactionId);
      await reverseIntent(ctx, { ...p, transaction_id: r.transactionId }, `amount mismatch: gateway ${r.amount}`);
      return { kind: 'not_paid' };
    }
    setIntent(ctx.db, ctx.clock(), p.id, 'approved', r.transactionId);
    return { kind: 'paid', transactionId: r.transactionId };
  }
  if (r.status === 'paying') {
    setIntent(ctx.db, ctx.clock(), p.id, 'pending', null, r.message ?? null);
    return { kind: 'paying' };
  }
  // Not paid: close the order (reverse) so a late confirmation cannot charge the customer.
  if (await reverseIntent(ctx, p, 'not paid; order closed'))
    setIntent(ctx.db, ctx.clock(), p.id, 'declined', null, r.message ?? 'not paid');
  return { kind: 'not_paid' };
}

function sleep(ctx: CoreContext, ms: number): Promise<void> {
  const rt = runtime(ctx);
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      rt.wakers.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    rt.wakers.add(done);
  });
}

export type WaitOutcome =
  | { kind: 'paid'; transactionId: string }
  | { kind: 'not_paid' }
  | { kind: 'cancelled'; reversed: boolean }
  | { kind: 'timed_out'; reversed: boolean };

/**
 * The pending flow for one charge the gateway did not settle at once: query the same order
 * every pollMs until it is paid or failed; at the deadline, or when the cashier cancels,
 * reverse it. The cashier sees `payment.pending` events meanwhile.
 */
export async function waitForOutcome(
  ctx: CoreContext,
  p: IntentRow,
  status: 'pending' | 'unknown',
): Promise<WaitOutcome> {
  const t = timingOf(ctx);
  const rt = runtime(ctx);
  const started = performance.now();
  let last: 'pending' | 'unknown' = status;
  for (;;) {
    const elapsed = performance.now() - started;
    ctx.emit({
      type: 'payment.pending',
      payment: {
        outTradeNo: p.out_trade_no,
        wallet: p.wallet,
        amount: p.amount,
        status: last,
        elapsedMs: Math.round(elapsed),
        deadlineMs: t.deadlineMs,
      },
    });
    if (rt.cancel.has(p.cart_id ?? '')) {
      const reversed = await reverseIntent(ctx, getIntent(ctx.db, p.id)!, 'cancelled by the cashier while pending');
      return { kind: 'cancelled', reversed };
    }
    if (elapsed >= t.deadlineMs) {
      const reversed = await reverseIntent(
        ctx,
        getIntent(ctx.db, p.id)!,
        `not confirmed within ${Math.round(t.deadlineMs / 1000)} s`,
      );
      return { kind: 'timed_out', reversed };
    }
    await sleep(ctx, Math.min(t.pollMs, Math.max(1, t.deadlineMs - elapsed)));
    if (rt.cancel.has(p.cart_id ?? '')) continue;
    const q = await queryIntent(ctx, getIntent(ctx.db, p.id)!);
    if (q.kind === 'paid') return q;
    if (q.kind === 'not_paid') return q;
    last = q.kind === 'paying' ? 'pending' : 'unknown';
  }
}

/** Asks the in-flight payment on this cart to stop waiting and reverse; with none in flight, reverses the cart's unsettled charges now. */
export async function cancelPending(
  ctx: CoreContext,
  cartId: string,
): Promise<{ inFlight: boolean; reversing: number; reversed: number }> {
  const rt = runtime(ctx);
  const open = cartOpenIntents(ctx.db, cartId).filter((p) => UNSETTLED.includes(p.status));
  const inFlight = open.some((p) => rt.busy.has(p.id));
  if (inFlight) {
    rt.cancel.add(cartId);
    for (const w of [...rt.wakers]) w();
    return { inFlight: true, reversing: open.length, reversed: 0 };
  }
  let reversed = 0;
  for (const p of open) {
    rt.busy.add(p.id);
    try {
      if (await reverseIntent(ctx, p, 'cancelled by the cashier')) reversed++;
    } finally {
      rt.busy.delete(p.id);
    }
  }
  return { inFlight: false, reversing: open.length - reversed, reversed };
}

/**
 * Settles every charge no payment is working on: at start-up (before any new payment) and
 * then every sweepMs. Charges without a sale are never kept here — only a payment in progress
 * may put a charge into a sale — so: captured if the sale exists; otherwise queried (not only
 * flagged) and a paid order is reversed, an unpaid one closed; owed reversals are retried.
 */
export async function recoverIntents(
  ctx: CoreContext,
  pending: IntentRow[] = pendingIntents(ctx.db),
): Promise<{ reversed: number; unknown: number; captured: number; closed: number; waiting: number }> {
  const out = { reversed: 0, unknown: 0, captured: 0, closed: 0, waiting: 0 };
  const rt = runtime(ctx);
  const t = timingOf(ctx);
  // Claimed synchronously, before the first await, so a payment started meanwhile waits.
  const mine = pending.filter((row) => !rt.busy.has(row.id));
  for (const row of mine) rt.busy.add(row.id);
  for (const row of mine) {
    try {
      const p = getIntent(ctx.db, row.id);
      if (!p || !['charging', 'pending', 'unknown', 'approved', 'reversing'].includes(p.status)) continue;
      const saleExists = ctx.db.prepare('SELECT 1 FROM sales WHERE id = ?').get(p.sale_id) !== undefined;
      if (saleExists && (p.status === 'approved' || p.status === 'charging')) {
        setIntent(ctx.db, ctx.clock(), p.id, 'captured');
        out.captured++;
        continue;
      }
      if (p.status === 'reversing' || p.status === 'approved') {
        if (
          await reverseIntent(
            ctx,
            p,
            p.status === 'approved' ? 'charged but no sale was recorded (till restarted)' : 'retrying an owed reversal',
          )
        )
          out.reversed++;
        continue;
      }
      const q = await queryIntent(ctx, p);
      if (q.kind === 'paid') {
        if (await reverseIntent(ctx, getIntent(ctx.db, p.id)!, 'charged but no sale was recorded')) out.reversed++;
      } else if (q.kind === 'not_paid') {
        out.closed++;
      } else if (q.kind === 'paying') {
        if (ctx.clock().getTime() - Date.parse(p.created_at) >= t.deadlineMs)
          await reverseIntent(ctx, getIntent(ctx.db, p.id)!, 'still not confirmed after the deadline');
        else out.waiting++;
      } else {
        if (p.status !== 'unknown') {
          ctx.db.transaction(() =>
            audit(ctx, 'payment.unknown', p, {
              why: 'the gateway cannot be reached to settle this charge; it is queried again until it answers',
            }),
          )();
        }
        ctx.logger.warn(
          { saleId: p.sale_id, outTradeNo: p.out_trade_no, wallet: p.wallet, amount: p.amount },
          'payment-code charge with unknown outcome; will query again',
        );
        out.unknown++;
      }
    } catch (err) {
      ctx.logger.error({ err, intentId: row.id }, 'could not settle a payment-code charge');
    } finally {
      rt.busy.delete(row.id);
    }
  }
  return out;
}

/** Refuses payment codes at once while the gateway was just found unreachable. */
export function assertGatewayOnline(ctx: CoreContext, wallet: PaymentWallet): void {
  const until = runtime(ctx).offlineUntil.get(wallet) ?? 0;
  if (performance.now() < until) throw offlineError(wallet);
}
export function markOffline(ctx: CoreContext, wallet: PaymentWallet): void {
  runtime(ctx).offlineUntil.set(wallet, performance.now() + timingOf(ctx).offlineMs);
}
export function markOnline(ctx: CoreContext, wallet: PaymentWallet): void {
  runtime(ctx).offlineUntil.delete(wallet);
}
export function offlineError(wallet: PaymentWallet): PosError {
  const name = wallet === 'wechat' ? '微信支付' : '支付宝';
  return new PosError(
    'PAYMENT_OFFLINE',
    `${name}连接不上，未扣款。请改收现金或刷卡 / ${wallet === 'wechat' ? 'WeChat Pay' : 'Alipay'} cannot be reached; nothing was charged. Take cash or card instead.`,
    { wallet },
  );
}

/** Charges waiting for a manager: reversals the gateway has not confirmed, and outcomes still unknown. */
export function paymentQueue(db: Db): IntentRow[] {
  return db
    .prepare(
      `SELECT ${COLS} FROM payment_intents WHERE status IN ('reversing', 'unknown', 'pending', 'charging') ORDER BY created_at`,
    )
    .all() as IntentRow[];
}

export function intentView(p: IntentRow): PaymentIntentView {
  return {
    id: p.id,
    saleId: p.sale_id,
    outTradeNo: p.out_trade_no,
    wallet: p.wallet,
    amount: p.amount,
    status: p.status,
    transactionId: p.transaction_id,
    message: p.message,
    attempts: p.attempts,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}

/** The open cart's charges that are not settled yet. */
export function openCartPayments(ctx: CoreContext): PaymentIntentView[] {
  const row = openCartRow(ctx.db);
  if (!row) return [];
  return cartOpenIntents(ctx.db, row.id)
    .filter((p) => UNSETTLED.includes(p.status))
    .map(intentView);
}

/** The cashier's cancel button: audited; reverses the open cart's unsettled charge(s). */
export async function cancelOpenCartPayment(
  ctx: CoreContext,
  staffId: string,
): Promise<{ inFlight: boolean; reversed: number; reversing: number }> {
  const row = openCartRow(ctx.db);
  if (!row) return { inFlight: false, reversed: 0, reversing: 0 };
  const r = await cancelPending(ctx, row.id);
  ctx.db.transaction(() =>
    writeAudit(ctx.db, ctx.terminalId, ctx.clock(), {
      action: 'payment.cancel',
      staffId,
      detail: { cartId: row.id, ...r },
    }),
  )();
  return r;
}

/** The store's side of reconciliation: payment-code charges kept by sales, with what returns refunded. */
export function storeOrdersForReconcile(
  db: Db,
  wallet: PaymentWallet,
  day?: string,
): { wallet: PaymentWallet; outTradeNo: string; transactionId: string | null; paid: number; refunded: number }[] {
  const rows = db
    .prepare(
      `SELECT i.out_trade_no, i.transaction_id, i.amount, i.created_at,
      COALESCE((SELECT SUM(rt.amount) FROM sale_tenders st JOIN return_tenders rt ON rt.sale_tender_id = st.id
        WHERE st.sale_id = i.sale_id AND st.type = 'payment_code' AND st.reference = i.transaction_id), 0) AS refunded
    FROM payment_intents i WHERE i.wallet = ? AND i.status = 'captured' ORDER BY i.created_at`,
    )
    .all(wallet) as {
    out_trade_no: string;
    transaction_id: string | null;
    amount: number;
    created_at: string;
    refunded: number;
  }[];
  // The gateways' statement day is the Beijing calendar day.
  const beijingDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
  return rows
    .filter((r) => !day || beijingDay(r.created_at) === day)
    .map((r) => ({
      wallet,
      outTradeNo: r.out_trade_no,
      transactionId: r.transaction_id,
      paid: r.amount,
      refunded: r.refunded,
    }));
}
