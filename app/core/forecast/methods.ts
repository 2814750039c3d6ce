// Forecast methods for one product's daily demand. Three, chosen per product family by backtest
// (backtest.ts), never by fashion:
// - seasonal naive: the same weekday last week (what a store does by hand, and the baseline);
// - Holt–Winters: additive level + weekly season, exponential smoothing;
// - ridge regression pooled over a family on calendar, holiday/调休, school, weather, promotion
//   and group-buy pre-order features, as log ratios to the product's recent level (ml-matrix
//   solves the normal equations).
// Stock-out days understate demand: the regression leaves them out of training and the
// smoothing methods never let them pull the level down.
import { createRequire } from 'node:module';
import type { DayInfo, Festival } from './calendar';

// ml-matrix is required by the first ridge fit, not with the till (it takes tens of ms to load and
// only the back office's replenishment fits; issue 19). Synchronous, as fitRidge is; from the
// bundle's __filename in the Electron main bundle (CommonJS, where import.meta is empty).
type MlMatrix = typeof import('ml-matrix');
let mlMatrix: MlMatrix | undefined;
const loadMlMatrix = (): MlMatrix =>
  (mlMatrix ??= createRequire(import.meta.url ?? __filename)('ml-matrix') as MlMatrix);

/** One past day of one product, as a store knows it the evening after. */
export interface PastDay {
  day: string;
  sales: number;
  stockout: boolean;
}

/** What is known the evening before about the day to forecast. */
export interface TargetDay {
  cal: DayInfo;
  /** Promotion discount from the pricing rules (0 when none). */
  promo: number;
  /** Group-buy pre-orders for that day. */
  groupBuy: number;
  /** Weather forecast for that day (or the last one received). */
  tempC: number | null;
  rainMm: number | null;
}

export type MethodName = 'seasonal_naive' | 'holt_winters' | 'ridge';
export const METHOD_NAMES: readonly MethodName[] = ['seasonal_naive', 'holt_winters', 'ridge'];

/** Mean of non-stock-out sales over the last `n` days of `history` (all days when all are stock-outs). */
export function recentLevel(history: readonly PastDay[], n = 28): number {
  let sum = 0;
  let k = 0;
  for (let i = history.length - 1; i >= 0 && i >= history.length - n; i--) {
    const d = history[i]!;
    if (d.stockout) continue;
    sum += d.sales;
    k++;
  }
  if (k > 0) return sum / k;
  const tail = history.slice(-n);
  return tail.length ? tail.reduce((a, d) => a + d.sales, 0) / tail.length : 0;
}

/** Horizon h = days from the last history day to the target (1 = tomorrow). */
export function seasonalNaive(history: readonly PastDay[], h = 1): number {
  const lag = 7 * Math.ceil(h / 7);
  const d = history[history.length - lag + h - 1];
  if (!d) return recentLevel(history);
  // A stock-out day understates demand: use the recent level when it is higher.
  return d.stockout ? Math.max(d.sales, recentLevel(history)) : d.sales;
}

export interface HoltWintersParams {
  alpha: number;
  gamma: number;
}

/** Additive Holt–Winters (no trend) with a 7-day season; returns the h-step forecast. */
export function holtWinters(history: readonly PastDay[], p: HoltWintersParams, h = 1): number {
  if (history.length < 14) return recentLevel(history);
  let level = 0;
  for (let i = 0; i < 7; i++) level += history[i]!.sales / 7;
  const season = Array.from({ length: 7 }, (_, i) => history[i]!.sales - level);
  for (let i = 7; i < history.length; i++) {
    const d = history[i]!;
    const s = season[i % 7]!;
    const fitted = level + s;
    // Censored: the shelf was empty, so the day says "at least this much".
    const y = d.stockout ? Math.max(d.sales, fitted) : d.sales;
    const prev = level;
    level = p.alpha * (y - s) + (1 - p.alpha) * level;
    season[i % 7] = p.gamma * (y - prev) + (1 - p.gamma) * s;
  }
  return Math.max(0, level + season[(history.length + h - 1) % 7]!);
}

const FESTIVALS: readonly Festival[] = [
  'new_year',
  'spring',
  'qingming',
  'labour',
  'dragon_boat',
  'mid_autumn',
  'national',
];

