// Pure aggregation of a store's facts into the back office's reports (no I/O). The same functions
// would serve the cloud: figures depend only on the facts and the catalog, never on which replica
// computes them. Money in fen (integers: costs are rounded per line); hours and days store-local.
import type { SalesGroupBy, SalesReportRow, SalesReportTotals, ShiftReport, WasteReportRow } from '../../contract';
import { conversionRate, zoneOffsetMinutes } from '../footfall-math';
import type { FootfallFact, ReturnFact, ShiftCloseFact, VoidFact, WasteFact } from './report-facts';
import type { RollupRow } from './sales-rollup';

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

/**
 * Cost of sold quantities at the product's cost now, in thousandths of a fen (exact: the unit cost
 * times items × 1000 or times grams), or null when the cost is unknown. Figures round to fen once,
 * per row and per total, not per line, so summing days or tills never drifts.
 */
function costMilli(entry: CatalogEntry | undefined, qty: number, wgrams: number): number | null {
  if (!entry || entry.cost === null) return null;
  return entry.unit === 'weighed' ? entry.cost * wgrams : entry.cost * qty * 1000;
}

const fen = (milli: number) => Math.round(milli / 1000);

/** The catalog's category of a product now ('other' when the product is unknown). */
export const categoryOf = (catalog: ReportCatalog) => (sku: string) => catalog.product(sku)?.category ?? 'other';

interface Acc {
  key: string;
  label: string;
  labelEn: string;
  tx: number;
  items: number;
  weightGrams: number;
  sales: number;
  returns: number;
  costMilli: number;
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
    tx: 0,
    items: 0,
    weightGrams: 0,
    sales: 0,
    returns: 0,
    costMilli: 0,
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

/**
 * The sales report's rows and totals from a range's rollup rows (sales-rollup.ts) and the
 * range's returns, voids and footfall. Transactions per group are distinct sales: per hour,
 * cashier and tender from the sale-level rows, per product and category from the rows that
 * counted each sale once per product / category and day.
 */
export function salesFiguresFromRollup(
  groupBy: SalesGroupBy,
  rollup: readonly RollupRow[],
  facts: { returns: ReturnFact[]; voids: VoidFact[]; footfall: FootfallFact[] },
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
  // A product missing from the catalog is labelled with the name on its earliest sold line.
  const firstName = new Map<string, { sale: string; name: string }>();
  if (groupBy === 'product')
    for (const r of rollup) {
      if (r.dim !== 'day' || r.sku === '' || r.firstSale === '') continue;
      const f = firstName.get(r.sku);
      if (!f || r.firstSale < f.sale) firstName.set(r.sku, { sale: r.firstSale, name: r.name });
    }
  const productGroup = (sku: string) =>
    group(sku, () => {
      const p = catalog.product(sku);
      const name = firstName.get(sku)?.name;
      return [p?.name ?? name ?? sku, p?.nameEn ?? name ?? sku];
    });
  const categoryGroup = (c: string) =>
    group(c, () => {
      const l = catalog.categoryLabel(c);
      return [l.zh, l.en];
    });
  const category = categoryOf(catalog);
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
  const addLines = (g: Acc, r: RollupRow, c: number | null) => {
    g.items += r.items;
    g.weightGrams += r.grams;
    g.sales += r.sales;
    if (c !== null) {
      g.costMilli += c;
      g.costedSales += r.sales;
      g.costKnown = true;
    }
  };

  for (const r of rollup) {
    const c = r.sku === '' ? null : costMilli(catalog.product(r.sku), r.qty, r.wgrams);
    if (r.dim === 'terminal' && r.tx > 0) terminals.add(r.key);
    if (r.dim === 'day') {
      if (r.sku === '') {
        t.transactions += r.tx;
        t.sales += r.sales;
        t.discount += r.discount;
        continue;
      }
      t.items += r.items;
      t.weightGrams += r.grams;
      lineSales += r.sales;
      if (c !== null) {
        cost += c;
        costedSales += r.sales;
      }
      if (groupBy === 'product') {
        const g = productGroup(r.sku);
        g.tx += r.tx;
        addLines(g, r, c);
      } else if (groupBy === 'category') addLines(categoryGroup(category(r.sku)), r, c);
    } else if (r.dim === 'category' && groupBy === 'category') categoryGroup(r.key).tx += r.tx;
    else if (r.dim === 'tender' && groupBy === 'tender') {
      const g = group(r.key, () => TENDER_LABELS[r.key] ?? [r.key, r.key]);
      g.tx += r.tx;
      g.sales += r.sales;
    } else if ((r.dim === 'hour' && groupBy === 'hour') || (r.dim === 'staff' && groupBy === 'staff')) {
      const g = r.dim === 'hour' ? group(`${r.key}:00`, () => ['', '']) : staffGroup(r.key);
      if (r.sku === '') g.tx += r.tx;
      else addLines(g, r, c);
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
        const g = groupBy === 'product' ? productGroup(l.sku) : categoryGroup(category(l.sku));
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
  const costFen = fen(cost);
  if (costedSales > 0 || costFen > 0) {
    t.cost = costFen;
    t.margin = costedSales - costFen;
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
      transactions: g.tx,
      items: g.items,
      weightGrams: g.weightGrams,
      sales: g.sales,
      returns: g.returns,
      net: g.sales - g.returns,
      cost: g.costKnown ? fen(g.costMilli) : null,
      margin: g.costKnown ? g.costedSales - fen(g.costMilli) : null,
      share: base > 0 ? g.sales / base : 0,
    };
    if (groupBy === 'hour') {
      row.entries = g.entries;
      row.conversion = conversionRate(g.tx, g.entries);
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
export function salesAtCost(rollup: readonly RollupRow[], catalog: ReportCatalog, category?: string): number | null {
  let total = 0;
  let known = false;
  for (const r of rollup) {
    if (r.dim !== 'day' || r.sku === '') continue;
    const p = catalog.product(r.sku);
    if (category !== undefined && (p?.category ?? 'other') !== category) continue;
    const c = costMilli(p, r.qty, r.wgrams);
    if (c !== null) {
      total += c;
      known = true;
    }
  }
  return known ? fen(total) : null;
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
