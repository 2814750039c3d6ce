// Payment and sale completion. Tenders are checked first (pure), payment codes are charged
// through the provider (one merchant order number per charge attempt, kept across retries
// and restarts; an unsettled charge is queried, never charged again — see
// payment-intents.ts and docs/payments.md), then ONE transaction writes the sale, its lines and tenders, the
// stock movements and the audit entry, and clears the cart. A crash before that commit
// leaves the cart intact and no partial sale; after it, the sale is durable (synchronous=FULL).
import { assertCouponPayable, recordCouponRedemption } from '../coupons';
import { PosError, type PaymentResult, type StaffView, type TenderInput, type TenderRecord } from '../../contract';
import { writeAudit } from '../audit';
import { loadCart, openCartRow, deleteCart, ensureOpenCart, pricingEnv, repriceOpenCart } from '../cart';
import { readTillConfig } from '../config';
import { uuidv7 } from '../ids';
import {
  PaymentGatewayUnreachable,
  planTenders,
  requirePaymentCodeWallet,
  type PaymentCodeChargeResult,
  type PaymentWallet,
} from '../payment';
import { ensureShiftInTx } from '../shift';
import { creditSaleToMember, wecomState } from '../members';
import { replicationFor } from '../replication';
import { addStockMovement } from '../stock';
import {
  commitLoyaltyTenders,
  endLoyaltyHolds,
  holdLoyaltyTenders,
  loyaltyRecord,
  planLoyaltyTenders,
} from '../stored-value';
import type { CoreContext } from '../context';
import { nextSaleSeq, receiptCode, saleNumber } from './sale-numbers';
import { insertSale, insertSaleLines, insertSaleTenders, readSale } from './sale-store';
import { receiptForSale } from './sale-receipt';
import {
  assertGatewayOnline,
  beginIntent,
  captureIntents,
  cartOpenIntents,
  getIntent,
  markOffline,
  markOnline,
  offlineError,
  queryIntent,
  reverseIntent,
  runtime,
  setIntent,
  UNSETTLED,
  waitForOutcome,
  type IntentRow,
} from './payment-intents';
import { withTillLock } from './till-lock';

interface Charged {
  index: number;
  wallet: PaymentWallet;
  transactionId: string;
  amount: number;
  intent: IntentRow;
}

async function reverseCharges(ctx: CoreContext, charged: Charged[], why: string): Promise<void> {
  for (const c of charged) {
    const p = getIntent(ctx.db, c.intent.id);
    if (p && p.status === 'approved') await reverseIntent(ctx, p, why);
  }
}

const walletName = (w: PaymentWallet) => (w === 'wechat' ? '微信' : '支付宝');

export function payCart(ctx: CoreContext, staff: StaffView, tenders: TenderInput[]): Promise<PaymentResult> {
  return withTillLock(ctx, 'payment', () => payCartOnce(ctx, staff, tenders));
}

/**
 * Settles the cart's charges left from an earlier attempt before anything new is charged:
 * each is queried under its own merchant order number. Returns the approved ones (they may
 * be used by this attempt); throws while any is still pending or unknown.
 */
