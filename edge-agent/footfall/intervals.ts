// Interval arithmetic for footfall facts: 15-minute and 1-hour buckets in UTC (both divide a
// day in every time zone the chain uses, so local hours line up with UTC buckets).
export type Period = '15m' | '1h';
export const PERIOD_MS: Record<Period, number> = { '15m': 15 * 60_000, '1h': 60 * 60_000 };

export function intervalStart(at: number, period: Period): number {
  const p = PERIOD_MS[period];
  return Math.floor(at / p) * p;
}

/** Local calendar date and hour of a UTC time, for a store `offsetMinutes` east of UTC. */
export function localHour(at: number, offsetMinutes: number): { date: string; hour: number } {
  const d = new Date(at + offsetMinutes * 60_000);
  return { date: d.toISOString().slice(0, 10), hour: d.getUTCHours() };
}

/** UTC start of local midnight of `date` (YYYY-MM-DD). */
export function localDayStart(date: string, offsetMinutes: number): number {
  return Date.parse(`${date}T00:00:00Z`) - offsetMinutes * 60_000;
}

/** Conversion = transactions ÷ entries (null when nobody came in): the core's shared definition. */
export { conversionRate } from '../../app/core/footfall-math';
