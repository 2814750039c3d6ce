// Backtest: choose a method per product family on a TUNING window, then report on the HELD-OUT
// final weeks, which nothing was chosen or fitted on.
//   [ training … | tuning (validationDays) | held-out (heldoutDays) ]
// On the tuning window: the ridge penalty and the Holt–Winters smoothing constants are picked,
// then the method with the lowest WAPE per family, and the error profile (actual ÷ forecast)
// that sizes the safety stock. For the held-out window the chosen models are refitted on
// everything before it (training + tuning) with those choices, and nothing else changes.
// Accuracy is measured against recorded sales on days without a stock-out (what a store can
// observe); the shelf simulation then replays the held-out weeks' true demand under the
// suggested orders and under "order what sold last week".
import type { DayInfo } from './calendar';
import {
  fitRidge,
  holtWinters,
  METHOD_NAMES,
  predictRidge,
  seasonalNaive,
  trainingRow,
  type HoltWintersParams,
  type MethodName,
  type PastDay,
  type RidgeModel,
  type TargetDay,
  type TrainingRow,
} from './methods';
import { ratioQuantile, type ErrorProfile } from './order-policy';
import { fillRate, simulateShelf, wasteRate, type SimResult } from './simulate';
import type { FamilyId, ProductHistory, StoreHistory } from './synthetic-history';

export interface Accuracy {
  /** Σ|actual − forecast| ÷ Σ actual. */
  wape: number;
  /** Mean |actual − forecast| ÷ actual over days with actual > 0. */
  mape: number;
  /** Σ(forecast − actual) ÷ Σ actual (positive = over-forecast). */
  bias: number;
  days: number;
}

export interface FamilyChoice {
  family: FamilyId;
  method: MethodName;
  ridgeLambda: number;
  hw: HoltWintersParams;
  profile: ErrorProfile;
  /**
   * Service level (quantile of the forecast's error profile) chosen on the tuning window: the
   * lowest whose simulated fill rate is at least the hand rule's.
   */
  serviceLevel: number;
  tuning: Record<MethodName, Accuracy>;
  tuningPolicy: { suggested: PolicyFigures; lastWeek: PolicyFigures };
}

export interface PolicyFigures {
  wasteRate: number;
  fillRate: number;
  stockoutDayRate: number;
  wasted: number;
  received: number;
}

export interface FamilyReport {
  family: FamilyId;
  method: MethodName;
  heldout: Record<MethodName, Accuracy>;
  chosen: Accuracy;
  policy: { suggested: PolicyFigures; lastWeek: PolicyFigures };
}

export interface BacktestReport {
  windows: { training: [string, string]; tuning: [string, string]; heldout: [string, string] };
  choices: FamilyChoice[];
  families: FamilyReport[];
  overall: {
    chosen: Accuracy;
    seasonalNaive: Accuracy;
    /** 1 − WAPE(chosen) ÷ WAPE(seasonal naive). */
    wapeImprovement: number;
    policy: { suggested: PolicyFigures; lastWeek: PolicyFigures; wasteReduction: number };
  };
}

export interface BacktestOptions {
  tuningDays?: number;
  heldoutDays?: number;
}

const SERVICE_LEVELS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

const RIDGE_LAMBDAS = [0.3, 3, 30];
const HW_GRID: HoltWintersParams[] = [0.05, 0.1, 0.2, 0.35].flatMap((alpha) =>
  [0.05, 0.15, 0.3].map((gamma) => ({ alpha, gamma })),
);

interface Series {
  p: ProductHistory;
  past: PastDay[];
  targets: TargetDay[];
}

function seriesOf(h: StoreHistory): Series[] {
  return h.products.map((p) => ({
    p,
    past: p.days.map((d) => ({ day: d.day, sales: d.sales, stockout: d.stockout })),
    targets: p.days.map((d, i) => targetFor(h.calendar[i]!, d.promo, d.groupBuy, h.weather[i]!)),
  }));
}

function targetFor(
  cal: DayInfo,
  promo: number,
  groupBuy: number,
  w: { forecastTempC: number; forecastRainMm: number },
): TargetDay {
  return { cal, promo, groupBuy, tempC: w.forecastTempC, rainMm: w.forecastRainMm };
}

function accuracy(pairs: readonly [number, number][]): Accuracy {
  let abs = 0;
  let act = 0;
  let signed = 0;
  let mape = 0;
  let mapeN = 0;
  for (const [a, f] of pairs) {
    abs += Math.abs(a - f);
    act += a;
    signed += f - a;
    if (a > 0) {
      mape += Math.abs(a - f) / a;
      mapeN++;
    }
  }
  return {
    wape: act ? abs / act : 0,
    mape: mapeN ? mape / mapeN : 0,
    bias: act ? signed / act : 0,
    days: pairs.length,
  };
}

