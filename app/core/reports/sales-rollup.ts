// Sales rolled up per store-local day (pure, no I/O). A report over a range reads these rows
// instead of every sale: a sale belongs to exactly one day, so counts of distinct sales per day
// add up over days, and everything that depends on today's catalog (cost, category of a product)
// is kept per product and applied when the report is made. The facts path turns its sales into
// the same rows in memory, so both paths share one aggregation (salesFiguresFromRollup) and the
// rollup test can compare them figure for figure.
import type { SaleFact } from './report-facts';
import type { LocalClock } from './report-math';

export type RollupDim = 'day' | 'hour' | 'staff' | 'tender' | 'terminal' | 'category';

export interface RollupRow {
  day: string;
  dim: RollupDim;
  /** See migration 0021 for what the key is per dim. */
  key: string;
  /** '' for the sale-level row of a key, else the product. */
  sku: string;
  /** Distinct sales counted in this row. */
  tx: number;
  /** Items on lines sold by the piece (the line's unit). */
  items: number;
  /** Grams on weighed lines (the line's unit). */
  grams: number;
  /** Quantity over all lines and grams over all lines: the cost at read time needs both. */
  qty: number;
  wgrams: number;
  /** Sum of line totals (sku rows), sale totals ('day' '' row) or tender amounts ('tender'). */
  sales: number;
  discount: number;
  /** The smallest sale id seen, with that line's name ('day' sku rows: a product missing from the catalog keeps it). */
  firstSale: string;
  name: string;
}

const rowKey = (r: Pick<RollupRow, 'day' | 'dim' | 'key' | 'sku'>) =>
  `${r.day}\u0000${r.dim}\u0000${r.key}\u0000${r.sku}`;

function blank(day: string, dim: RollupDim, key: string, sku: string): RollupRow {
  return {
    day,
    dim,
    key,
    sku,
    tx: 0,
    items: 0,
    grams: 0,
    qty: 0,
    wgrams: 0,
    sales: 0,
    discount: 0,
    firstSale: '',
    name: '',
  };
}

/**
 * The rollup rows of `sales` (each counted once: the caller passes each sale fact once).
 * `categoryOf` is the catalog's category of a product now ('other' when unknown).
 */
export function rollupSales(sales: Iterable<SaleFact>, clock: LocalClock, categoryOf: (sku: string) => string) {
  const rows = new Map<string, RollupRow>();
  const row = (day: string, dim: RollupDim, key: string, sku: string): RollupRow => {
    const k = rowKey({ day, dim, key, sku });
    let r = rows.get(k);
    if (!r) {
      r = blank(day, dim, key, sku);
      rows.set(k, r);
    }
    return r;
  };
  for (const s of sales) {
    const day = clock.date(s.at);
    const hour = String(clock.hour(s.at)).padStart(2, '0');
    const sale = row(day, 'day', '', '');
    sale.tx++;
    sale.sales += s.total;
    sale.discount += s.discount;
    row(day, 'hour', hour, '').tx++;
    row(day, 'staff', s.cashierId, '').tx++;
    row(day, 'terminal', s.terminalId, '').tx++;
    const tenders = new Set<string>();
    for (const t of s.tenders) {
      const r = row(day, 'tender', t.key, '');
      r.sales += t.amount;
      if (!tenders.has(t.key)) r.tx++;
      tenders.add(t.key);
    }
    const counted = new Set<string>();
    for (const l of s.lines) {
      const category = categoryOf(l.sku);
      const targets = [
        row(day, 'day', category, l.sku),
        row(day, 'hour', hour, l.sku),
        row(day, 'staff', s.cashierId, l.sku),
      ];
      for (const r of targets) {
        if (l.unit === 'weighed') r.grams += l.weightGrams ?? 0;
        else r.items += l.quantity;
        r.qty += l.quantity;
        r.wgrams += l.weightGrams ?? 0;
        r.sales += l.total;
        const k = rowKey(r);
        if (!counted.has(k)) r.tx++;
        counted.add(k);
      }
      const first = targets[0]!;
      if (first.firstSale === '' || s.id < first.firstSale) {
        first.firstSale = s.id;
        first.name = l.name;
      }
      const cat = row(day, 'category', category, '');
      if (!counted.has(rowKey(cat))) cat.tx++;
      counted.add(rowKey(cat));
    }
  }
  return [...rows.values()];
}
