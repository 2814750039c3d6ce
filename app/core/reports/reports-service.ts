// The back office's store-wide reports (reports.sales / reports.waste / reports.zHistory): store-local
// date ranges turned into instants, the store's facts read (report-facts.ts), the catalog and staff
// names looked up once, then the pure aggregation (report-math.ts).
import {
  PosError,
  type SalesGroupBy,
  type SalesReport,
  type StaffView,
  type WasteReport,
  type ZHistory,
} from '../../contract';
import type { CoreContext } from '../context';
import { storeTimeZone } from '../footfall';
import { checkDate, localDateOf, storeDay, withoutCovered } from '../footfall-math';
import { DEMO_CATEGORIES } from '../seed';
import type { TerminalSync } from '../../../sync/terminal';
import { readReportFacts, type FactNeed, type ReportFacts, type WasteFact } from './report-facts';
import {
  categoryOf,
  datesBetween,
  LocalClock,
  lossRate,
  overShortByCashier,
  salesAtCost,
  salesFiguresFromRollup,
  wasteRows,
  type CatalogEntry,
  type ReportCatalog,
} from './report-math';
import { daysWithCategory, readRollup, rebuildRollup, replaceDay, rollupState } from './rollup-store';
import { rollupSales, type RollupDim, type RollupRow } from './sales-rollup';

/** Longest range one report covers (a year and a day), so one request cannot read the whole history at once. */
export const MAX_REPORT_DAYS = 367;

export interface ReportRange {
  from?: string | undefined;
  to?: string | undefined;
}

interface Span {
  from: string;
  to: string;
  timeZone: string;
  start: number;
  end: number;
  dates: string[];
}

export function reportSpan(ctx: CoreContext, range: ReportRange): Span {
  const timeZone = storeTimeZone(ctx);
  const today = localDateOf(timeZone, ctx.clock().getTime());
  const from = range.from ?? range.to ?? today;
  const to = range.to ?? (range.from ? from : today);
  for (const d of [from, to])
    try {
      checkDate(d);
    } catch {
      throw new PosError('BAD_INPUT', { reason: 'bad-date', date: d });
    }
  if (to < from) throw new PosError('BAD_INPUT', { reason: 'range-reversed', from, to });
  const dates = datesBetween(from, to);
  if (dates.length > MAX_REPORT_DAYS)
    throw new PosError('BAD_INPUT', { reason: 'range-too-long', days: dates.length, max: MAX_REPORT_DAYS });
  return { from, to, timeZone, start: storeDay(timeZone, from).start, end: storeDay(timeZone, to).end, dates };
}

/** Whether products has a `cost` column (the stock-work migration adds one; until then cost is unknown). */
function costColumn(ctx: CoreContext): boolean {
  const cols = ctx.db.prepare('PRAGMA table_info(products)').all() as { name: string }[];
  return cols.some((c) => c.name === 'cost');
}

export function reportCatalog(ctx: CoreContext): ReportCatalog {
  const withCost = costColumn(ctx);
  const rows = ctx.db
    .prepare(`SELECT sku, name, name_en, category, unit${withCost ? ', cost' : ''} FROM products`)
    .all() as Array<{
    sku: string;
    name: string;
    name_en: string;
    category: string;
    unit: 'each' | 'weighed';
    cost?: number | null;
  }>;
  const products = new Map<string, CatalogEntry>();
  for (const r of rows)
    products.set(r.sku, {
      name: r.name,
      nameEn: r.name_en,
      category: r.category,
      unit: r.unit,
      cost: typeof r.cost === 'number' ? r.cost : null,
    });
  const staff = new Map(
    (ctx.db.prepare('SELECT id, name FROM staff').all() as { id: string; name: string }[]).map((s) => [s.id, s.name]),
  );
  const categories = new Map(DEMO_CATEGORIES.map((c) => [c.id, { zh: c.zh, en: c.en }]));
  return {
    product: (sku) => products.get(sku),
    categoryLabel: (c) => categories.get(c) ?? (c === 'other' ? { zh: '其他', en: 'Other' } : { zh: c, en: c }),
    staffName: (id) => staff.get(id) ?? null,
  };
}

