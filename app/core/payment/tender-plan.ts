// Pure tender arithmetic for one payment: rounding (cash-only sales), what each tender
// applies to the sale, and change. Rules: any mix of tenders; card and payment-code amounts
// may not exceed what is due; only cash may be over, and change comes only out of cash.
import { PosError, type TenderInput, type TillConfig } from '../../contract';
import { roundCash } from './cash-rounding';

export interface PlannedTender {
  input: TenderInput;
  amount: number;
  tendered: number;
}
export interface TenderPlan {
  due: number;
  total: number;
  rounding: number;
  change: number;
  tenders: PlannedTender[];
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * The most cash a till accepts for a sale: ten times the total, or the total plus ¥1000,
 * whichever is more. A ¥3 sale may still be paid with a ¥100 note (or several), a ¥3000 sale
 * with ¥30000; anything beyond is a keying mistake (or an attempt to print an absurd change
 * amount on the receipt and into the Z report), so it is refused with TENDER_EXCESSIVE.
 */
export const CASH_OVER_TOTAL_MAX = 100_000;
export const CASH_TOTAL_MULTIPLE_MAX = 10;
export function maxTendered(total: number): number {
  return Math.max(total * CASH_TOTAL_MULTIPLE_MAX, total + CASH_OVER_TOTAL_MAX);
}

export function planTenders(
  due: number,
  tenders: readonly TenderInput[],
  rule: TillConfig['cashRounding'],
): TenderPlan {
  if (tenders.length === 0) throw new PosError('TENDER_SHORT', '请选择付款方式 / Add a tender');
  const allCash = tenders.every((t) => t.type === 'cash');
  const total = allCash ? roundCash(due, rule) : due;
  const rounding = total - due;
  const nonCash = tenders.filter((t) => t.type !== 'cash').reduce((s, t) => s + t.amount, 0);
  if (nonCash > total) {
    throw new PosError(
      'TENDER_INVALID',
      `银行卡/付款码金额 ${yuan(nonCash)} 超过应收 ${yuan(total)}，只有现金可以找零 / Card and payment-code amounts (${yuan(nonCash)}) exceed the amount due (${yuan(total)}); only cash can give change`,
      { due: total, nonCash },
    );
  }
  const tendered = tenders.reduce((s, t) => s + t.amount, 0);
  // Checked before anything else uses the sum: eight safe-integer tenders add up past 2^53.
  if (!Number.isSafeInteger(tendered) || tendered > maxTendered(total)) {
    const max = maxTendered(total);
    throw new PosError(
      'TENDER_EXCESSIVE',
      `收款金额过大：最多收 ${yuan(max)} 元（应收的 10 倍或应收加 1000 元） / Too much cash tendered: at most ${yuan(max)} (10 × the total, or the total + 1000.00)`,
      { reason: 'over-cap', due: total, maxTendered: max, maxYuan: yuan(max) },
    );
  }
  if (tendered < total) {
    throw new PosError('TENDER_SHORT', `还差 ${yuan(total - tendered)} 元 / ${yuan(total - tendered)} still due`, {
      due: total,
      tendered,
      missing: total - tendered,
    });
  }
  const change = tendered - total;
  const planned: PlannedTender[] = tenders.map((t) => ({ input: t, amount: t.amount, tendered: t.amount }));
  // Give change back out of the last cash tender(s) first.
  let left = change;
  for (let i = planned.length - 1; i >= 0 && left > 0; i--) {
    const p = planned[i]!;
    if (p.input.type !== 'cash') continue;
    const take = Math.min(left, p.amount);
    p.amount -= take;
    left -= take;
  }
  return { due, total, rounding, change, tenders: planned };
}
