// Footfall-to-sales conversion for the back office (footfall.conversion). Entries and exits come
// from the door cameras' 15-minute interval facts (`ff` ops the edge agent replicates into this
// terminal's sync replica), transactions from the store's completed sales: the replicated `sale`
// facts of every terminal (sync on) plus this terminal's own `sales` table, counted once by sale
// id. Returns are not transactions. Hours are store-local: the till config's `timeZone` when it
// has one, else Asia/Shanghai.
import { PosError, type ConversionReport } from '../../contract';
import { readTillConfig } from '../config';
import type { CoreContext } from '../context';
import { storeScope } from '../../../sync/core';
import type { TerminalSync } from '../../../sync/terminal';
import {
  checkDate,
  dayFigures,
  DEFAULT_TIME_ZONE,
  isTimeZone,
  localDateOf,
  storeDay,
  uuidV7Keys,
  type FootfallInterval,
} from '../footfall-math';

/** The store's time zone: `timeZone` in the till config (an IANA name) when set and valid, else Asia/Shanghai. */
export function storeTimeZone(ctx: CoreContext): string {
  // A config mirrored from elsewhere (sync) is not validated by config.set, hence the check.
  const tz: unknown = readTillConfig(ctx.db, ctx.storeId, ctx.terminalId).timeZone;
  if (typeof tz === 'string' && tz.length > 0) {
    if (isTimeZone(tz)) return tz;
    ctx.logger.warn({ timeZone: tz }, 'till config timeZone is not a known IANA zone; using Asia/Shanghai');
  }
  return DEFAULT_TIME_ZONE;
}

const iso = (ms: number) => new Date(ms).toISOString();

function saleTime(body: Record<string, unknown> | null): number {
  const v = body?.['createdAt'];
  return typeof v === 'string' ? Date.parse(v) : NaN;
}

function footfallInterval(camera: string, start: string, body: unknown): FootfallInterval | null {
  const b = body as { end?: unknown; in?: unknown; out?: unknown } | null;
  const s = Date.parse(start);
  const e = typeof b?.end === 'string' ? Date.parse(b.end) : NaN;
  if (!Number.isFinite(s) || !Number.isFinite(e) || typeof b?.in !== 'number' || typeof b.out !== 'number') return null;
  return { camera, start: s, end: e, in: b.in, out: b.out };
}

export async function storeConversion(
  ctx: CoreContext,
  sync: TerminalSync | null,
  date?: string,
): Promise<ConversionReport> {
  const timeZone = storeTimeZone(ctx);
  const d = date ?? localDateOf(timeZone, ctx.clock().getTime());
  try {
    checkDate(d);
  } catch {
    throw new PosError('BAD_INPUT', { reason: 'bad-date', date: d });
  }
  const day = storeDay(timeZone, d);
  const scope = storeScope(ctx.storeId);

  // Transactions: sale id -> completion time. Own sales first, then every terminal's replicated facts.
  const sales = new Map<string, number>();
  const own = ctx.db
    .prepare('SELECT id, created_at FROM sales WHERE store_id = ? AND created_at >= ? AND created_at < ?')
    .all(ctx.storeId, iso(day.start), iso(day.end)) as Array<{ id: string; created_at: string }>;
  for (const r of own) sales.set(r.id, Date.parse(r.created_at));

  const intervals: FootfallInterval[] = [];
  let footfallAsOf: string | null = null;
  if (sync) {
    const storage = sync.outbox.storage;
    const facts = await storage.keyRange({ t: 'fact', scope, e: 'sale', ...uuidV7Keys(day.start, day.end) });
    for (const op of facts.ops) {
      if (sales.has(op.k)) continue;
      const at = saleTime(op.b as Record<string, unknown> | null);
      if (at >= day.start && at < day.end) sales.set(op.k, at);
    }
    const ff = await storage.keyRange({ t: 'ff', scope, fromKey: iso(day.start), toKey: iso(day.end) });
    for (const op of ff.ops) {
      const i = footfallInterval(op.e, op.k, op.b);
      if (i) intervals.push(i);
    }
    let newest = -Infinity;
    for (const op of ff.latest) {
      const i = footfallInterval(op.e, op.k, op.b);
      if (i && i.end > newest) newest = i.end;
    }
    if (Number.isFinite(newest)) footfallAsOf = iso(newest);
  }

  const fig = dayFigures(day, intervals, sales.values());
  return {
    storeId: ctx.storeId,
    date: d,
    timeZone,
    hours: fig.hours.map((h) => ({
      start: iso(h.start),
      label: h.label,
      entries: h.entries,
      exits: h.exits,
      transactions: h.transactions,
      conversion: h.conversion,
    })),
    totals: fig.totals,
    cameras: fig.cameras,
    footfallAsOf,
  };
}