async function settleEarlierAttempt(
  ctx: CoreContext,
  cartId: string,
  hold: (id: string) => void,
): Promise<IntentRow[]> {
  const rt = runtime(ctx);
  const open = cartOpenIntents(ctx.db, cartId);
  if (open.some((p) => rt.busy.has(p.id))) {
    throw new PosError(
      'PAYMENT_PENDING',
      '正在确认上一笔付款码支付，请稍候，不要让顾客重新付款 / The previous payment-code charge is being checked; wait, and do not ask the customer to pay again',
      { reason: 'checking', status: 'checking' },
    );
  }
  // Held until the payment ends (the caller releases them), so no sweep reverses a paid
  // charge this payment is about to put into the sale.
  for (const p of open) hold(p.id);
  {
    for (const p of open) {
      if (!UNSETTLED.includes(p.status)) continue;
      const q = await queryIntent(ctx, p);
      if (q.kind === 'paying') {
        throw new PosError(
          'PAYMENT_PENDING',
          `顾客还在${walletName(p.wallet)}上确认付款，请等待或取消 / The customer is still confirming the payment; wait, or cancel it`,
          { reason: 'pending', status: 'pending', outTradeNo: p.out_trade_no, amount: p.amount },
        );
      }
      if (q.kind === 'unreachable') {
        throw new PosError(
          'PAYMENT_UNKNOWN',
          `上一笔${walletName(p.wallet)}付款结果未知，正在查询。不要让顾客重新付款；可取消（会自动撤销） / The result of the previous payment is unknown and is being checked. Do not ask the customer to pay again; you may cancel it (it is then reversed)`,
          { reason: 'unknown', status: 'unknown', outTradeNo: p.out_trade_no, amount: p.amount },
        );
      }
    }
    return cartOpenIntents(ctx.db, cartId).filter((p) => p.status === 'approved');
  }
}

/** A reversal the gateway has not confirmed yet: the customer may still be charged, so no second payment code on this cart. */
function refuseCodeWhileReversing(ctx: CoreContext, cartId: string): void {
  const owed = ctx.db
    .prepare("SELECT out_trade_no, amount FROM payment_intents WHERE cart_id = ? AND status = 'reversing' LIMIT 1")
    .get(cartId) as { out_trade_no: string; amount: number } | undefined;
  if (owed) {
    throw new PosError(
      'PAYMENT_UNKNOWN',
      '上一笔付款码支付正在撤销，尚未确认。请改收现金或刷卡（若顾客已被扣款会自动退回） / The previous payment-code charge is being reversed and not confirmed yet. Take cash or card (any money taken goes back to the customer)',
      { reason: 'reversing', status: 'reversing', outTradeNo: owed.out_trade_no, amount: owed.amount },
    );
  }
}

