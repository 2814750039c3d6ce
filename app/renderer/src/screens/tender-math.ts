// Figures the payment dialog shows while tenders are added: what is due (抹零 applies only when
// the whole sale is paid in cash), what is left, and whether a tender list covers the sale.
// The core recomputes all of this on cart.pay; these are for the cashier's screen.
import type { TenderInput } from '../../../contract';
import { roundCash, type CashRoundingMode } from '../format';

export interface CashRounding {
  mode: CashRoundingMode;
  unit: number;
}

export interface TenderSummary {
  /** Due for the sale if the next tender is of the kind being entered. */
  due: number;
  paid: number;
  /** Left to pay at `due` (never negative). */
  remaining: number;
  /** Left to pay before cash rounding: what a card or payment code is charged. */
  remainingExact: number;
}

export function tenderSummary(
  total: number,
  tenders: TenderInput[],
  rounding: CashRounding,
  enteringCash: boolean,
): TenderSummary {
  const allCash = enteringCash && tenders.every((x) => x.type === 'cash');
  const due = allCash ? roundCash(total, rounding.mode, rounding.unit) : total;
  const paid = tenders.reduce((s, x) => s + x.amount, 0);
  return { due, paid, remaining: Math.max(0, due - paid), remainingExact: Math.max(0, total - paid) };
}

/** How much a complete tender list is short of the sale (0 when it covers it). */
export function shortfall(total: number, list: TenderInput[], rounding: CashRounding): number {
  const needed = list.every((x) => x.type === 'cash') ? roundCash(total, rounding.mode, rounding.unit) : total;
  return Math.max(0, needed - list.reduce((s, x) => s + x.amount, 0));
}

/**
 * Quick-cash buttons for what is left (fen): the notes a customer hands over — the next whole
 * ¥10, ¥20, ¥50 and ¥100 at or above the amount, plus ¥20/¥50/¥100 themselves — at most four,
 * smallest first, never below the amount (issue 13 item 20: only ¥50 and ¥100 before).
 */
export function quickCashAmounts(remaining: number): number[] {
  if (remaining <= 0) return [];
  const up = (step: number) => Math.ceil(remaining / step) * step;
  const all = [up(1000), up(2000), up(5000), up(10000), 2000, 5000, 10000].filter((a) => a >= remaining);
  return [...new Set(all)].sort((a, b) => a - b).slice(0, 4);
}
