// Pure aggregation of a store's facts into the back office's reports (no I/O). The same functions
// would serve the cloud: figures depend only on the facts and the catalog, never on which replica
// computes them. Money in fen (integers: costs are rounded per line); hours and days store-local.
import type { SalesGroupBy, SalesReportRow, SalesReportTotals, ShiftReport, WasteReportRow } from '../../contract';
import { conversionRate, zoneOffsetMinutes } from '../footfall-math';
import type { FootfallFact, ReturnFact, SaleFact, ShiftCloseFact, VoidFact, WasteFact } from './report-facts';

export interface CatalogEntry {
  name: string;
  nameEn: string;
  category: string;
  unit: 'each' | 'weighed';
  /** Cost in fen per item, or per kg for weighed products (the unit the price is in); null when unknown. */
  cost: number | null;
}

export interface ReportCatalog {
  product(sku: string): CatalogEntry | undefined;
  categoryLabel(category: string): { zh: string; en: string };
  staffName(id: string): string | null;
}

const HOUR = 3_600_000;

/** Store-local hour (0–23) and date of instants; caches the zone offset per UTC hour (reports touch many sales). */
export class LocalClock {
  private readonly offsets = new Map<number, number>();
  constructor(readonly timeZone: string) {}
  private local(ms: number): Date {
    const h = Math.floor(ms / HOUR);
    let off = this.offsets.get(h);
    if (off === undefined) {
      off = zoneOffsetMinutes(this.timeZone, h * HOUR);
      this.offsets.set(h, off);
    }
    return new Date(ms + off * 60_000);
  }
  hour(ms: number): number {
    return this.local(ms).getUTCHours();
  }
  date(ms: number): string {
    return this.local(ms).toISOString().slice(0, 10);
  }
}

/** Cost of a sold line at the product's cost, or null when the cost is unknown. */
export function lineCost(entry: CatalogEntry | undefined, quantity: number, weightGrams: number | null): number | null {
  if (!entry || entry.cost === null) return null;
  return entry.unit === 'weighed' ? Math.round((entry.cost * (weightGrams ?? 0)) / 1000) : entry.cost * quantity;
}

interface Acc {
  key: string;
  label: string;
  labelEn: string;
  tx: Set<string>;
  items: number;
  weightGrams: number;
  sales: number;
  returns: number;
  cost: number;
  costedSales: number;
  costKnown: boolean;
  entries: number;
  voids: number;
  voidAmount: number;
}

function acc(key: string, label: string, labelEn: string): Acc {
  return {
    key,
    label,
    labelEn,
    tx: new Set(),
    items: 0,
    weightGrams: 0,
    sales: 0,
    returns: 0,
    cost: 0,
    costedSales: 0,
    costKnown: false,
    entries: 0,
    voids: 0,
    voidAmount: 0,
  };
}

export interface SalesFigures {
  rows: SalesReportRow[];
  totals: SalesReportTotals;
  terminals: string[];
}

const TENDER_LABELS: Record<string, [string, string]> = {
  cash: ['现金', 'Cash'],
  card: ['银行卡', 'Card'],
  wechat: ['微信支付', 'WeChat Pay'],
  alipay: ['支付宝', 'Alipay'],
  payment_code: ['付款码', 'Payment code'],
};

