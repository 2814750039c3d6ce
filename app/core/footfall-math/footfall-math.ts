// Pure footfall/conversion arithmetic shared by the terminal core (footfall.conversion) and the
// edge agent's own GET /conversion: the hours of a store-local day, footfall intervals summed
// into those hours without counting an hour fact and its quarters twice, transactions bucketed
// by hour, and conversion = transactions ÷ entries. No I/O, no clock.

/** An IANA zone ('Asia/Shanghai') or a fixed offset east of UTC in minutes (the agent's config). */
export type StoreZone = string | { offsetMinutes: number };

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
const HOUR = 3_600_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Offset of the zone from UTC at instant `ms`, in minutes (east positive). */
export function zoneOffsetMinutes(zone: StoreZone, ms: number): number {
  if (typeof zone !== 'string') return zone.offsetMinutes;
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(ms)))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']!, p['minute']!, p['second']!);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** Local wall-clock fields of an instant. */
function local(zone: StoreZone, ms: number): { date: string; hh: string; mm: string } {
  const iso = new Date(ms + zoneOffsetMinutes(zone, ms) * 60_000).toISOString();
  return { date: iso.slice(0, 10), hh: iso.slice(11, 13), mm: iso.slice(14, 16) };
}

/** The store-local calendar date (YYYY-MM-DD) of an instant. */
export function localDateOf(zone: StoreZone, ms: number): string {
  return local(zone, ms).date;
}

/** Throws a RangeError unless `date` is a real calendar date written YYYY-MM-DD. */
export function checkDate(date: string): void {
  const m = DATE_RE.exec(date);
  const ok =
    !!m && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === date;
  if (!ok) throw new RangeError(`date must be YYYY-MM-DD (got "${date}")`);
}

/** UTC instant of local midnight at the start of `date` in the zone. */
export function localMidnight(zone: StoreZone, date: string): number {
  checkDate(date);
  const wall = Date.parse(`${date}T00:00:00Z`);
  // Two passes settle the offset across a DST change (the offset at the guess may differ).
  let guess = wall - zoneOffsetMinutes(zone, wall) * 60_000;
  guess = wall - zoneOffsetMinutes(zone, guess) * 60_000;
  return guess;
}

export interface DayHour {
  /** UTC start (ms); hours are consecutive and an hour long. */
  start: number;
  /** Local label, '09:00'. */
  label: string;
}

export interface StoreDay {
  date: string;
  start: number;
  end: number;
  hours: DayHour[];
}

/** The hours of a store-local day: 24, or 23/25 on a DST change day. */
export function storeDay(zone: StoreZone, date: string): StoreDay {
  const start = localMidnight(zone, date);
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 24 * HOUR).toISOString().slice(0, 10);
  const end = localMidnight(zone, next);
  const hours: DayHour[] = [];
  for (let t = start; t < end; t += HOUR) {
    const l = local(zone, t);
    hours.push({ start: t, label: `${l.hh}:${l.mm}` });
  }
  return { date, start, end, hours };
}

/** A footfall interval fact: one camera, [start, end), people in and out. */
export interface FootfallInterval {
  camera: string;
  start: number;
  end: number;
  in: number;
  out: number;
}

/**
 * Drops intervals that lie wholly inside a longer interval of the same camera: an hour fact
 * already contains its quarters, so summing both would count people twice. (Replicated `ff`
 * ops are quarters; an hour fact only shows up if some producer publishes hours.)
 */
export function withoutCovered(intervals: FootfallInterval[]): FootfallInterval[] {
  const byCamera = new Map<string, FootfallInterval[]>();
  for (const i of intervals) {
    if (!(i.end > i.start)) continue;
    const list = byCamera.get(i.camera) ?? [];
    list.push(i);
    byCamera.set(i.camera, list);
  }
  const out: FootfallInterval[] = [];
  for (const list of byCamera.values()) {
    // Longest first, so a covering interval is kept before what it covers.
    const sorted = [...list].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
    const kept: FootfallInterval[] = [];
    for (const i of sorted) {
      if (kept.some((k) => k.start <= i.start && i.end <= k.end)) continue;
      kept.push(i);
    }
    out.push(...kept);
  }
  return out.sort((a, b) => a.start - b.start || (a.camera < b.camera ? -1 : a.camera > b.camera ? 1 : 0));
}

/** Conversion = transactions ÷ entries, 4 decimals; null when nobody came in (no division by zero). */
export function conversionRate(transactions: number, entries: number): number | null {
  if (entries <= 0) return null;
  return Math.round((transactions / entries) * 10_000) / 10_000;
}

export interface HourFigures {
  start: number;
  label: string;
  entries: number;
  exits: number;
  transactions: number;
  conversion: number | null;
}
export interface DayFigures {
  hours: HourFigures[];
  totals: { entries: number; exits: number; transactions: number; conversion: number | null };
  /** Cameras with at least one interval in the day, sorted. */
  cameras: string[];
}

function hourIndex(day: StoreDay, at: number): number {
  if (!(at >= day.start && at < day.end)) return -1;
  return Math.min(day.hours.length - 1, Math.floor((at - day.start) / HOUR));
}

/**
 * Hour-by-hour figures of a store day: each interval counts in the local hour its start falls
 * in (quarters align with local hours in every zone offset by a multiple of 15 minutes), each
 * transaction time in the hour it falls in; entries and exits are summed over all cameras.
 */
export function dayFigures(
  day: StoreDay,
  intervals: FootfallInterval[],
  transactionTimes: Iterable<number>,
): DayFigures {
  const hours: HourFigures[] = day.hours.map((h) => ({
    start: h.start,
    label: h.label,
    entries: 0,
    exits: 0,
    transactions: 0,
    conversion: null,
  }));
  const cameras = new Set<string>();
  for (const i of withoutCovered(intervals)) {
    const h = hourIndex(day, i.start);
    if (h < 0) continue;
    hours[h]!.entries += i.in;
    hours[h]!.exits += i.out;
    cameras.add(i.camera);
  }
  for (const at of transactionTimes) {
    const h = hourIndex(day, at);
    if (h >= 0) hours[h]!.transactions++;
  }
  for (const h of hours) h.conversion = conversionRate(h.transactions, h.entries);
  const entries = hours.reduce((a, h) => a + h.entries, 0);
  const exits = hours.reduce((a, h) => a + h.exits, 0);
  const transactions = hours.reduce((a, h) => a + h.transactions, 0);
  return {
    hours,
    totals: { entries, exits, transactions, conversion: conversionRate(transactions, entries) },
    cameras: [...cameras].sort(),
  };
}

/**
 * Keys of facts with uuid v7 ids that may have completed during [from, to): ids minted from a day
 * before `from` (a payment mints its id before the sale commits) to `aheadMs` after `to`, because
 * a process whose clock stepped back keeps minting ids at its last (later) millisecond until the
 * clock catches up. Callers filter by the fact's own completion time. A sale whose id is more than
 * `aheadMs` ahead of its time (a clock stepped back further while the till ran) is not seen.
 */
export function uuidV7Keys(from: number, to: number, aheadMs = 7 * 24 * HOUR): { fromKey: string; toKey: string } {
  const key = (ms: number) => {
    const h = Math.max(0, Math.min(2 ** 48 - 1, ms))
      .toString(16)
      .padStart(12, '0');
    return `${h.slice(0, 8)}-${h.slice(8)}`;
  };
  return { fromKey: key(from - 24 * HOUR), toKey: key(to + aheadMs) };
}
