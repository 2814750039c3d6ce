// A generator of realistic daily store sales, because no public Chinese fresh-food sales history
// exists here. Each product family has its own shelf life, weekly pattern, holiday profile
// (春节 stocking-up then a quiet festival week, 国庆), weather sensitivity, promotion lift and
// share of community group-buy pre-orders (a leading signal known the day before). Demand is
// negative binomial around the product of those effects; the historic shelf runs out now and
// then, so recorded sales are censored (sales < demand, `stockout` set), as in a real store.
// Deterministic for a seed. The forecast is never tuned on the last weeks (see backtest.ts).
import { addDays, dayInfo, type DayInfo, type Festival } from './calendar';
import { createRandom, type Random } from './random';

export type FamilyId = 'leafy' | 'fruit' | 'bakery' | 'dairy' | 'meat' | 'pantry';

export interface FamilyProfile {
  id: FamilyId;
  zh: string;
  en: string;
  shelfLifeDays: number;
  /** Mean units/day range for products of the family. */
  base: [number, number];
  /** Multipliers Monday … Sunday. */
  weekly: number[];
  /** Effect of a day off that is not a weekend (holiday) on top of the weekly pattern. */
  holiday: Partial<Record<Festival, number>>;
  /** Multiplier on each of the 3 days before a festival (index 0 = the day before). */
  preHoliday: Partial<Record<Festival, [number, number, number]>>;
  /** Relative change per °C above 20 °C (negative: sells less when hot). */
  tempPerDegree: number;
  /** Relative change on a rainy day. */
  rain: number;
  /** Summer/winter swing of the family (peak around late July when positive). */
  season: number;
  /** Price elasticity for promotions: demand × (1 − discount)^−elasticity. */
  elasticity: number;
  /** Share of demand that can come as group-buy pre-orders. */
  groupBuy: number;
  /** Negative binomial dispersion (smaller = noisier). */
  dispersion: number;
  margin: number;
  casePack: number;
}

export const FAMILIES: readonly FamilyProfile[] = [
  {
    id: 'leafy',
    zh: '叶菜',
    en: 'Leafy greens',
    shelfLifeDays: 2,
    base: [25, 80],
    weekly: [0.92, 0.9, 0.93, 0.97, 1.05, 1.18, 1.1],
    holiday: { spring: 0.55, national: 0.85, labour: 0.9 },
    preHoliday: { spring: [1.5, 1.7, 1.4], national: [1.15, 1.1, 1.05] },
    tempPerDegree: -0.012,
    rain: 0.12,
    season: -0.08,
    elasticity: 1.4,
    groupBuy: 0.25,
    dispersion: 12,
    margin: 0.35,
    casePack: 1,
  },
  {
    id: 'fruit',
    zh: '水果',
    en: 'Fruit',
    shelfLifeDays: 5,
    base: [15, 60],
    weekly: [0.9, 0.88, 0.92, 0.96, 1.06, 1.2, 1.12],
    holiday: { spring: 0.8, national: 1.25, mid_autumn: 1.3, labour: 1.15 },
    preHoliday: { spring: [1.9, 1.8, 1.5], mid_autumn: [1.5, 1.3, 1.1], national: [1.3, 1.2, 1.1] },
    tempPerDegree: 0.018,
    rain: -0.15,
    season: 0.18,
    elasticity: 1.8,
    groupBuy: 0.35,
    dispersion: 8,
    margin: 0.3,
    casePack: 1,
  },
  {
    id: 'bakery',
    zh: '烘焙',
    en: 'Bakery',
    shelfLifeDays: 1,
    base: [12, 40],
    weekly: [1.02, 1.0, 1.0, 1.0, 1.05, 1.0, 0.94],
    holiday: { spring: 0.5, national: 0.8 },
    preHoliday: { spring: [1.2, 1.1, 1.0] },
    tempPerDegree: -0.005,
    rain: -0.08,
    season: 0,
    elasticity: 1.2,
    groupBuy: 0.1,
    dispersion: 10,
    margin: 0.5,
    casePack: 1,
  },
  {
    id: 'dairy',
    zh: '乳品',
    en: 'Dairy',
    shelfLifeDays: 10,
    base: [20, 70],
    weekly: [1.0, 0.96, 0.98, 1.0, 1.04, 1.06, 0.98],
    holiday: { spring: 0.7, national: 0.95 },
    preHoliday: { spring: [1.6, 1.5, 1.3] },
    tempPerDegree: 0.004,
    rain: -0.04,
    season: 0.04,
    elasticity: 1.1,
    groupBuy: 0.2,
    dispersion: 15,
    margin: 0.22,
    casePack: 6,
  },
  {
    id: 'meat',
    zh: '肉禽',
    en: 'Meat',
    shelfLifeDays: 3,
    base: [10, 35],
    weekly: [0.9, 0.9, 0.92, 0.96, 1.08, 1.2, 1.08],
    holiday: { spring: 0.6, national: 1.05, dragon_boat: 1.1 },
    preHoliday: { spring: [2.6, 2.4, 1.9], national: [1.3, 1.2, 1.1], mid_autumn: [1.3, 1.2, 1.0] },
    tempPerDegree: -0.008,
    rain: 0.05,
    season: -0.1,
    elasticity: 1.3,
    groupBuy: 0.3,
    dispersion: 9,
    margin: 0.25,
    casePack: 1,
  },
  {
    id: 'pantry',
    zh: '粮油',
    en: 'Pantry',
    shelfLifeDays: 180,
    base: [5, 20],
    weekly: [0.95, 0.95, 0.97, 1.0, 1.04, 1.07, 1.02],
    holiday: { spring: 0.7 },
    preHoliday: { spring: [1.8, 1.7, 1.5], national: [1.2, 1.1, 1.05] },
    tempPerDegree: 0,
    rain: 0.04,
    season: 0,
    elasticity: 0.9,
    groupBuy: 0.15,
    dispersion: 6,
    margin: 0.2,
    casePack: 6,
  },
];