async function payCartOnce(ctx: CoreContext, staff: StaffView, tenders: TenderInput[]): Promise<PaymentResult> {
  const row = openCartRow(ctx.db);
  // Priced once, at this instant: the tenders are planned, charged and recorded at these prices
  // even if a promotion opens while the payment runs.
  const pricedAt = ctx.clock();
  // A promotion that opened or closed since the cashier last saw the cart: re-price it, show the
  // note and let the cashier take the new total (never charge a total nobody saw).
  if (row && repriceOpenCart(ctx, pricedAt)) throw new PosError('CONFLICT', { reason: 'cart-repriced' });
  const cart = row ? loadCart(ctx.db, row.id, pricingEnv(ctx, row.id, pricedAt)) : null;
  if (!row || !cart || cart.lines.length === 0) throw new PosError('CART_EMPTY', '购物车是空的 / The cart is empty');
  assertCouponPayable(cart);
  const cfg = readTillConfig(ctx.db, ctx.storeId, ctx.terminalId);
  const plan = planTenders(cart.total, tenders, cfg.cashRounding);
  const wallets = tenders.map((t) => (t.type === 'payment_code' ? requirePaymentCodeWallet(t.code) : null));
  // Stored value and points: member present, balance and offline cap checked before anything is charged.
  const loyalty = await planLoyaltyTenders(ctx, row.id, cart.member, tenders);
  const rt = runtime(ctx);
  rt.cancel.delete(row.id);
  const mine = new Set<string>();
  const hold = (id: string) => {
    mine.add(id);
    rt.busy.add(id);
  };
  const release = () => {
    for (const id of mine) rt.busy.delete(id);
    rt.cancel.delete(row.id);
  };

  // One sale attempt per cart: charges still open from an earlier call on this cart are
  // settled first (never charged again), and a paid one is used for the matching tender.
  const charged: Charged[] = [];
  const records: TenderRecord[] = [];
  let saleId = '';
  try {
    const earlier = await settleEarlierAttempt(ctx, row.id, hold);
    saleId = earlier[0]?.sale_id ?? uuidv7(ctx.clock());
    const reusable = earlier.filter((p) => p.sale_id === saleId);
    const stale = earlier.filter((p) => p.sale_id !== saleId);
    for (const p of stale) await reverseIntent(ctx, p, 'left by an earlier attempt');
    // Online, the hub holds the stored value and points for this cart before anything is charged.
    await holdLoyaltyTenders(ctx, loyalty, row.id, saleId);
    if (wallets.some((w) => w) && reusable.length === 0) refuseCodeWhileReversing(ctx, row.id);
    for (let i = 0; i < plan.tenders.length; i++) {
      if (wallets[i] && !reusable.some((p) => p.wallet === wallets[i] && p.amount === plan.tenders[i]!.amount))
        assertGatewayOnline(ctx, wallets[i]!);
    }

    for (let i = 0; i < plan.tenders.length; i++) {
      const p = plan.tenders[i]!;
      const t = p.input;
      if (t.type === 'cash') {
        records.push({ type: 'cash', amount: p.amount, tendered: p.tendered, reference: null, provider: null });
        continue;
      }
      if (t.type === 'card') {
        records.push({
          type: 'card',
          amount: p.amount,
          tendered: p.tendered,
          reference: t.reference ?? null,
          provider: 'external-card-terminal',
        });
        continue;
      }
      if (t.type !== 'payment_code') {
        records.push(loyaltyRecord(loyalty, t)!);
        continue;
      }
      const wallet = wallets[i]!;
      const provider = `${wallet}-${ctx.paymentProvider.name}`;
      const k = reusable.findIndex((x) => x.wallet === wallet && x.amount === p.amount);
      if (k >= 0) {
        // Paid under the earlier call's order number (its answer was lost or late): keep it.
        const [x] = reusable.splice(k, 1);
        hold(x!.id);
        charged.push({ index: i, wallet, transactionId: x!.transaction_id!, amount: p.amount, intent: x! });
        records.push({
          type: 'payment_code',
          amount: p.amount,
          tendered: p.tendered,
          reference: x!.transaction_id,
          provider: x!.provider ?? provider,
        });
        continue;
      }
      const intent = beginIntent(ctx.db, ctx.clock(), {
        saleId,
        cartId: row.id,
        position: i + 1,
        wallet,
        amount: p.amount,
        provider,
      });
      hold(intent.id);
      let result: PaymentCodeChargeResult;
      try {
        result = await ctx.paymentProvider.charge({
          code: t.code,
          amount: p.amount,
          saleId,
          wallet,
          outTradeNo: intent.out_trade_no,
          description: cfg.storeName ?? undefined,
        });
        markOnline(ctx, wallet);
      } catch (err) {
        if (err instanceof PaymentGatewayUnreachable) {
          // The request never left: nothing charged. Refuse at once and offer cash/card.
          markOffline(ctx, wallet);
          ctx.db.transaction(() => {
            setIntent(ctx.db, ctx.clock(), intent.id, 'declined', null, 'gateway unreachable');
            writeAudit(ctx.db, ctx.terminalId, ctx.clock(), {
              action: 'payment.offline',
              staffId: staff.id,
              detail: { saleId, wallet, amount: p.amount, outTradeNo: intent.out_trade_no },
            });
          })();
          throw offlineError(wallet);
        }
        ctx.logger.error(
          { err, saleId, outTradeNo: intent.out_trade_no },
          'payment-code charge: no readable answer; querying the same order',
        );
        result = { status: 'unknown', transactionId: null, message: err instanceof Error ? err.message : String(err) };
      }
      let transactionId: string;
      if (result.status === 'approved' && result.transactionId) {
        transactionId = result.transactionId;
        setIntent(ctx.db, ctx.clock(), intent.id, 'approved', transactionId);
      } else if (result.status === 'declined') {
        ctx.db.transaction(() => {
          setIntent(ctx.db, ctx.clock(), intent.id, 'declined', result.transactionId, result.message ?? null);
          writeAudit(ctx.db, ctx.terminalId, ctx.clock(), {
            action: 'payment.declined',
            staffId: staff.id,
            detail: {
              saleId,
              wallet,
              amount: p.amount,
              outTradeNo: intent.out_trade_no,
              message: result.message ?? null,
            },
          });
        })();
        throw new PosError(
          'PAYMENT_DECLINED',
          `支付被拒绝 / Payment declined${result.message ? `: ${result.message}` : ''}`,
          { reason: result.message ? 'gateway' : undefined, wallet, message: result.message ?? null },
        );
      } else {
        const status = result.status === 'pending' ? 'pending' : 'unknown';
        setIntent(ctx.db, ctx.clock(), intent.id, status, null, result.message ?? null);
        const w = await waitForOutcome(ctx, getIntent(ctx.db, intent.id)!, status);
        if (w.kind !== 'paid') {
          const after = getIntent(ctx.db, intent.id)!;
          ctx.db.transaction(() =>
            writeAudit(ctx.db, ctx.terminalId, ctx.clock(), {
              action: `payment.${w.kind}`,
              staffId: staff.id,
              detail: { saleId, wallet, amount: p.amount, outTradeNo: intent.out_trade_no, status: after.status },
            }),
          )();
          if (after.status === 'reversing') {
            throw new PosError(
              'PAYMENT_UNKNOWN',
              '无法确认付款结果，已登记撤销（若顾客已被扣款会自动退回）。请改收现金或刷卡 / The payment could not be confirmed; a reversal is queued (any money taken goes back to the customer). Take cash or card instead',
              { reason: 'reversing', status: 'reversing', outTradeNo: intent.out_trade_no },
            );
          }
          if (w.kind === 'cancelled')
            throw new PosError(
              'PAYMENT_DECLINED',
              '已取消付款码支付，未扣款 / Payment-code payment cancelled; nothing was charged',
              { reason: 'cancelled', status: 'cancelled' },
            );
          if (w.kind === 'timed_out')
            throw new PosError(
              'PAYMENT_DECLINED',
              '顾客未在时限内确认，已撤销，未扣款 / The customer did not confirm in time; the order was cancelled and nothing was charged',
              { reason: 'timed-out', status: 'timed_out' },
            );
          throw new PosError(
            'PAYMENT_DECLINED',
            '顾客未完成支付，未扣款 / The customer did not complete the payment; nothing was charged',
            { reason: 'not-paid', status: 'not_paid' },
          );
        }
        transactionId = w.transactionId;
      }
      charged.push({ index: i, wallet, transactionId, amount: p.amount, intent });
      records.push({
        type: 'payment_code',
        amount: p.amount,
        tendered: p.tendered,
        reference: transactionId,
        provider,
      });
    }
    // Paid charges of the earlier call that this tender list does not use are given back.
    for (const x of reusable) await reverseIntent(ctx, x, 'not used by the tenders of this attempt');
  } catch (err) {
    await reverseCharges(ctx, charged, 'a later tender failed');
    release();
    // A payment still in flight (pending, unknown) keeps its hold for the retry; a void releases it.
    if (!(err instanceof PosError && (err.code === 'PAYMENT_PENDING' || err.code === 'PAYMENT_UNKNOWN')))
      await endLoyaltyHolds(ctx, row.id, 'release');
    throw err;
  }

  const now = ctx.clock();
  let number: string;
  const commitStart = performance.now();
  try {
    number = ctx.db.transaction(() => {
      const current = openCartRow(ctx.db);
      if (!current || current.id !== row.id || current.updated_at !== cart.updatedAt) {
        throw new PosError('CONFLICT', '付款期间购物车有变动，请重新付款 / The cart changed during payment; pay again');
      }
      const shiftId = ensureShiftInTx(ctx, staff, now);
      const seq = nextSaleSeq(ctx.db, ctx.terminalId);
      const num = saleNumber(ctx.terminalId, seq);
      const iso = now.toISOString();
      insertSale(ctx.db, {
        id: saleId,
        number: num,
        seq,
        receiptCode: receiptCode(ctx.storeId, num),
        terminalId: ctx.terminalId,
        storeId: ctx.storeId,
        cashier: staff,
        shiftId,
        subtotal: cart.subtotal,
        discount: cart.discount,
        rounding: plan.rounding,
        total: plan.total,
        change: plan.change,
        createdAt: iso,
      });
      const lines = loadCart(ctx.db, row.id, pricingEnv(ctx, row.id, pricedAt)).lines;
      insertSaleLines(ctx.db, saleId, lines);
      const factLines: Record<string, unknown>[] = [];
      for (const l of lines) {
        factLines.push({
          lineId: l.lineId,
          sku: l.sku,
          name: l.name,
          unit: l.unit,
          quantity: l.quantity,
          weightGrams: l.weightGrams,
          unitPrice: l.unitPrice,
          gross: l.gross,
          discount: l.discount,
          total: l.total,
          barcode: l.barcode,
          discounts: l.discounts,
        });
        const qty = l.unit === 'weighed' ? (l.weightGrams ?? 0) : l.quantity;
        if (qty > 0)
          addStockMovement(ctx.db, ctx.terminalId, now, { sku: l.sku, kind: 'sale', quantity: -qty, refId: saleId });
      }
      insertSaleTenders(ctx.db, saleId, now, records);
      commitLoyaltyTenders(ctx, loyalty, saleId, now);
      // Credited to the cart's member in this same transaction; the points are a ledger op.
      const pointsEarned = creditSaleToMember(ctx, { id: saleId, total: plan.total, at: now, member: cart.member });
      // The sale fact replicates with its stock movements (written above) in this transaction.
      replicationFor(ctx.db)?.fact('sale', saleId, {
        number: num,
        terminalId: ctx.terminalId,
        cashierId: staff.id,
        shiftId,
        subtotal: cart.subtotal,
        discount: cart.discount,
        rounding: plan.rounding,
        total: plan.total,
        change: plan.change,
        createdAt: iso,
        lines: factLines,
        tenders: records,
        ...(cart.member ? { memberId: cart.member.id, pointsEarned, wecomState: wecomState(ctx.db, saleId) } : {}),
      });
      recordCouponRedemption(ctx, cart, { id: saleId, number: num, at: now });
      captureIntents(ctx.db, now, saleId);
      writeAudit(ctx.db, ctx.terminalId, now, {
        action: 'sale.completed',
        staffId: staff.id,
        detail: { saleId, number: num, total: plan.total, rounding: plan.rounding, change: plan.change },
      });
      deleteCart(ctx.db, row.id);
      ensureOpenCart(ctx.db, now, staff.id);
      return num;
    })();
  } catch (err) {
    await reverseCharges(ctx, charged, 'sale could not be recorded');
    await endLoyaltyHolds(ctx, row.id, 'release');
    throw err;
  } finally {
    release();
  }
  // The ledger rows follow by sync; the confirmation keeps the hub from a gap meanwhile.
  void endLoyaltyHolds(ctx, row.id, 'confirm');

  // From the first write to the fsync of the commit: the sale is durable when this ends.
  ctx.timing?.('checkout_commit_ms', performance.now() - commitStart);
  ctx.saleCommitted?.(saleId);
  ctx.logger.info({ saleId, number, total: plan.total, tenders: records.map((r) => r.type) }, 'sale completed');
  const sale = readSale(ctx.db, saleId);
  // The payment answer carries the text preview and the printer document; the SVG picture is
  // on `sales.receipt`, so the cashier's wait after paying does not include drawing it.
  const receipt = receiptForSale(ctx, sale, false, { svg: false });
  ctx.emit({ type: 'sale.completed', saleId, saleNumber: number });
  const open = openCartRow(ctx.db);
  if (open) ctx.emit({ type: 'cart.changed', cart: loadCart(ctx.db, open.id, pricingEnv(ctx, open.id)) });
  return {
    saleId,
    saleNumber: number,
    total: plan.total,
    rounding: plan.rounding,
    change: plan.change,
    tenders: records,
    receipt,
  };
}