export function salesFigures(
  groupBy: SalesGroupBy,
  facts: { sales: SaleFact[]; returns: ReturnFact[]; voids: VoidFact[]; footfall: FootfallFact[] },
  catalog: ReportCatalog,
  clock: LocalClock,
): SalesFigures {
  const groups = new Map<string, Acc>();
  const group = (key: string, label: () => [string, string]): Acc => {
    let g = groups.get(key);
    if (!g) {
      const [zh, en] = label();
      g = acc(key, zh, en);
      groups.set(key, g);
    }
    return g;
  };
  const hourKey = (h: number) => `${String(h).padStart(2, '0')}:00`;
  const productGroup = (sku: string, name?: string) =>
    group(sku, () => {
      const p = catalog.product(sku);
      return [p?.name ?? name ?? sku, p?.nameEn ?? name ?? sku];
    });
  const categoryGroup = (sku: string) => {
    const c = catalog.product(sku)?.category ?? 'other';
    return group(c, () => {
      const l = catalog.categoryLabel(c);
      return [l.zh, l.en];
    });
  };
  const staffGroup = (id: string) =>
    group(id, () => {
      const n = catalog.staffName(id) ?? id;
      return [n, n];
    });
  if (groupBy === 'hour') for (let h = 0; h < 24; h++) group(hourKey(h), () => [hourKey(h), hourKey(h)]);

  const t: SalesReportTotals = {
    transactions: 0,
    items: 0,
    weightGrams: 0,
    sales: 0,
    discount: 0,
    returnsCount: 0,
    returns: 0,
    net: 0,
    averageBasket: null,
    cost: null,
    margin: null,
    marginRate: null,
    costCoverage: 0,
    voids: 0,
    voidAmount: 0,
    entries: 0,
    conversion: null,
  };
  let lineSales = 0;
  let costedSales = 0;
  let cost = 0;
  const terminals = new Set<string>();

  for (const s of facts.sales) {
    terminals.add(s.terminalId);
    t.transactions++;
    t.sales += s.total;
    t.discount += s.discount;
    if (groupBy === 'tender') {
      for (const x of s.tenders) {
        const g = group(x.key, () => TENDER_LABELS[x.key] ?? [x.key, x.key]);
        g.tx.add(s.id);
        g.sales += x.amount;
      }
    }
    if (groupBy === 'staff') {
      const g = staffGroup(s.cashierId);
      g.tx.add(s.id);
    }
    if (groupBy === 'hour') group(hourKey(clock.hour(s.at)), () => ['', '']).tx.add(s.id);
    for (const l of s.lines) {
      const c = lineCost(catalog.product(l.sku), l.quantity, l.weightGrams);
      const weighed = l.unit === 'weighed';
      if (weighed) t.weightGrams += l.weightGrams ?? 0;
      else t.items += l.quantity;
      lineSales += l.total;
      if (c !== null) {
        cost += c;
        costedSales += l.total;
      }
      let g: Acc | null = null;
      if (groupBy === 'product') g = productGroup(l.sku, l.name);
      else if (groupBy === 'category') g = categoryGroup(l.sku);
      else if (groupBy === 'staff') g = staffGroup(s.cashierId);
      else if (groupBy === 'hour') g = group(hourKey(clock.hour(s.at)), () => ['', '']);
      if (!g) continue;
      g.tx.add(s.id);
      if (weighed) g.weightGrams += l.weightGrams ?? 0;
      else g.items += l.quantity;
      g.sales += l.total;
      if (c !== null) {
        g.cost += c;
        g.costedSales += l.total;
        g.costKnown = true;
      }
    }
  }
  for (const r of facts.returns) {
    t.returnsCount++;
    t.returns += r.amount;
    if (groupBy === 'staff') staffGroup(r.staffId).returns += r.amount;
    else if (groupBy === 'hour') group(hourKey(clock.hour(r.at)), () => ['', '']).returns += r.amount;
    else if (groupBy === 'tender')
      continue; // refunds go back by the sale's tenders; the return fact's tenders are not split here
    else
      for (const l of r.lines) {
        const g = groupBy === 'product' ? productGroup(l.sku) : categoryGroup(l.sku);
        g.returns += l.amount;
      }
  }
  for (const v of facts.voids) {
    t.voids++;
    t.voidAmount += v.total;
    if (groupBy === 'staff') {
      const g = staffGroup(v.staffId);
      g.voids++;
      g.voidAmount += v.total;
    }
  }
  for (const f of facts.footfall) {
    t.entries += f.in;
    if (groupBy === 'hour') group(hourKey(clock.hour(f.start)), () => ['', '']).entries += f.in;
  }

  t.net = t.sales - t.returns;
  t.averageBasket = t.transactions > 0 ? Math.round(t.sales / t.transactions) : null;
  if (costedSales > 0 || cost > 0) {
    t.cost = cost;
    t.margin = costedSales - cost;
    t.marginRate = costedSales > 0 ? t.margin / costedSales : null;
  }
  t.costCoverage = lineSales > 0 ? costedSales / lineSales : 0;
  t.conversion = conversionRate(t.transactions, t.entries);

  const base = groupBy === 'tender' ? t.sales : lineSales;
  const rows: SalesReportRow[] = [...groups.values()].map((g) => {
    const row: SalesReportRow = {
      key: g.key,
      label: g.label,
      labelEn: g.labelEn,
      transactions: g.tx.size,
      items: g.items,
      weightGrams: g.weightGrams,
      sales: g.sales,
      returns: g.returns,
      net: g.sales - g.returns,
      cost: g.costKnown ? g.cost : null,
      margin: g.costKnown ? g.costedSales - g.cost : null,
      share: base > 0 ? g.sales / base : 0,
    };
    if (groupBy === 'hour') {
      row.entries = g.entries;
      row.conversion = conversionRate(g.tx.size, g.entries);
    }
    if (groupBy === 'staff') {
      row.voids = g.voids;
      row.voidAmount = g.voidAmount;
    }
    return row;
  });
  // Hours in clock order; everything else best seller first (the slow sellers are the tail).
  if (groupBy !== 'hour') rows.sort((a, b) => b.sales - a.sales || a.key.localeCompare(b.key));
  return { rows, totals: t, terminals: [...terminals].sort() };
}