export function familyProfile(id: FamilyId): FamilyProfile {
  const f = FAMILIES.find((x) => x.id === id);
  if (!f) throw new Error(`unknown family ${id}`);
  return f;
}

export interface WeatherDay {
  day: string;
  /** Daily mean temperature, °C (what was measured). */
  tempC: number;
  rainMm: number;
  /** The day-ahead forecast a provider gave the evening before (noisy). */
  forecastTempC: number;
  forecastRainMm: number;
}

export interface HistoryProduct {
  sku: string;
  family: FamilyId;
  /** Mean units/day on a plain weekday. */
  base: number;
  /** Price in fen per unit. */
  price: number;
  /** Cost in fen per unit. */
  cost: number;
  casePack: number;
  shelfLifeDays: number;
}

export interface HistoryDay {
  day: string;
  /** What customers wanted (only a simulation knows this). */
  demand: number;
  /** What was sold (≤ demand; less on a stock-out day). */
  sales: number;
  /** The shelf ran empty that day, so `sales` understates demand. */
  stockout: boolean;
  /** Promotion discount (0 … 0.4), known in advance from the pricing rules. */
  promo: number;
  /** Group-buy pre-orders for this day, known the evening before. */
  groupBuy: number;
}

export interface ProductHistory {
  product: HistoryProduct;
  days: HistoryDay[];
}

export interface StoreHistory {
  from: string;
  days: number;
  weather: WeatherDay[];
  calendar: DayInfo[];
  products: ProductHistory[];
}

export interface HistoryOptions {
  seed: number;
  /** First day (default 2024-01-01). */
  from?: string;
  /** Number of days (default 731: two years). */
  days?: number;
  /** Products per family (default 5). */
  perFamily?: number;
  /** Historic stock-out probability on a normal day for fresh families (default 0.05). */
  stockoutRate?: number;
}

function weatherSeries(rnd: Random, days: string[]): WeatherDay[] {
  let anomaly = 0;
  return days.map((day) => {
    const doy = (Date.parse(`${day}T00:00:00Z`) - Date.parse(`${day.slice(0, 4)}-01-01T00:00:00Z`)) / 86_400_000;
    // A Yangtze-delta city: mean 17 °C, ±12 °C, warmest around day 205.
    anomaly = 0.75 * anomaly + rnd.normal(0, 1.6);
    const tempC = 17 + 12 * Math.cos(((doy - 205) / 365) * 2 * Math.PI) + anomaly;
    // Plum rains in June–July, drier winters.
    const pRain = 0.28 + 0.2 * Math.exp(-(((doy - 175) / 25) ** 2)) - 0.1 * Math.cos((doy / 365) * 2 * Math.PI);
    const rainMm = rnd.next() < pRain ? Math.round(rnd.gamma(0.8, 12) * 10) / 10 : 0;
    const forecastTempC = Math.round((tempC + rnd.normal(0, 1.5)) * 10) / 10;
    const forecastRainMm = rnd.next() < 0.85 ? rainMm : rainMm > 0 ? 0 : Math.round(rnd.gamma(0.8, 6) * 10) / 10;
    return { day, tempC: Math.round(tempC * 10) / 10, rainMm, forecastTempC, forecastRainMm };
  });
}

