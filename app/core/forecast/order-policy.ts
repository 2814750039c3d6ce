// From a forecast to an order line.
//   suggested = forecast over (lead time + review period) + safety stock
//               − on hand − in transit − reserved, rounded up to case packs.
// Safety stock comes from how wrong the forecast was in the tuning window: the target stock is
// the forecast times the critical-ratio quantile of (actual ÷ forecast). The critical ratio is a
// newsvendor choice between a lost sale and waste: underage cost = margin (price − cost),
// overage cost = cost, spread over the product's shelf life (what is left tonight can still sell
// on the next days), Cu / (Cu + Co / shelfLife), never below the store's availability floor.

export interface ErrorProfile {
  /** Sorted ratios actual ÷ forecast from the tuning window. */
  ratios: number[];
}

export function ratioQuantile(profile: ErrorProfile, q: number): number {
  const r = profile.ratios;
  if (r.length === 0) return 1;
  const pos = Math.min(r.length - 1, Math.max(0, q * (r.length - 1)));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return r[lo]! + (r[hi]! - r[lo]!) * (pos - lo);
}

export interface PolicyCosts {
  /** Price in fen per unit. */
  price: number;
  /** Cost in fen per unit. */
  cost: number;
  shelfLifeDays: number;
}

/** Default availability floor: the store would rather sell out less than half of the days. */
export const DEFAULT_SERVICE_FLOOR = 0.6;
const SERVICE_CAP = 0.98;

export function criticalRatio(c: PolicyCosts, floor = DEFAULT_SERVICE_FLOOR): number {
  const under = Math.max(1, c.price - c.cost);
  const over = Math.max(1, c.cost) / Math.max(1, c.shelfLifeDays);
  return Math.min(SERVICE_CAP, Math.max(floor, under / (under + over)));
}

export interface OrderInput extends PolicyCosts {
  /** Forecast demand for each day the order must cover (lead time + review period). */
  forecast: number[];
  profile: ErrorProfile;
  onHand: number;
  inTransit: number;
  reserved: number;
  casePack: number;
  serviceFloor?: number;
  /** A manager's service level for this product: replaces the newsvendor ratio (kept within 0.5 … 0.98). */
  serviceLevel?: number | null;
}

export interface OrderSuggestion {
  /** Units to order (a multiple of the case pack, ≥ 0). */
  quantity: number;
  /** Stock the order aims for over the covered days. */
  target: number;
  /** Forecast total over the covered days. */
  forecastTotal: number;
  /** Target − forecast. */
  safety: number;
  criticalRatio: number;
}

export function suggestOrder(i: OrderInput): OrderSuggestion {
  const forecastTotal = i.forecast.reduce((a, b) => a + b, 0);
  const cr =
    i.serviceLevel !== undefined && i.serviceLevel !== null
      ? Math.min(SERVICE_CAP, Math.max(0.5, i.serviceLevel))
      : criticalRatio(i, i.serviceFloor);
  // Errors of a sum of days partly cancel: scale the single-day spread by 1/√days.
  const days = Math.max(1, i.forecast.length);
  const q = ratioQuantile(i.profile, cr);
  const target = forecastTotal * (1 + (q - 1) / Math.sqrt(days));
  const net = target - Math.max(0, i.onHand) - i.inTransit + i.reserved;
  const pack = Math.max(1, i.casePack);
  const quantity = net <= 0 ? 0 : Math.ceil(net / pack - 1e-9) * pack;
  return {
    quantity,
    target: Math.round(target * 10) / 10,
    forecastTotal: Math.round(forecastTotal * 10) / 10,
    safety: Math.round((target - forecastTotal) * 10) / 10,
    criticalRatio: Math.round(cr * 100) / 100,
  };
}