function staffView(ctx: CoreContext, id: string): StaffView | null {
  const r = ctx.db.prepare('SELECT id, name, role FROM staff WHERE id = ?').get(id) as StaffView | undefined;
  return r ? { id: r.id, name: r.name, role: r.role } : null;
}

/**
 * How reports read sales: from the per-day rollup (default, with sync on) or from every sale
 * fact of the range (`rollups: false`, the reference path the rollup test compares against).
 */
export interface ReportOptions {
  rollups?: boolean;
}

/**
 * The range's facts without sales, and its sales as rollup rows: read from the rollup table
 * (rebuilt first when it was never built or the store's time zone changed; days whose products
 * changed category since are re-derived from their facts), or rolled up here from the facts.
 */
async function readSales(
  ctx: CoreContext,
  sync: TerminalSync | null,
  span: Span,
  need: FactNeed[],
  catalog: ReportCatalog,
  opts: ReportOptions,
  dims: readonly RollupDim[],
): Promise<{ facts: ReportFacts; rollup: RollupRow[]; dayCost: RollupRow[] }> {
  const clock = new LocalClock(span.timeZone);
  if (!sync || opts.rollups === false) {
    const facts = await readReportFacts(ctx, sync, span.start, span.end, [...need, 'sales']);
    const rollup = rollupSales(facts.sales, clock, categoryOf(catalog));
    const costed = (sku: string) => (catalog.product(sku)?.cost ?? null) !== null;
    return { facts, rollup, dayCost: rollup.filter((r) => r.dim === 'day' && r.sku !== '' && costed(r.sku)) };
  }
  let mark = performance.now();
  const facts = await readReportFacts(ctx, sync, span.start, span.end, need);
  ctx.timing?.('report_facts_ms', performance.now() - mark);
  const state = rollupState(ctx.db);
  if (!state || state.timeZone !== span.timeZone) {
    const started = Date.now();
    const sales = rebuildRollup(ctx.db, sync.outbox.storage, ctx.storeId, span.timeZone, ctx.clock());
    ctx.logger.info({ sales, ms: Date.now() - started, timeZone: span.timeZone }, 'report rollup rebuilt');
  }
  mark = performance.now();
  let rollup = readRollup(ctx.db, span.from, span.to, dims);
  ctx.timing?.('report_rollup_read_ms', performance.now() - mark);
  const category = categoryOf(catalog);
  const stale = new Set<string>();
  for (const r of rollup.rows)
    if (r.dim === 'day' && r.sku !== '' && r.key !== category(r.sku))
      for (const day of r.day ? [r.day] : daysWithCategory(ctx.db, span.from, span.to, r.sku, category(r.sku)))
        stale.add(day);
  if (stale.size) {
    for (const day of stale) {
      const d = storeDay(span.timeZone, day);
      const dayFacts = await readReportFacts(ctx, sync, d.start, d.end, ['sales']);
      replaceDay(ctx.db, day, dayFacts.sales, span.timeZone);
    }
    rollup = readRollup(ctx.db, span.from, span.to, dims);
  }
  return { facts, rollup: rollup.rows, dayCost: rollup.dayCost };
}

/** The rollup dims a sales report grouped by … reads (every report reads 'day' and 'terminal'). */
const GROUP_DIMS: Record<SalesGroupBy, RollupDim[]> = {
  hour: ['day', 'terminal', 'hour'],
  category: ['day', 'terminal', 'category'],
  product: ['day', 'terminal'],
  tender: ['day', 'terminal', 'tender'],
  staff: ['day', 'terminal', 'staff'],
};

