// Routing an online order to a store (智能分单), pure: stores in, assignment out. The rule
// (docs/orders.md, "Routing"):
//   1. candidates are the stores with coordinates within `maxKm` of the customer, nearest first,
//      but a store whose stock picture is stale (no device synced for `staleAfterS`) comes after
//      every fresh one, and must cover a line with a safety margin (`staleMarginPct`) on top;
//   2. the first candidate that can fill EVERY line gets the whole order;
//   3. otherwise the order is split: each line goes to the first candidate that can fill it;
//      lines no one can fill go to the nearest candidate and are flagged oversold;
//   4. no candidate at all: the order is refused (the mall offers delivery from elsewhere).

export interface RoutingStore {
  storeId: string;
  lat: number;
  lng: number;
  /** Seconds since the store last synced, null when it never did. */
  staleSeconds: number | null;
  /** Available (on hand − reserved) per SKU, items or grams. */
  available: Record<string, number>;
}

export interface RoutingLine {
  lineId: string;
  sku: string;
  qty: number;
}

export interface RoutingRules {
  maxKm: number;
  staleAfterS: number;
  staleMarginPct: number;
}

export const DEFAULT_ROUTING: RoutingRules = { maxKm: 10, staleAfterS: 600, staleMarginPct: 20 };

export interface RoutingResult {
  parts: { storeId: string; lineIds: string[]; km: number }[];
  oversold: string[];
  split: boolean;
}

/** Great-circle distance in km (haversine). */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function routeOrder(
  customer: { lat: number; lng: number },
  lines: RoutingLine[],
  stores: RoutingStore[],
  rules: RoutingRules = DEFAULT_ROUTING,
): RoutingResult | null {
  const stale = (s: RoutingStore) => s.staleSeconds === null || s.staleSeconds > rules.staleAfterS;
  const candidates = stores
    .map((s) => ({ s, km: distanceKm(customer, s) }))
    .filter((c) => c.km <= rules.maxKm)
    .sort((a, b) => Number(stale(a.s)) - Number(stale(b.s)) || a.km - b.km || (a.s.storeId < b.s.storeId ? -1 : 1));
  if (candidates.length === 0) return null;
  const fits = (s: RoutingStore, l: RoutingLine) => {
    const margin = stale(s) ? Math.ceil((l.qty * rules.staleMarginPct) / 100) : 0;
    return (s.available[l.sku] ?? 0) - margin >= l.qty;
  };
  const whole = candidates.find((c) => lines.every((l) => fits(c.s, l)));
  if (whole)
    return {
      parts: [{ storeId: whole.s.storeId, lineIds: lines.map((l) => l.lineId), km: whole.km }],
      oversold: [],
      split: false,
    };
  const nearest = [...candidates].sort((a, b) => a.km - b.km)[0]!;
  const byStore = new Map<string, { storeId: string; lineIds: string[]; km: number }>();
  const oversold: string[] = [];
  for (const l of lines) {
    const c = candidates.find((x) => fits(x.s, l)) ?? nearest;
    if (c === nearest && !fits(c.s, l)) oversold.push(l.sku);
    const part = byStore.get(c.s.storeId) ?? { storeId: c.s.storeId, lineIds: [], km: c.km };
    part.lineIds.push(l.lineId);
    byStore.set(c.s.storeId, part);
  }
  const parts = [...byStore.values()];
  return { parts, oversold, split: parts.length > 1 };
}