/** Mean demand of one product on one day, before noise: every effect multiplied. */
export function meanDemand(
  f: FamilyProfile,
  base: number,
  cal: DayInfo,
  w: Pick<WeatherDay, 'tempC' | 'rainMm'>,
  promo: number,
  trend: number,
): number {
  const doy = (Date.parse(`${cal.day}T00:00:00Z`) - Date.parse(`${cal.day.slice(0, 4)}-01-01T00:00:00Z`)) / 86_400_000;
  // A swapped working weekend shops like a weekday; a holiday like its festival says.
  const dowFactor = cal.swappedWorkday ? f.weekly[2]! : cal.holiday ? f.weekly[5]! : f.weekly[cal.dow]!;
  const holiday = cal.holiday ? (f.holiday[cal.holiday] ?? 1) : 1;
  const pre = cal.preHoliday && cal.preHolidayOf ? (f.preHoliday[cal.preHolidayOf]?.[cal.preHoliday - 1] ?? 1) : 1;
  const weather = Math.max(0.3, 1 + f.tempPerDegree * (w.tempC - 20)) * (w.rainMm > 1 ? 1 + f.rain : 1);
  const season = 1 + f.season * Math.cos(((doy - 205) / 365) * 2 * Math.PI);
  const school = cal.schoolHoliday ? 1.04 : 1;
  const promoLift = promo > 0 ? Math.pow(1 - promo, -f.elasticity) : 1;
  return base * trend * dowFactor * holiday * pre * weather * season * school * promoLift;
}

export function generateStoreHistory(opts: HistoryOptions): StoreHistory {
  const rnd = createRandom(opts.seed);
  const from = opts.from ?? '2024-01-01';
  const n = opts.days ?? 731;
  const dayList = Array.from({ length: n }, (_, i) => addDays(from, i));
  const weather = weatherSeries(rnd, dayList);
  const calendar = dayList.map((d) => dayInfo(d));
  const stockoutRate = opts.stockoutRate ?? 0.05;
  const products: ProductHistory[] = [];
  for (const f of FAMILIES) {
    for (let p = 0; p < (opts.perFamily ?? 5); p++) {
      const base = f.base[0] + rnd.next() * (f.base[1] - f.base[0]);
      const price = Math.round((300 + rnd.next() * 2500) / 10) * 10;
      const product: HistoryProduct = {
        sku: `${f.id.toUpperCase()}-${String(p + 1).padStart(3, '0')}`,
        family: f.id,
        base: Math.round(base * 10) / 10,
        price,
        cost: Math.round(price * (1 - f.margin)),
        casePack: f.casePack,
        shelfLifeDays: f.shelfLifeDays,
      };
      // Slow drift of the product's popularity and of the community's group-buy interest.
      let drift = 0;
      let hot = 0;
      let promoLeft = 0;
      let promoDepth = 0;
      const days: HistoryDay[] = [];
      for (let i = 0; i < n; i++) {
        drift = 0.995 * drift + rnd.normal(0, 0.012);
        hot = 0.9 * hot + rnd.normal(0, 0.25);
        if (promoLeft === 0 && rnd.next() < 0.02) {
          promoLeft = rnd.int(2, 4);
          promoDepth = [0.1, 0.15, 0.2, 0.3][rnd.int(0, 3)]!;
        }
        const promo = promoLeft > 0 ? promoDepth : 0;
        if (promoLeft > 0) promoLeft--;
        const mu = meanDemand(f, base, calendar[i]!, weather[i]!, promo, Math.exp(drift));
        const demand = rnd.negBinomial(mu, f.dispersion);
        // Pre-orders: part of tomorrow's demand that the community group ordered in advance.
        const share = Math.min(0.9, f.groupBuy * Math.exp(hot) * 0.6);
        let groupBuy = 0;
        for (let u = 0; u < demand; u++) if (rnd.next() < share) groupBuy++;
        // Historic stock-outs: more likely on busy days, only for what the store ran out of.
        const busy = mu > base * 1.3 ? 2.5 : 1;
        const stockout = f.shelfLifeDays <= 10 && rnd.next() < stockoutRate * busy && demand > 2;
        const sales = stockout ? Math.max(groupBuy, Math.floor(demand * (0.45 + 0.45 * rnd.next()))) : demand;
        days.push({ day: dayList[i]!, demand, sales, stockout, promo, groupBuy });
      }
      products.push({ product, days });
    }
  }
  return { from, days: n, weather, calendar, products };
}