function ridgeRows(series: readonly Series[], from: number, to: number): TrainingRow[] {
  const rows: TrainingRow[] = [];
  for (const s of series)
    for (let t = Math.max(28, from); t < to; t++) {
      const d = s.past[t]!;
      if (d.stockout) continue;
      rows.push(trainingRow(s.past.slice(0, t), s.targets[t]!, d.sales));
    }
  return rows;
}

type Predict = (s: Series, t: number) => number;

function predictorFor(method: MethodName, ridge: RidgeModel, hw: HoltWintersParams): Predict {
  switch (method) {
    case 'seasonal_naive':
      return (s, t) => seasonalNaive(s.past.slice(0, t));
    case 'holt_winters':
      return (s, t) => holtWinters(s.past.slice(0, t), hw);
    case 'ridge':
      return (s, t) => predictRidge(ridge, s.past.slice(0, t), s.targets[t]!);
  }
}

function pairsOver(series: readonly Series[], from: number, to: number, predict: Predict): [number, number][] {
  const out: [number, number][] = [];
  for (const s of series)
    for (let t = from; t < to; t++) {
      const d = s.past[t]!;
      if (!d.stockout) out.push([d.sales, predict(s, t)]);
    }
  return out;
}

function figures(r: SimResult): PolicyFigures {
  return {
    wasteRate: round(wasteRate(r)),
    fillRate: round(fillRate(r)),
    stockoutDayRate: round(r.stockoutDays / Math.max(1, r.days)),
    wasted: r.wasted,
    received: r.received,
  };
}

function addSim(a: SimResult, b: SimResult): SimResult {
  return {
    demand: a.demand + b.demand,
    sold: a.sold + b.sold,
    received: a.received + b.received,
    wasted: a.wasted + b.wasted,
    stockoutDays: a.stockoutDays + b.stockoutDays,
    days: a.days + b.days,
  };
}

const EMPTY_SIM: SimResult = { demand: 0, sold: 0, received: 0, wasted: 0, stockoutDays: 0, days: 0 };

/** Replays days [from, to) of one product's true demand under both policies. */
export function simulatePolicies(
  s: { p: ProductHistory; past: readonly PastDay[] },
  from: number,
  to: number,
  predict: (t: number) => number,
  profile: ErrorProfile,
  serviceLevel: number,
): { suggested: SimResult; lastWeek: SimResult } {
  const { product } = s.p;
  const days = s.p.days.slice(from, to).map((d) => ({ demand: d.demand }));
  const q = ratioQuantile(profile, serviceLevel);
  const suggested = simulateShelf(
    days,
    product.shelfLifeDays,
    product.casePack,
    (t, _sold, onHand) => predict(from + t) * q - onHand,
  );
  // The hand rule: order what sold on the same weekday last week (simulated sales inside the
  // window, recorded sales before it).
  const lastWeek = simulateShelf(days, product.shelfLifeDays, product.casePack, (t, sold) =>
    t >= 7 ? sold[t - 7]! : s.past[from + t - 7]!.sales,
  );
  return { suggested, lastWeek };
}

