// Conversion per hour = transactions ÷ entries for one local business date, with the arithmetic
// the terminal core's footfall.conversion uses (app/core/footfall-math). Entries and
// exits come from the agent's own 15-minute door counts (all cameras; the 1-hour rows are not
// read, so nothing counts twice); transactions from the store's `sale` facts in the hub's replica
// when it holds any for that date, else from the hours supplied with PUT /transactions (stores
// whose tills do not sync).
import { dayFigures, storeDay, type FootfallInterval } from '../../app/core/footfall-math';
import type { AgentStore } from './agent-store';

export interface HourConversion {
  hour: number;
  start: string;
  label: string;
  entries: number;
  exits: number;
  transactions: number;
  conversion: number | null;
}
export interface DayConversion {
  date: string;
  source: 'sales-facts' | 'transactions-table' | 'none';
  hours: HourConversion[];
  entries: number;
  exits: number;
  transactions: number;
  conversion: number | null;
}

/** Reads completion times (ms) of the store's sales in [fromMs, toMs); undefined when sales are not synced here. */
export type SaleTimesReader = (fromMs: number, toMs: number) => Promise<number[] | undefined>;

export async function conversionForDate(
  store: AgentStore,
  date: string,
  offsetMinutes: number,
  readSales?: SaleTimesReader,
): Promise<DayConversion> {
  const day = storeDay({ offsetMinutes }, date); // RangeError on a bad date
  const intervals: FootfallInterval[] = store
    .intervals(day.start, day.end, '15m')
    .map((r) => ({ camera: r.camera, start: Date.parse(r.start), end: Date.parse(r.end), in: r.in, out: r.out }));
  let source: DayConversion['source'] = 'none';
  let times: number[] = [];
  const sales = readSales ? await readSales(day.start, day.end) : undefined;
  if (sales && sales.length > 0) {
    source = 'sales-facts';
    times = sales;
  } else {
    // Supplied counts are per local hour: stand for each with a time inside that hour.
    const table = store.transactions(date);
    if (table.size > 0) source = 'transactions-table';
    for (const [h, n] of table) {
      const hour = day.hours[h];
      if (hour) for (let i = 0; i < n; i++) times.push(hour.start);
    }
  }
  const fig = dayFigures(day, intervals, times);
  return {
    date,
    source,
    hours: fig.hours.map((h, hour) => ({
      hour,
      start: new Date(h.start).toISOString(),
      label: h.label,
      entries: h.entries,
      exits: h.exits,
      transactions: h.transactions,
      conversion: h.conversion,
    })),
    entries: fig.totals.entries,
    exits: fig.totals.exits,
    transactions: fig.totals.transactions,
    conversion: fig.totals.conversion,
  };
}
