// Points earned by a sale (积分). Pure and integer-only: `fenPerPoint` fen of the amount paid
// earn one point, multiplied by the member level's percentage (gold 150 % → 1.5×), rounded
// down. A return takes back points in proportion to what was refunded, so that after every
// return the member holds exactly the points the kept part of the sale would have earned.
import type { TillConfig } from '../../contract';

export type PointsRule = TillConfig['pointsRule'];

/** Points for a paid amount (fen) at a member level; 0 for nothing paid. */
export function pointsForSale(totalFen: number, level: string | null, rule: PointsRule): number {
  if (totalFen <= 0 || rule.fenPerPoint <= 0) return 0;
  const pct = (level !== null ? rule.levelPercent[level] : undefined) ?? 100;
  return Math.floor((totalFen * pct) / (rule.fenPerPoint * 100));
}

/**
 * Points a return takes back: `earned` points were given for a sale of `saleTotal`; `refundedBefore`
 * fen were already refunded and `refundNow` fen are refunded now.
 */
export function pointsToTakeBack(earned: number, saleTotal: number, refundedBefore: number, refundNow: number): number {
  if (earned <= 0 || saleTotal <= 0) return 0;
  const keep = (refunded: number) => Math.floor((earned * Math.max(0, saleTotal - refunded)) / saleTotal);
  return keep(refundedBefore) - keep(Math.min(saleTotal, refundedBefore + refundNow));
}