/** Cost of the sold lines whose cost is known (null when none is): the loss rate's denominator. */
export function salesAtCost(sales: SaleFact[], catalog: ReportCatalog, category?: string): number | null {
  let total = 0;
  let known = false;
  for (const s of sales)
    for (const l of s.lines) {
      const p = catalog.product(l.sku);
      if (category !== undefined && (p?.category ?? 'other') !== category) continue;
      const c = lineCost(p, l.quantity, l.weightGrams);
      if (c !== null) {
        total += c;
        known = true;
      }
    }
  return known ? total : null;
}

export const lossRate = (waste: number, atCost: number | null): number | null =>
  atCost !== null && atCost > 0 ? waste / atCost : null;

export const WASTE_REASONS: Record<string, [string, string]> = {
  spoiled: ['变质', 'Spoiled'],
  expired: ['过期', 'Expired'],
  damaged: ['破损', 'Damaged'],
  tasting: ['试吃', 'Tasting'],
  processing: ['加工损耗', 'Processing loss'],
  theft: ['盗损', 'Theft'],
};

export function wasteRows(waste: WasteFact[], catalog: ReportCatalog, by: 'reason' | 'category'): WasteReportRow[] {
  const groups = new Map<string, WasteReportRow>();
  for (const w of waste) {
    const p = catalog.product(w.sku);
    const key = by === 'reason' ? w.reason : (p?.category ?? 'other');
    let g = groups.get(key);
    if (!g) {
      const [zh, en] =
        by === 'reason' ? (WASTE_REASONS[key] ?? [key, key]) : ((l) => [l.zh, l.en])(catalog.categoryLabel(key));
      g = { key, label: zh, labelEn: en, movements: 0, items: 0, weightGrams: 0, cost: 0 };
      groups.set(key, g);
    }
    g.movements++;
    if (p?.unit === 'weighed') g.weightGrams += w.quantity;
    else g.items += w.quantity;
    g.cost += w.cost;
  }
  return [...groups.values()].sort((a, b) => b.cost - a.cost || a.key.localeCompare(b.key));
}

export interface CashierOverShort {
  staffId: string;
  shifts: number;
  overShort: number;
}

/** Cash over (+) / short (−) summed per cashier who closed the shift. */
export function overShortByCashier(closes: ShiftCloseFact[]): CashierOverShort[] {
  const m = new Map<string, CashierOverShort>();
  for (const c of closes) {
    const r: ShiftReport = c.report;
    const g = m.get(c.staffId) ?? { staffId: c.staffId, shifts: 0, overShort: 0 };
    g.shifts++;
    g.overShort += typeof r.overShort === 'number' ? r.overShort : 0;
    m.set(c.staffId, g);
  }
  return [...m.values()].sort((a, b) => a.overShort - b.overShort || a.staffId.localeCompare(b.staffId));
}

/** Store-local dates from `from` to `to` inclusive (YYYY-MM-DD). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 24 * HOUR)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
