// A rule set worked out once, not on every cart: the rules in priority order, their windows as
// numbers (instants parsed, hours in minutes), and indexes from SKU / category / brand to the rules
// that target them, one per family (line rules, multi-item rules, 满减). A cart pass then asks
// only the rules that can touch each line, in priority order, without sorting or parsing.
//
// The cache is keyed by the rules array the caller passes (the till keeps one array per version
// of its rules table, app/core/price-rules/price-rule-store.ts) and checked element by element,
// so an array changed in place, or a different array, is compiled afresh. Rules are immutable
// values (zod output); a rule object changed in place is not noticed.
import type { PriceRule } from './rule';
import { localTime, type LocalTime } from './rule-window';
import type { PricingMember } from './price-cart';

export interface CompiledRule {
  rule: PriceRule;
  /** Position in priority order (higher priority first, then lower id; stable). */
  rank: number;
  exclusive: boolean;
  /** What a line rule does, as numbers (read on every line of every cart): LINE_PERCENT with
   * `amount` = percent off, LINE_FIXED with `amount` = the price, LINE_MEMBER with `prices` per
   * level; LINE_NONE for the other kinds. */
  lineKind: number;
  amount: number;
  prices: Readonly<Record<string, number>> | null;
  /** Multi-item rules: the same number for rules that do the same to a cart's items (same kind,
   * n and percent, or same buy, get and gift SKU), so whole-cart rules share one computation;
   * -1 for the other kinds. */
  multiKey: number;
  fromMs: number;
  toMs: number;
  /** Daily hours in minutes since local midnight; null = all day. */
  hoursStart: number;
  hoursEnd: number;
  hasHours: boolean;
  weekdays: readonly number[] | null;
  dates: readonly string[] | null;
  monthDays: readonly number[] | null;
  skus: Set<string> | null;
  categories: Set<string> | null;
  brands: Set<string> | null;
}

/** Rules of one family by what they target; each list is in priority order. */
export interface RuleIndex {
  /** Rules with no target: every line. */
  all: CompiledRule[];
  bySku: Map<string, CompiledRule[]>;
  byCategory: Map<string, CompiledRule[]>;
  byBrand: Map<string, CompiledRule[]>;
}

export interface CompiledRules {
  source: readonly PriceRule[];
  sorted: CompiledRule[];
  /** percent, fixed_price, member_price. */
  line: RuleIndex;
  /** nth_item, multi_buy, gift. */
  multi: RuleIndex;
  /** threshold (满减). */
  threshold: RuleIndex;
  /** Every 满减 rule, in priority order. */
  thresholds: CompiledRule[];
  /** How many distinct `multiKey`s there are. */
  multiKeys: number;
  /** Minutes (ms / 60,000) in which some rule's `from` or `to` falls after the minute's start. */
  splitMinutes: Set<number>;
  /** The open flags last worked out, for the next call in the same minute with the same member. */
  lastOpen: { key: string; flags: Uint8Array } | null;
}

export const LINE_NONE = 0;
export const LINE_PERCENT = 1;
export const LINE_FIXED = 2;
export const LINE_MEMBER = 3;

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const setOf = (a: readonly string[] | undefined) => (a && a.length > 0 ? new Set(a) : null);
const nonEmpty = <T>(a: readonly T[] | undefined): readonly T[] | null => (a && a.length > 0 ? a : null);

export const byPriority = (a: PriceRule, b: PriceRule): number =>
  a.priority !== b.priority ? b.priority - a.priority : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

function emptyIndex(): RuleIndex {
  return { all: [], bySku: new Map(), byCategory: new Map(), byBrand: new Map() };
}

function put(m: Map<string, CompiledRule[]>, k: string, r: CompiledRule): void {
  const xs = m.get(k);
  if (xs) {
    if (xs[xs.length - 1] !== r) xs.push(r); // a rule listing one key twice is indexed once
  } else m.set(k, [r]);
}

/** Rules that do the same to every line's items compute the same fen: key for sharing that work. */
function multiKeyOf(e: PriceRule['effect']): string | null {
  if (e.type === 'nth_item') return `n:${e.n}:${e.percentOff}`;
  if (e.type === 'multi_buy') return `m:${e.n}:${e.percentOff}`;
  if (e.type === 'gift') return `g:${e.buy}:${e.get}:${e.giftSku}`;
  return null;
}

