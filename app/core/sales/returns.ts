// Returns against a completed sale: found by the receipt's QR code (or id / number), partial
// by quantity or weight, never more than sold minus earlier returns, refunded to the original
// tenders (payment code and card first, then cash). A cashier needs a manager PIN.
import { PosError, type ReturnRecord, type ReturnableSale, type StaffView, type TenderRecord } from '../../contract';
import { requireManagerApproval } from '../auth';
import { writeAudit } from '../audit';
import { uuidv7 } from '../ids';
import { paymentCodeWallet, type PaymentWallet } from '../payment';
import { ensureShiftInTx } from '../shift';
import { replicationFor } from '../replication';
import { takeBackPoints } from '../members';
import { addStockMovement } from '../stock';
import { refundLoyaltyTenders } from '../stored-value';
import type { CoreContext } from '../context';
import { insertReturn, insertReturnLines, insertReturnTenders, readSale, saleTenders } from './sale-store';
import { withTillLock } from './till-lock';

export interface ReturnLineInput {
  lineId: string;
  quantity?: number;
  weightGrams?: number;
}

function refundedSoFar(ctx: CoreContext, saleId: string): number {
  return (
    ctx.db.prepare('SELECT COALESCE(SUM(amount), 0) AS a FROM returns WHERE sale_id = ?').get(saleId) as { a: number }
  ).a;
}

export function lookupReturnable(ctx: CoreContext, code: string): ReturnableSale {
  const sale = readSale(ctx.db, code);
  return { ...sale, refundable: sale.total - refundedSoFar(ctx, sale.id) };
}

interface PlannedLine {
  lineId: string;
  sku: string;
  quantity: number;
  weightGrams: number | null;
  amount: number;
  stockQty: number;
}

// Stored value and points go back to the member's balance first (docs/members.md "Stored value").
const ORDER: Record<TenderRecord['type'], number> = { stored_value: 0, points: 1, payment_code: 2, card: 3, cash: 4 };

/**
 * A line listed twice would be planned once (the plan walks the sale's lines), so the repeat
 * would vanish without a word; refuse it before a manager is asked for a PIN.
 */
function assertEachLineOnce(lines: readonly ReturnLineInput[]): void {
  const listed = new Set<string>();
  for (const r of lines) {
    if (listed.has(r.lineId)) {
      throw new PosError('BAD_INPUT', { reason: 'line-listed-twice', lineId: r.lineId });
    }
    listed.add(r.lineId);
  }
}

export interface ReturnInput {
  saleId: string;
  lines: ReturnLineInput[];
  reason: string;
  managerPin?: string;
  managerId?: string;
}

export function createReturn(ctx: CoreContext, staff: StaffView, input: ReturnInput): Promise<ReturnRecord> {
  return withTillLock(ctx, 'return', () => createReturnOnce(ctx, staff, input));
}