/** Names of the regression's features, in column order (shown in the docs and the reasons). */
export const FEATURE_NAMES: readonly string[] = [
  'intercept',
  ...['tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  'swapped_workday',
  ...FESTIVALS.map((f) => `holiday_${f}`),
  ...[1, 2, 3].map((k) => `pre_spring_${k}`),
  ...[1, 2, 3].map((k) => `pre_other_${k}`),
  'school_holiday',
  'temp_above_20',
  'rain',
  'promo_log_price',
  'group_buy_ratio',
  'group_buy_none',
  'last_week_ratio',
  'last_week_unknown',
  'season_cos',
];

/** One feature row for a target day given the product's history up to the evening before. */
export function featureRow(history: readonly PastDay[], target: TargetDay, h = 1): number[] {
  const c = target.cal;
  const level = recentLevel(history);
  const lv = Math.log1p(level);
  // A swapped working weekend counts as a Wednesday; a holiday as its festival on a Saturday.
  const dow = c.swappedWorkday ? 2 : c.holiday ? 5 : c.dow;
  const row = [1];
  for (let d = 1; d <= 6; d++) row.push(dow === d ? 1 : 0);
  row.push(c.swappedWorkday ? 1 : 0);
  for (const f of FESTIVALS) row.push(c.holiday === f ? 1 : 0);
  for (let k = 1; k <= 3; k++) row.push(c.preHoliday === k && c.preHolidayOf === 'spring' ? 1 : 0);
  for (let k = 1; k <= 3; k++) row.push(c.preHoliday === k && c.preHolidayOf !== 'spring' ? 1 : 0);
  row.push(c.schoolHoliday ? 1 : 0);
  row.push(target.tempC === null ? 0 : (target.tempC - 20) / 10);
  row.push(target.rainMm !== null && target.rainMm > 1 ? 1 : 0);
  row.push(target.promo > 0 ? -Math.log(1 - target.promo) : 0);
  row.push(target.groupBuy > 0 ? Math.log1p(target.groupBuy) - lv : 0);
  row.push(target.groupBuy > 0 ? 0 : 1);
  const lastWeek = history[history.length - 7 * Math.ceil(h / 7) + h - 1];
  const known = lastWeek && !lastWeek.stockout;
  row.push(known ? Math.log1p(lastWeek.sales) - lv : 0);
  row.push(known ? 0 : 1);
  const doy = (Date.parse(`${c.day}T00:00:00Z`) - Date.parse(`${c.day.slice(0, 4)}-01-01T00:00:00Z`)) / 86_400_000;
  row.push(Math.cos(((doy - 205) / 365) * 2 * Math.PI));
  return row;
}

export interface RidgeModel {
  weights: number[];
  /** Smearing factor: mean of exp(residual), undoing the log transform's bias. */
  smear: number;
  lambda: number;
}

export interface TrainingRow {
  x: number[];
  /** log1p(sales) − log1p(level). */
  y: number;
}

export function trainingRow(history: readonly PastDay[], target: TargetDay, sales: number): TrainingRow {
  return { x: featureRow(history, target), y: Math.log1p(sales) - Math.log1p(recentLevel(history)) };
}

export function fitRidge(rows: readonly TrainingRow[], lambda: number): RidgeModel {
  const p = FEATURE_NAMES.length;
  if (rows.length < p) return { weights: [Math.log1p(0)], smear: 1, lambda };
  const { Matrix, solve } = loadMlMatrix();
  const xtx = Matrix.zeros(p, p);
  const xty = Matrix.zeros(p, 1);
  for (const r of rows) {
    for (let i = 0; i < p; i++) {
      const xi = r.x[i]!;
      if (xi === 0) continue;
      xty.set(i, 0, xty.get(i, 0) + xi * r.y);
      for (let j = 0; j < p; j++) {
        const xj = r.x[j]!;
        if (xj !== 0) xtx.set(i, j, xtx.get(i, j) + xi * xj);
      }
    }
  }
  // No penalty on the intercept.
  for (let i = 1; i < p; i++) xtx.set(i, i, xtx.get(i, i) + lambda);
  const w = solve(xtx, xty).getColumn(0);
  let smear = 0;
  for (const r of rows) smear += Math.exp(r.y - dot(w, r.x));
  return { weights: w, smear: smear / rows.length, lambda };
}

function dot(w: readonly number[], x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]! * (x[i] ?? 0);
  return s;
}

export function predictRidge(m: RidgeModel, history: readonly PastDay[], target: TargetDay, h = 1): number {
  const level = recentLevel(history);
  const x = featureRow(history, target, h);
  const v = (1 + level) * Math.exp(dot(m.weights, x)) * m.smear - 1;
  return Math.max(target.groupBuy, v, 0);
}

/** The three largest effects (feature name and multiplier) of a ridge prediction, for the reason text. */
export function ridgeEffects(
  m: RidgeModel,
  history: readonly PastDay[],
  target: TargetDay,
  h = 1,
): { feature: string; factor: number }[] {
  const x = featureRow(history, target, h);
  return FEATURE_NAMES.map((feature, i) => ({ feature, factor: Math.exp((m.weights[i] ?? 0) * x[i]!) }))
    .filter((e) => e.feature !== 'intercept' && Math.abs(Math.log(e.factor)) > 0.03)
    .sort((a, b) => Math.abs(Math.log(b.factor)) - Math.abs(Math.log(a.factor)))
    .slice(0, 3);
}

/**
 * How much a day's promotion and group-buy pre-orders move the family's regression forecast (×1
 * when it has neither). The smoothing methods cannot see either signal; the till multiplies their
 * baseline by this lift, so a known promotion is never ignored because Holt–Winters won the
 * tuning window (the usual "baseline × promotion uplift" of retail forecasting).
 */
export function signalLift(m: RidgeModel, history: readonly PastDay[], target: TargetDay, h = 1): number {
  if (target.promo === 0 && target.groupBuy === 0) return 1;
  const plain: TargetDay = { ...target, promo: 0, groupBuy: 0 };
  return Math.exp(dot(m.weights, featureRow(history, target, h)) - dot(m.weights, featureRow(history, plain, h)));
}