export function runBacktest(h: StoreHistory, opts: BacktestOptions = {}): BacktestReport {
  const heldoutDays = opts.heldoutDays ?? 56;
  const tuningDays = opts.tuningDays ?? 56;
  const n = h.days;
  const heldStart = n - heldoutDays;
  const tuneStart = heldStart - tuningDays;
  const series = seriesOf(h);
  const families = [...new Set(series.map((s) => s.p.product.family))];

  const choices: FamilyChoice[] = [];
  const reports: FamilyReport[] = [];
  const allChosen: [number, number][] = [];
  const allNaive: [number, number][] = [];
  let simSuggested = EMPTY_SIM;
  let simLastWeek = EMPTY_SIM;

  for (const family of families) {
    const fam = series.filter((s) => s.p.product.family === family);
    // ---- tuning window: every choice is made here ----
    let bestRidge = { lambda: RIDGE_LAMBDAS[0]!, acc: null as Accuracy | null, model: null as RidgeModel | null };
    const tuneRows = ridgeRows(fam, 0, tuneStart);
    for (const lambda of RIDGE_LAMBDAS) {
      const model = fitRidge(tuneRows, lambda);
      const acc = accuracy(pairsOver(fam, tuneStart, heldStart, predictorFor('ridge', model, HW_GRID[0]!)));
      if (!bestRidge.acc || acc.wape < bestRidge.acc.wape) bestRidge = { lambda, acc, model };
    }
    let bestHw = { p: HW_GRID[0]!, acc: null as Accuracy | null };
    for (const p of HW_GRID) {
      const acc = accuracy(pairsOver(fam, tuneStart, heldStart, predictorFor('holt_winters', bestRidge.model!, p)));
      if (!bestHw.acc || acc.wape < bestHw.acc.wape) bestHw = { p, acc };
    }
    const tuning: Record<MethodName, Accuracy> = {
      seasonal_naive: accuracy(
        pairsOver(fam, tuneStart, heldStart, predictorFor('seasonal_naive', bestRidge.model!, bestHw.p)),
      ),
      holt_winters: bestHw.acc!,
      ridge: bestRidge.acc!,
    };
    const method = METHOD_NAMES.reduce((a, b) => (tuning[b].wape < tuning[a].wape ? b : a));
    const tunePredict = predictorFor(method, bestRidge.model!, bestHw.p);
    const ratios = pairsOver(fam, tuneStart, heldStart, tunePredict)
      .filter(([, f]) => f > 0.5)
      .map(([a, f]) => a / f)
      .sort((a, b) => a - b);
    const profile = { ratios };
    // The service level: the lowest whose tuning-window fill rate is at least the hand rule's,
    // so the held-out comparison is at the same or better availability by construction of the
    // tuning, not by looking at the held-out weeks.
    const simTuning = (level: number) => {
      let sug = EMPTY_SIM;
      let last = EMPTY_SIM;
      for (const s of fam) {
        const r = simulatePolicies(s, tuneStart, heldStart, (t) => tunePredict(s, t), profile, level);
        sug = addSim(sug, r.suggested);
        last = addSim(last, r.lastWeek);
      }
      return { suggested: sug, lastWeek: last };
    };
    let serviceLevel = SERVICE_LEVELS[SERVICE_LEVELS.length - 1]!;
    let tuningSim = simTuning(serviceLevel);
    for (const level of SERVICE_LEVELS) {
      const r = simTuning(level);
      if (fillRate(r.suggested) >= fillRate(r.lastWeek)) {
        serviceLevel = level;
        tuningSim = r;
        break;
      }
    }
    const choice: FamilyChoice = {
      family,
      method,
      ridgeLambda: bestRidge.lambda,
      hw: bestHw.p,
      profile,
      serviceLevel,
      tuning,
      tuningPolicy: { suggested: figures(tuningSim.suggested), lastWeek: figures(tuningSim.lastWeek) },
    };
    choices.push(choice);

    // ---- held-out window: refit with the choices, report, change nothing ----
    const ridge = fitRidge(ridgeRows(fam, 0, heldStart), choice.ridgeLambda);
    const heldout = Object.fromEntries(
      METHOD_NAMES.map((m) => [m, accuracy(pairsOver(fam, heldStart, n, predictorFor(m, ridge, choice.hw)))]),
    ) as Record<MethodName, Accuracy>;
    const predict = predictorFor(method, ridge, choice.hw);
    allChosen.push(...pairsOver(fam, heldStart, n, predict));
    allNaive.push(...pairsOver(fam, heldStart, n, predictorFor('seasonal_naive', ridge, choice.hw)));
    let famSuggested = EMPTY_SIM;
    let famLastWeek = EMPTY_SIM;
    for (const s of fam) {
      const r = simulatePolicies(s, heldStart, n, (t) => predict(s, t), choice.profile, choice.serviceLevel);
      famSuggested = addSim(famSuggested, r.suggested);
      famLastWeek = addSim(famLastWeek, r.lastWeek);
    }
    simSuggested = addSim(simSuggested, famSuggested);
    simLastWeek = addSim(simLastWeek, famLastWeek);
    reports.push({
      family,
      method,
      heldout,
      chosen: heldout[method],
      policy: { suggested: figures(famSuggested), lastWeek: figures(famLastWeek) },
    });
  }
  const chosen = accuracy(allChosen);
  const naive = accuracy(allNaive);
  const sug = figures(simSuggested);
  const last = figures(simLastWeek);
  return {
    windows: {
      training: [h.calendar[0]!.day, h.calendar[tuneStart - 1]!.day],
      tuning: [h.calendar[tuneStart]!.day, h.calendar[heldStart - 1]!.day],
      heldout: [h.calendar[heldStart]!.day, h.calendar[n - 1]!.day],
    },
    choices,
    families: reports,
    overall: {
      chosen,
      seasonalNaive: naive,
      wapeImprovement: round(1 - chosen.wape / naive.wape),
      policy: {
        suggested: sug,
        lastWeek: last,
        wasteReduction: round(1 - simSuggested.wasted / Math.max(1, simLastWeek.wasted)),
      },
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
