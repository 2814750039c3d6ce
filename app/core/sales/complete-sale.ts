// Payment and sale completion. Tenders are checked first (pure), payment codes are charged
// through the provider, then ONE transaction writes the sale, its lines and tenders, the
// stock movements and the audit entry, and clears the cart. A crash before that commit
// leaves the cart intact and no partial sale; after it, the sale is durable (synchronous=FULL).
import { PosError, type PaymentResult, type StaffView, type TenderInput, type TenderRecord } from '../../contract';
import { writeAudit } from '../audit';
import { cartLines, loadCart, openCartRow, deleteCart, ensureOpenCart, toCartLine } from '../cart';
import { readTillConfig } from '../config';
import { uuidv7 } from '../ids';
import { planTenders, requirePaymentCodeWallet, type PaymentWallet } from '../payment';
import { ensureShiftInTx } from '../shift';
import { replicationFor } from '../replication';
import { addStockMovement } from '../stock';
import type { CoreContext } from '../context';
import { nextSaleSeq, receiptCode, saleNumber } from './sale-numbers';
import { readSale } from './sale-store';
import { receiptForSale } from './sale-receipt';
import { beginIntent, captureIntents, setIntent } from './payment-intents';
import { withTillLock } from './till-lock';

interface Charged { index: number; wallet: PaymentWallet; transactionId: string; amount: number; intentId: string }


async function refundCharges(ctx: CoreContext, saleId: string, charged: Charged[], why: string): Promise<void> {
  for (const c of charged) {
    try {
      const r = await ctx.paymentProvider.refund({ transactionId: c.transactionId, amount: c.amount, refundId: uuidv7(ctx.clock()), saleId, wallet: c.wallet });
      ctx.db.transaction(() => {
        if (r.status === 'approved') setIntent(ctx.db, ctx.clock(), c.intentId, 'reversed');
        writeAudit(ctx.db, ctx.terminalId, ctx.clock(), { action: 'payment.reversed', detail: { saleId, transactionId: c.transactionId, amount: c.amount, status: r.status, why } });
      })();
    } catch (err) {
      ctx.logger.error({ err, saleId, transactionId: c.transactionId }, 'could not reverse a payment-code charge');
    }
  }
}

export function payCart(ctx: CoreContext, staff: StaffView, tenders: TenderInput[]): Promise<PaymentResult> {
  return withTillLock(ctx, 'payment', () => payCartOnce(ctx, staff, tenders));
}

