// Conversion per hour = transactions ÷ entries for one local business date. Entries come from
// the door counts (1 h intervals, all cameras); transactions from synced sale facts when the hub
// has any for that date, else from the agent's supplied transactions_hourly table.
import type { AgentStore } from './agent-store';
import { conversionRate, localDayStart, localHour } from './intervals';

export interface HourConversion { hour: number; entries: number; exits: number; transactions: number; conversion: number | null }
export interface DayConversion { date: string; source: 'sales-facts' | 'transactions-table' | 'none'; hours: HourConversion[]; entries: number; transactions: number; conversion: number | null }

/** Reads sale times (ms) for a store from wherever sales are synced; undefined when unavailable. */
export type SaleTimesReader = (fromMs: number, toMs: number) => Promise<number[] | undefined>;

export async function conversionForDate(store: AgentStore, date: string, offsetMinutes: number, readSales?: SaleTimesReader): Promise<DayConversion> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw new RangeError(`date must be YYYY-MM-DD (got "${date}")`);
  const from = localDayStart(date, offsetMinutes);
  const to = from + 24 * 3600_000;
  const entries = new Array<number>(24).fill(0);
  const exits = new Array<number>(24).fill(0);
  for (const r of store.intervals(from, to, '1h')) {
    const h = localHour(Date.parse(r.start), offsetMinutes).hour;
    entries[h]! += r.in;
    exits[h]! += r.out;
  }
  const tx = new Array<number>(24).fill(0);
  let source: DayConversion['source'] = 'none';
  const sales = readSales ? await readSales(from, to) : undefined;
  if (sales && sales.length > 0) {
    source = 'sales-facts';
    for (const at of sales) tx[localHour(at, offsetMinutes).hour]!++;
  } else {
    const table = store.transactions(date);
    if (table.size > 0) source = 'transactions-table';
    for (const [h, n] of table) tx[h] = n;
  }
  const hours = entries.map((e, hour) => ({ hour, entries: e, exits: exits[hour]!, transactions: tx[hour]!, conversion: conversionRate(tx[hour]!, e) }));
  const totalIn = entries.reduce((a, b) => a + b, 0);
  const totalTx = tx.reduce((a, b) => a + b, 0);
  return { date, source, hours, entries: totalIn, transactions: totalTx, conversion: conversionRate(totalTx, totalIn) };
}
