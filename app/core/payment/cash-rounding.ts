// 抹零 (cash rounding): when a sale is paid wholly in cash the total may be rounded to a
// unit (10 fen = 1 jiao, 100 fen = 1 yuan): 'down' always in the customer's favour,
// 'nearest' half up. The difference is recorded on the sale as `rounding`.
import type { TillConfig } from '../../contract';

export function roundCash(amount: number, rule: TillConfig['cashRounding']): number {
  const unit = Math.max(1, Math.trunc(rule.unit));
  if (rule.mode === 'none' || unit === 1) return amount;
  if (rule.mode === 'down') return Math.floor(amount / unit) * unit;
  return Math.floor((amount + Math.floor(unit / 2)) / unit) * unit;
}
