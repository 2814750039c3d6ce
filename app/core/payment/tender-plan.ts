// Pure tender arithmetic for one payment: rounding (cash-only sales), what each tender
// applies to the sale, and change. Rules: any mix of tenders; card and payment-code amounts
// may not exceed what is due; only cash may be over, and change comes only out of cash.
import { PosError, type TenderInput, type TillConfig } from '../../contract';
import { roundCash } from './cash-rounding';

export interface PlannedTender { input: TenderInput; amount: number; tendered: number }
export interface TenderPlan { due: number; total: number; rounding: number; change: number; tenders: PlannedTender[] }

const yuan = (fen: number) => (fen / 100).toFixed(2);

export function planTenders(due: number, tenders: readonly TenderInput[], rule: TillConfig['cashRounding']): TenderPlan {
  if (tenders.length === 0) throw new PosError('TENDER_SHORT', '请选择付款方式 / Add a tender');
  const allCash = tenders.every((t) => t.type === 'cash');
  const total = allCash ? roundCash(due, rule) : due;
  const rounding = total - due;
  const nonCash = tenders.filter((t) => t.type !== 'cash').reduce((s, t) => s + t.amount, 0);
  if (nonCash > total) {
    throw new PosError('TENDER_INVALID', `银行卡/付款码金额 ${yuan(nonCash)} 超过应收 ${yuan(total)}，只有现金可以找零 / Card and payment-code amounts (${yuan(nonCash)}) exceed the amount due (${yuan(total)}); only cash can give change`, { due: total, nonCash });
  }
  const tendered = tenders.reduce((s, t) => s + t.amount, 0);
  // Each amount is a safe integer, their sum need not be: past 2^53 the change comes out wrong.
  if (!Number.isSafeInteger(tendered)) throw new PosError('TENDER_INVALID', '付款金额过大 / Tendered amounts are too large', { due: total });
  if (tendered < total) {
    throw new PosError('TENDER_SHORT', `还差 ${yuan(total - tendered)} 元 / ${yuan(total - tendered)} still due`, { due: total, tendered, missing: total - tendered });
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