async function payCartOnce(ctx: CoreContext, staff: StaffView, tenders: TenderInput[]): Promise<PaymentResult> {
  const row = openCartRow(ctx.db);
  const cart = row ? loadCart(ctx.db, row.id) : null;
  if (!row || !cart || cart.lines.length === 0) throw new PosError('CART_EMPTY', '购物车是空的 / The cart is empty');
  const cfg = readTillConfig(ctx.db, ctx.storeId, ctx.terminalId);
  const plan = planTenders(cart.total, tenders, cfg.cashRounding);
  const wallets = tenders.map((t) => (t.type === 'payment_code' ? requirePaymentCodeWallet(t.code) : null));
  const saleId = uuidv7(ctx.clock());

  const charged: Charged[] = [];
  const records: TenderRecord[] = [];
  for (let i = 0; i < plan.tenders.length; i++) {
    const p = plan.tenders[i]!;
    const t = p.input;
    if (t.type === 'cash') { records.push({ type: 'cash', amount: p.amount, tendered: p.tendered, reference: null, provider: null }); continue; }
    if (t.type === 'card') { records.push({ type: 'card', amount: p.amount, tendered: p.tendered, reference: t.reference ?? null, provider: 'external-card-terminal' }); continue; }
    const wallet = wallets[i]!;
    const intentId = beginIntent(ctx.db, ctx.clock(), saleId, wallet, p.amount);
    let result;
    try {
      result = await ctx.paymentProvider.charge({ code: t.code, amount: p.amount, saleId, wallet });
    } catch (err) {
      setIntent(ctx.db, ctx.clock(), intentId, 'unknown');
      ctx.logger.error({ err, saleId }, 'payment-code provider failed');
      await refundCharges(ctx, saleId, charged, 'provider error on a later tender');
      throw new PosError('PAYMENT_DECLINED', '付款码支付失败，请重试或换其他方式 / The payment-code payment failed; try again or use another tender', { provider: ctx.paymentProvider.name });
    }
    setIntent(ctx.db, ctx.clock(), intentId, result.status === 'approved' ? 'approved' : 'declined', result.transactionId);
    if (result.status !== 'approved') {
      ctx.db.transaction(() => writeAudit(ctx.db, ctx.terminalId, ctx.clock(), { action: 'payment.declined', staffId: staff.id, detail: { saleId, wallet, amount: p.amount, message: result.message ?? null } }))();
      await refundCharges(ctx, saleId, charged, 'a later tender was declined');
      throw new PosError('PAYMENT_DECLINED', `支付被拒绝 / Payment declined${result.message ? `: ${result.message}` : ''}`, { wallet, message: result.message ?? null });
    }
    charged.push({ index: i, wallet, transactionId: result.transactionId, amount: p.amount, intentId });
    records.push({ type: 'payment_code', amount: p.amount, tendered: p.tendered, reference: result.transactionId, provider: `${wallet}-${ctx.paymentProvider.name}` });
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
      ctx.db.prepare(`INSERT INTO sales (id, number, seq, receipt_code, terminal_id, store_id, cashier_id, cashier_name, cashier_role, shift_id,
          subtotal, discount, rounding, total, currency, change, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'CNY', ?, ?)`)
        .run(saleId, num, seq, receiptCode(ctx.storeId, num), ctx.terminalId, ctx.storeId, staff.id, staff.name, staff.role, shiftId,
          cart.subtotal, cart.discount, plan.rounding, plan.total, plan.change, iso);
      const insLine = ctx.db.prepare(`INSERT INTO sale_lines (sale_id, line_id, position, sku, name, name_en, unit, quantity, weight_grams, unit_price, gross, discount, total, barcode)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      const factLines: Record<string, unknown>[] = [];
      cartLines(ctx.db, row.id).forEach((state, i) => {
        const l = toCartLine(state);
        insLine.run(saleId, l.lineId, i + 1, l.sku, l.name, l.nameEn, l.unit, l.quantity, l.weightGrams, l.unitPrice, l.gross, l.discount, l.total, l.barcode);
        factLines.push({ lineId: l.lineId, sku: l.sku, name: l.name, unit: l.unit, quantity: l.quantity, weightGrams: l.weightGrams, unitPrice: l.unitPrice, gross: l.gross, discount: l.discount, total: l.total, barcode: l.barcode });
        const qty = l.unit === 'weighed' ? l.weightGrams ?? 0 : l.quantity;
        if (qty > 0) addStockMovement(ctx.db, ctx.terminalId, now, { sku: l.sku, kind: 'sale', quantity: -qty, refId: saleId });
      });
      const insTender = ctx.db.prepare('INSERT INTO sale_tenders (id, sale_id, position, type, amount, tendered, reference, provider) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      records.forEach((t, i) => insTender.run(uuidv7(now), saleId, i + 1, t.type, t.amount, t.tendered, t.reference, t.provider));
      // The sale fact replicates with its stock movements (written above) in this transaction.
      replicationFor(ctx.db)?.fact('sale', saleId, {
        number: num, terminalId: ctx.terminalId, cashierId: staff.id, shiftId, subtotal: cart.subtotal, discount: cart.discount,
        rounding: plan.rounding, total: plan.total, change: plan.change, createdAt: iso, lines: factLines, tenders: records,
      });
      captureIntents(ctx.db, now, saleId);
      writeAudit(ctx.db, ctx.terminalId, now, { action: 'sale.completed', staffId: staff.id, detail: { saleId, number: num, total: plan.total, rounding: plan.rounding, change: plan.change } });
      deleteCart(ctx.db, row.id);
      ensureOpenCart(ctx.db, now, staff.id);
      return num;
    })();
  } catch (err) {
    await refundCharges(ctx, saleId, charged, 'sale could not be recorded');
    throw err;
  }

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
  if (open) ctx.emit({ type: 'cart.changed', cart: loadCart(ctx.db, open.id) });
  return { saleId, saleNumber: number, total: plan.total, rounding: plan.rounding, change: plan.change, tenders: records, receipt };
}