async function createReturnOnce(ctx: CoreContext, staff: StaffView, input: ReturnInput): Promise<ReturnRecord> {
  const sale = readSale(ctx.db, input.saleId);
  assertEachLineOnce(input.lines);
  const approver = await requireManagerApproval(ctx, staff, input, 'return');

  const lineRefunded = new Map<string, number>();
  for (const r of ctx.db
    .prepare(
      'SELECT rl.line_id, SUM(rl.amount) AS a FROM return_lines rl JOIN returns r ON r.id = rl.return_id WHERE r.sale_id = ? GROUP BY rl.line_id',
    )
    .all(sale.id) as { line_id: string; a: number }[])
    lineRefunded.set(r.line_id, r.a);

  let fullyReturnedAfter = true;
  const planned: PlannedLine[] = [];
  for (const l of sale.lines) {
    const req = input.lines.find((x) => x.lineId === l.lineId);
    const remainingQ = l.quantity - l.returnedQuantity;
    const remainingW = (l.weightGrams ?? 0) - l.returnedWeightGrams;
    if (!req) {
      if (l.unit === 'weighed' ? remainingW > 0 : remainingQ > 0) fullyReturnedAfter = false;
      continue;
    }
    const already = lineRefunded.get(l.lineId) ?? 0;
    if (l.unit === 'weighed') {
      if (req.quantity !== undefined && req.weightGrams === undefined && req.quantity !== 1)
        throw new PosError('BAD_INPUT', { reason: 'return-by-weight', lineId: l.lineId });
      const w = req.weightGrams ?? remainingW;
      if (w <= 0 || w > remainingW) {
        throw new PosError('RETURN_EXCEEDS_SALE', {
          reason: 'weight',
          lineId: l.lineId,
          name: l.name,
          nameEn: l.nameEn,
          remainingWeightGrams: remainingW,
        });
      }
      const completes = w === remainingW;
      if (!completes) fullyReturnedAfter = false;
      const amount = completes ? l.total - already : Math.floor((l.total * w) / (l.weightGrams ?? w));
      planned.push({ lineId: l.lineId, sku: l.sku, quantity: 0, weightGrams: w, amount, stockQty: w });
    } else {
      if (req.weightGrams !== undefined)
        throw new PosError('BAD_INPUT', { reason: 'return-by-quantity', lineId: l.lineId });
      const q = req.quantity ?? remainingQ;
      if (q <= 0 || q > remainingQ) {
        throw new PosError('RETURN_EXCEEDS_SALE', {
          reason: 'quantity',
          lineId: l.lineId,
          name: l.name,
          nameEn: l.nameEn,
          remainingQuantity: remainingQ,
        });
      }
      const completes = q === remainingQ;
      if (!completes) fullyReturnedAfter = false;
      const amount = completes ? l.total - already : Math.floor((l.total * q) / l.quantity);
      planned.push({ lineId: l.lineId, sku: l.sku, quantity: q, weightGrams: null, amount, stockQty: q });
    }
  }
  for (const r of input.lines) {
    if (!sale.lines.some((l) => l.lineId === r.lineId))
      throw new PosError('LINE_NOT_FOUND', { reason: 'sale-line', saleNumber: sale.number, lineId: r.lineId });
  }

  const refundedBefore = refundedSoFar(ctx, sale.id);
  const left = sale.total - refundedBefore;
  let amount = planned.reduce((s, p) => s + p.amount, 0);
  // The sale's cash rounding is settled on the return that empties the sale.
  amount = fullyReturnedAfter ? left : Math.min(amount, left);
  amount = Math.max(0, amount);

  // Allocate the refund over the original tenders: payment code and card first, cash last.
  const tenderRefunded = new Map<string, number>();
  for (const r of ctx.db
    .prepare(
      'SELECT rt.sale_tender_id, SUM(rt.amount) AS a FROM return_tenders rt JOIN returns r ON r.id = rt.return_id WHERE r.sale_id = ? GROUP BY rt.sale_tender_id',
    )
    .all(sale.id) as { sale_tender_id: string; a: number }[])
    tenderRefunded.set(r.sale_tender_id, r.a);
  const tenders = saleTenders(ctx.db, sale.id).sort((a, b) => ORDER[a.type] - ORDER[b.type]);
  let toAllocate = amount;
  const allocation: {
    saleTenderId: string;
    type: TenderRecord['type'];
    amount: number;
    reference: string | null;
    provider: string | null;
  }[] = [];
  for (const t of tenders) {
    if (toAllocate <= 0) break;
    const room = t.amount - (tenderRefunded.get(t.id) ?? 0);
    const a = Math.min(room, toAllocate);
    if (a <= 0) continue;
    allocation.push({ saleTenderId: t.id, type: t.type, amount: a, reference: t.reference, provider: t.provider });
    toAllocate -= a;
  }
  if (toAllocate > 0) throw new PosError('INTERNAL', 'Refund exceeds what the tenders of the sale can take back');

  const returnId = uuidv7(ctx.clock());
  // Payment-code refunds go through the provider before anything is written.
  for (const a of allocation) {
    if (a.type !== 'payment_code' || !a.reference) continue;
    const wallet: PaymentWallet = a.provider?.startsWith('alipay')
      ? 'alipay'
      : a.provider?.startsWith('wechat')
        ? 'wechat'
        : (paymentCodeWallet(a.reference) ?? 'wechat');
    const r = await ctx.paymentProvider.refund({
      transactionId: a.reference,
      amount: a.amount,
      refundId: returnId,
      saleId: sale.id,
      wallet,
    });
    if (r.status !== 'approved') {
      ctx.db.transaction(() =>
        writeAudit(ctx.db, ctx.terminalId, ctx.clock(), {
          action: 'refund.declined',
          staffId: staff.id,
          approvedById: approver.id,
          detail: { saleId: sale.id, amount: a.amount, message: r.message ?? null },
        }),
      )();
      throw new PosError('PAYMENT_DECLINED', { reason: 'refund-declined', providerMessage: r.message ?? null });
    }
    a.reference = r.transactionId;
  }

  const now = ctx.clock();
  ctx.db.transaction(() => {
    if (refundedSoFar(ctx, sale.id) !== refundedBefore)
      throw new PosError('CONFLICT', 'Another return on this sale was recorded meanwhile; look the sale up again');
    const shiftId = ensureShiftInTx(ctx, staff, now);
    insertReturn(ctx.db, {
      id: returnId,
      saleId: sale.id,
      terminalId: ctx.terminalId,
      shiftId,
      amount,
      reason: input.reason,
      staffId: staff.id,
      approver,
      createdAt: now.toISOString(),
    });
    insertReturnLines(ctx.db, returnId, planned);
    for (const p of planned)
      addStockMovement(ctx.db, ctx.terminalId, now, {
        sku: p.sku,
        kind: 'return',
        quantity: p.stockQty,
        refId: returnId,
      });
    insertReturnTenders(ctx.db, returnId, now, allocation);
    // Stored value and points refunded go back to the member's balance (ledger rows, same transaction).
    refundLoyaltyTenders(
      ctx,
      sale.id,
      allocation.map((a) => ({
        type: a.type,
        amount: a.amount,
        saleTender: tenders.find((t) => t.id === a.saleTenderId)!,
      })),
      now,
    );
    // The member gives back the points of the refunded part (a points-ledger op, same transaction).
    takeBackPoints(ctx, { saleId: sale.id, saleTotal: sale.total, refundedBefore, refundNow: amount });
    replicationFor(ctx.db)?.fact('return', returnId, {
      saleId: sale.id,
      saleNumber: sale.number,
      terminalId: ctx.terminalId,
      shiftId,
      amount,
      reason: input.reason,
      staffId: staff.id,
      approvedById: approver.id,
      createdAt: now.toISOString(),
      lines: planned.map((p) => ({
        lineId: p.lineId,
        sku: p.sku,
        quantity: p.quantity,
        weightGrams: p.weightGrams,
        amount: p.amount,
      })),
      tenders: allocation.map((a) => ({
        type: a.type,
        amount: a.amount,
        reference: a.reference,
        provider: a.provider,
      })),
    });
    writeAudit(ctx.db, ctx.terminalId, now, {
      action: 'return.create',
      staffId: staff.id,
      approvedById: approver.id,
      detail: {
        returnId,
        saleId: sale.id,
        saleNumber: sale.number,
        amount,
        reason: input.reason,
        lines: planned.length,
      },
    });
  })();
  ctx.logger.info({ returnId, saleId: sale.id, amount, approvedBy: approver.id }, 'return recorded');

  return {
    id: returnId,
    saleId: sale.id,
    lines: planned.map((p) => ({
      lineId: p.lineId,
      sku: p.sku,
      quantity: p.quantity,
      weightGrams: p.weightGrams,
      amount: p.amount,
    })),
    amount,
    tenders: allocation.map((a) => ({
      type: a.type,
      amount: a.amount,
      tendered: a.amount,
      reference: a.reference,
      provider: a.provider,
    })),
    approvedBy: approver,
    reason: input.reason,
    createdAt: now.toISOString(),
  };
}
