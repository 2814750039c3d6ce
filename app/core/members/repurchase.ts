// Usual items and the "repurchase due" hint (复购提醒), the first, explainable piece of the
// store assistant: an item is usual once the member bought it on two visits; its typical
// interval is the median gap between visits that bought it (needs three); it is due when at
// least that many days have passed since the last one. Pure: purchases in, hints out.

export interface Purchase {
  saleId: string;
  sku: string;
  name: string;
  nameEn: string;
  at: string;
}

export interface UsualItem {
  sku: string;
  name: string;
  nameEn: string;
  times: number;
  lastBoughtAt: string;
  intervalDays: number | null;
}

const DAY = 86_400_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The member's usual items (most visits first, at most `limit`). */
export function usualItems(purchases: readonly Purchase[], limit = 5): UsualItem[] {
  const bySku = new Map<string, { p: Purchase; sales: Map<string, number> }>();
  for (const p of purchases) {
    const cur = bySku.get(p.sku) ?? { p, sales: new Map<string, number>() };
    cur.sales.set(p.saleId, Date.parse(p.at));
    if (p.at > cur.p.at) cur.p = p;
    bySku.set(p.sku, cur);
  }
  const out: UsualItem[] = [];
  for (const [sku, { p, sales }] of bySku) {
    if (sales.size < 2) continue;
    const times = [...sales.values()].sort((a, b) => a - b);
    const gaps = times.slice(1).map((t, i) => (t - times[i]!) / DAY);
    out.push({
      sku,
      name: p.name,
      nameEn: p.nameEn,
      times: sales.size,
      lastBoughtAt: new Date(times[times.length - 1]!).toISOString(),
      intervalDays: gaps.length >= 2 ? Math.max(1, Math.round(median(gaps))) : null,
    });
  }
  return out
    .sort((a, b) => b.times - a.times || (a.lastBoughtAt < b.lastBoughtAt ? 1 : -1) || (a.sku < b.sku ? -1 : 1))
    .slice(0, limit);
}

/** Usual items whose typical interval has passed by `now`. */
export function repurchaseDue(
  items: readonly UsualItem[],
  now: Date,
): { sku: string; name: string; nameEn: string; intervalDays: number; daysSince: number }[] {
  const out = [];
  for (const i of items) {
    if (i.intervalDays === null) continue;
    const daysSince = Math.floor((now.getTime() - Date.parse(i.lastBoughtAt)) / DAY);
    if (daysSince >= i.intervalDays)
      out.push({ sku: i.sku, name: i.name, nameEn: i.nameEn, intervalDays: i.intervalDays, daysSince });
  }
  return out;
}