function compile(rules: readonly PriceRule[]): CompiledRules {
  const multiKeys = new Map<string, number>();
  const keyNumber = (k: string | null): number => {
    if (k === null) return -1;
    let n = multiKeys.get(k);
    if (n === undefined) multiKeys.set(k, (n = multiKeys.size));
    return n;
  };
  const sorted = [...rules].sort(byPriority).map((rule, rank): CompiledRule => {
    const w = rule.window;
    const e = rule.effect;
    return {
      rule,
      rank,
      exclusive: rule.stacking === 'exclusive',
      lineKind:
        e.type === 'percent'
          ? LINE_PERCENT
          : e.type === 'fixed_price'
            ? LINE_FIXED
            : e.type === 'member_price'
              ? LINE_MEMBER
              : LINE_NONE,
      amount: e.type === 'percent' ? e.percentOff : e.type === 'fixed_price' ? e.price : 0,
      prices: e.type === 'member_price' ? e.prices : null,
      multiKey: keyNumber(multiKeyOf(e)),
      // NaN (no bound) compares false both ways, as the window check on the strings did.
      fromMs: w.from !== undefined ? Date.parse(w.from) : NaN,
      toMs: w.to !== undefined ? Date.parse(w.to) : NaN,
      hasHours: !!w.hours,
      hoursStart: w.hours ? minutesOf(w.hours.start) : 0,
      hoursEnd: w.hours ? minutesOf(w.hours.end) : 0,
      weekdays: nonEmpty(w.weekdays),
      dates: nonEmpty(w.dates),
      monthDays: nonEmpty(w.monthDays),
      skus: setOf(rule.target.skus),
      categories: setOf(rule.target.categories),
      brands: setOf(rule.target.brands),
    };
  });
  const line = emptyIndex();
  const multi = emptyIndex();
  const threshold = emptyIndex();
  for (const c of sorted) {
    const t = c.rule.effect.type;
    const ix = t === 'threshold' ? threshold : t === 'nth_item' || t === 'multi_buy' || t === 'gift' ? multi : line;
    if (!c.skus && !c.categories && !c.brands) {
      ix.all.push(c);
      continue;
    }
    for (const k of c.skus ?? []) put(ix.bySku, k, c);
    for (const k of c.categories ?? []) put(ix.byCategory, k, c);
    for (const k of c.brands ?? []) put(ix.byBrand, k, c);
  }
  const splitMinutes = new Set<number>();
  for (const r of sorted)
    for (const b of [r.fromMs, r.toMs])
      if (Number.isFinite(b) && b % 60_000 !== 0) splitMinutes.add(Math.floor(b / 60_000));
  return {
    source: rules.slice(),
    sorted,
    line,
    multi,
    threshold,
    thresholds: sorted.filter((r) => r.rule.effect.type === 'threshold'),
    multiKeys: multiKeys.size,
    splitMinutes,
    lastOpen: null,
  };
}

const cache = new WeakMap<readonly PriceRule[], CompiledRules>();

/** The compiled form of a rule set, from the cache when the same rules were compiled before. */
export function compiledRules(rules: readonly PriceRule[]): CompiledRules {
  const hit = cache.get(rules);
  if (hit && hit.source.length === rules.length && hit.source.every((r, i) => r === rules[i])) return hit;
  const c = compile(rules);
  cache.set(rules, c);
  return c;
}

function previousDay(date: string): { date: string; weekday: number } {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  const dow = d.getUTCDay();
  return { date: d.toISOString().slice(0, 10), weekday: dow === 0 ? 7 : dow };
}

/**
 * Which rules are open at this instant for this member: one flag per rank. Same decision as
 * `windowOpen` and `memberEligible` (rule-window.ts, price-cart.ts), on the precomputed numbers
 * and one wall clock.
 */
export function openFlags(c: CompiledRules, member: PricingMember | null, ms: number, timeZone: string): Uint8Array {
  // Within one minute of the store's clock nothing but a rule's own `from`/`to` can open or
  // close it; the last answer is kept for the same minute, zone and member unless such an
  // instant falls inside that minute.
  const minute = Math.floor(ms / 60_000);
  const key = member
    ? `${minute}|${timeZone}|${JSON.stringify([member.level, member.tags, member.birthday ?? null])}`
    : `${minute}|${timeZone}|-`;
  if (c.lastOpen?.key === key) return c.lastOpen.flags;
  const flags = computeOpen(c, member, ms, localTime(new Date(ms), timeZone));
  c.lastOpen = c.splitMinutes.has(minute) ? null : { key, flags };
  return flags;
}

function computeOpen(c: CompiledRules, member: PricingMember | null, ms: number, local: LocalTime): Uint8Array {
  const open = new Uint8Array(c.sorted.length);
  let yesterday: { date: string; weekday: number } | null = null;
  const today = local.date.slice(5); // MM-DD, for birthdays
  for (const r of c.sorted) {
    const rule = r.rule;
    if (!rule.active) continue;
    if (ms < r.fromMs || ms >= r.toMs) continue;
    let date = local.date;
    let weekday = local.weekday;
    if (r.hasHours) {
      const start = r.hoursStart;
      const end = r.hoursEnd;
      if (start < end) {
        if (local.minute < start || local.minute >= end) continue;
      } else if (start > end) {
        if (local.minute >= end && local.minute < start) continue;
        if (local.minute < end) {
          yesterday ??= previousDay(local.date);
          date = yesterday.date;
          weekday = yesterday.weekday;
        }
      }
    }
    if (r.weekdays && !r.weekdays.includes(weekday)) continue;
    if (r.dates && !r.dates.includes(date)) continue;
    if (r.monthDays && !r.monthDays.includes(Number(date.slice(8, 10)))) continue;
    // memberEligible
    if (rule.effect.type === 'member_price' && !member) continue;
    const m = rule.members;
    if (m) {
      if (!member) {
        if (m.required) continue;
      } else {
        if (m.levels && m.levels.length > 0 && !m.levels.includes(member.level)) continue;
        if (m.tags && m.tags.length > 0 && !m.tags.some((t) => member.tags.includes(t))) continue;
        if (m.birthday) {
          const b = member.birthday?.slice(-5);
          if (!b) continue;
          if (m.birthday === 'day' ? b !== today : b.slice(0, 2) !== today.slice(0, 2)) continue;
        }
      }
    }
    open[r.rank] = 1;
  }
  return open;
}