function perDay(
  span: Span,
  clock: LocalClock,
  rollup: { rollup: RollupRow[]; dayCost: RollupRow[] },
  waste: WasteFact[],
  catalog: ReportCatalog,
) {
  const byDate = new Map(span.dates.map((d) => [d, { cost: [] as RollupRow[], sales: 0, transactions: 0, waste: 0 }]));
  for (const r of rollup.rollup) {
    const d = byDate.get(r.day);
    if (!d || r.dim !== 'day' || r.sku !== '') continue;
    d.sales += r.sales;
    d.transactions += r.tx;
  }
  for (const r of rollup.dayCost) byDate.get(r.day)?.cost.push(r);
  for (const w of waste) {
    const d = byDate.get(clock.date(w.at));
    if (d) d.waste += w.cost;
  }
  return span.dates.map((date) => {
    const d = byDate.get(date)!;
    const atCost = salesAtCost(d.cost, catalog);
    return {
      date,
      sales: d.sales,
      transactions: d.transactions,
      waste: d.waste,
      salesAtCost: atCost,
      lossRate: lossRate(d.waste, atCost),
    };
  });
}

export async function salesReport(
  ctx: CoreContext,
  sync: TerminalSync | null,
  input: ReportRange & { groupBy: SalesGroupBy },
  opts: ReportOptions = {},
): Promise<SalesReport> {
  const span = reportSpan(ctx, input);
  const catalog = reportCatalog(ctx);
  const read = await readSales(
    ctx,
    sync,
    span,
    ['returns', 'voids', 'waste', 'footfall'],
    catalog,
    opts,
    GROUP_DIMS[input.groupBy],
  );
  const { facts, rollup } = read;
  const clock = new LocalClock(span.timeZone);
  const footfall = withoutCovered(facts.footfall.map((f) => ({ ...f })));
  const fig = salesFiguresFromRollup(input.groupBy, rollup, { ...facts, footfall }, catalog, clock);
  return {
    storeId: ctx.storeId,
    from: span.from,
    to: span.to,
    timeZone: span.timeZone,
    groupBy: input.groupBy,
    rows: fig.rows,
    totals: fig.totals,
    days: perDay(span, clock, read, facts.waste, catalog).map(({ salesAtCost: _, ...d }) => d),
    terminals: fig.terminals,
    source: facts.source,
  };
}

export async function wasteReport(
  ctx: CoreContext,
  sync: TerminalSync | null,
  input: ReportRange,
  opts: ReportOptions = {},
): Promise<WasteReport> {
  const span = reportSpan(ctx, input);
  const catalog = reportCatalog(ctx);
  const read = await readSales(ctx, sync, span, ['waste'], catalog, opts, ['day']);
  const { facts, rollup } = read;
  const clock = new LocalClock(span.timeZone);
  const cost = facts.waste.reduce((a, w) => a + w.cost, 0);
  const atCost = salesAtCost(rollup, catalog);
  return {
    storeId: ctx.storeId,
    from: span.from,
    to: span.to,
    timeZone: span.timeZone,
    byReason: wasteRows(facts.waste, catalog, 'reason'),
    byCategory: wasteRows(facts.waste, catalog, 'category').map((r) => ({
      ...r,
      lossRate: lossRate(r.cost, salesAtCost(rollup, catalog, r.key)),
    })),
    totals: { movements: facts.waste.length, cost, salesAtCost: atCost, lossRate: lossRate(cost, atCost) },
    days: perDay(span, clock, read, facts.waste, catalog).map((d) => ({
      date: d.date,
      waste: d.waste,
      salesAtCost: d.salesAtCost,
      lossRate: d.lossRate,
    })),
    source: facts.source,
  };
}

export async function zHistory(ctx: CoreContext, sync: TerminalSync | null, input: ReportRange): Promise<ZHistory> {
  const span = reportSpan(ctx, input);
  const facts = await readReportFacts(ctx, sync, span.start, span.end, ['closes']);
  const closes = [...facts.closes].sort((a, b) => b.at - a.at || a.terminalId.localeCompare(b.terminalId));
  return {
    storeId: ctx.storeId,
    from: span.from,
    to: span.to,
    timeZone: span.timeZone,
    entries: closes.map((c) => ({
      shiftId: c.shiftId,
      terminalId: c.terminalId,
      staffId: c.staffId,
      staff: staffView(ctx, c.staffId),
      report: c.report,
    })),
    byCashier: overShortByCashier(closes).map((c) => ({ ...c, staff: staffView(ctx, c.staffId) })),
  };
}
