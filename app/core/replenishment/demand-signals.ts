// The two leading signals of the forecast that the till knows before the day comes: promotions
// (the price rules: a chain promotion or a manager's markdown open on that day, for everyone) and
// community group-buy pre-orders (online orders with fulfilment `group_buy`, by pickup day). The
// same reading serves the past (so the model learns their effect from the store's own days) and
// the days the order covers. Imported history carries its own values (demand_history.promo and
// group_buy, migration 0018); a day takes the larger of the two.
import { lineStockQty } from '../../../sync/core';
import type { CoreContext } from '../context';
import { addDays } from '../forecast';
import { localDateOf } from '../footfall-math';
import { loadOrders } from '../orders';
import { storedRules } from '../price-rules';
import { instantOfLocal, memberEligible, ruleTargetsLine, windowOpen, type PriceRule } from '../pricing';
import type { TerminalSync } from '../../../sync/terminal';

/** Store-local hours a promotion is sampled at (08:30 … 21:30): an evening markdown counts for its share of the day. */
const SAMPLE_HOURS = Array.from({ length: 14 }, (_, i) => `${String(8 + i).padStart(2, '0')}:30`);
/** The model's promotion feature is −log(1 − depth): keep it finite. */
const MAX_DEPTH = 0.9;

interface ProductForSignals {
  sku: string;
  category: string;
  /** Shelf price in fen (per item, or per kg). */
  price: number;
}

interface DaySignal {
  /** Average discount over the trading day, 0 … 0.9. */
  promo: number;
  /** The rule that gave most of it, for the reason text. */
  promoRule: { name: string; nameEn: string } | null;
  /** Group-buy pre-orders for pickup that day (items, or grams for weighed goods). */
  groupBuy: number;
}

/** sku → store-local day → signal; a missing entry is "no promotion, no pre-orders". */
export type SignalTable = Map<string, Map<string, DaySignal>>;

const NONE: DaySignal = { promo: 0, promoRule: null, groupBuy: 0 };

export function signalOf(table: SignalTable, sku: string, day: string): DaySignal {
  return table.get(sku)?.get(day) ?? NONE;
}

/** The discount a rule gives an item at this shelf price (0 for member-only and basket-level rules). */
function ruleDepth(rule: PriceRule, sku: string, price: number): number {
  const e = rule.effect;
  switch (e.type) {
    case 'percent':
    case 'multi_buy':
      return e.percentOff / 100;
    case 'nth_item':
      return e.percentOff / 100 / e.n;
    case 'fixed_price':
      return price > 0 && e.price < price ? 1 - e.price / price : 0;
    case 'gift':
      return e.giftSku === sku ? e.get / (e.buy + e.get) : 0;
    case 'member_price':
    case 'threshold':
      return 0;
  }
}

function entry(table: SignalTable, sku: string, day: string): DaySignal {
  let m = table.get(sku);
  if (!m) table.set(sku, (m = new Map()));
  let s = m.get(day);
  if (!s) m.set(day, (s = { promo: 0, promoRule: null, groupBuy: 0 }));
  return s;
}

/**
 * Promotion depth per product and day from the till's price rules, sampled over the trading hours.
 * A chain may hold a thousand rules: each rule's targeted products and depths are worked out once,
 * and a rule without daily hours whose start and end are not inside the day is read once per day.
 */
function addPromotions(ctx: CoreContext, tz: string, products: ProductForSignals[], days: string[], out: SignalTable) {
  const rules: {
    rule: PriceRule;
    key: string;
    from: number;
    to: number;
    targets: { sku: string; depth: number }[];
  }[] = [];
  for (const rule of storedRules(ctx.db)) {
    if (!rule.active || !memberEligible(rule, null, new Date(0), tz)) continue;
    const targets = products
      .filter((p) => ruleTargetsLine(rule, { sku: p.sku, category: p.category, brand: null }))
      .map((p) => ({ sku: p.sku, depth: ruleDepth(rule, p.sku, p.price) }))
      .filter((x) => x.depth > 0);
    const from = rule.window.from === undefined ? -Infinity : Date.parse(rule.window.from);
    const to = rule.window.to === undefined ? Infinity : Date.parse(rule.window.to);
    if (targets.length > 0) rules.push({ rule, key: JSON.stringify(rule.window), from, to, targets });
  }
  if (rules.length === 0) return;
  for (const day of days) {
    const samples = SAMPLE_HOURS.map((hhmm) => instantOfLocal(day, hhmm, tz));
    const dayStart = instantOfLocal(day, '00:00', tz).getTime();
    const dayEnd = instantOfLocal(addDays(day, 1), '00:00', tz).getTime();
    // Per product and sample: the deepest open rule.
    const top = new Map<string, ({ rule: PriceRule; depth: number } | null)[]>();
    // Rules often share a window (a weekend promotion, a campaign's dates): read each window once.
    const windows = new Map<string, boolean[]>();
    for (const { rule, key, from, to, targets } of rules) {
      if (to <= dayStart || from >= dayEnd) continue; // not that day at all
      const w = rule.window;
      const steady = !w.hours && !(from > dayStart && from < dayEnd) && !(to > dayStart && to < dayEnd);
      let open = windows.get(key);
      if (!open) {
        open = steady
          ? Array<boolean>(samples.length).fill(windowOpen(w, samples[4]!, tz))
          : samples.map((at) => windowOpen(w, at, tz));
        windows.set(key, open);
      }
      if (!open.includes(true)) continue;
      for (const t of targets) {
        let slots = top.get(t.sku);
        if (!slots)
          top.set(t.sku, (slots = Array<{ rule: PriceRule; depth: number } | null>(samples.length).fill(null)));
        for (let k = 0; k < samples.length; k++)
          if (open[k] && (slots[k]?.depth ?? 0) < t.depth) slots[k] = { rule, depth: t.depth };
      }
    }
    for (const [sku, slots] of top) {
      let sum = 0;
      let best: { rule: PriceRule; depth: number } | null = null;
      for (const x of slots) {
        if (!x) continue;
        sum += x.depth;
        if (!best || x.depth > best.depth) best = x;
      }
      if (!best) continue;
      const s = entry(out, sku, day);
      s.promo = Math.min(MAX_DEPTH, Math.round((sum / SAMPLE_HOURS.length) * 1000) / 1000);
      s.promoRule = { name: best.rule.name, nameEn: best.rule.nameEn };
    }
  }
}

/**
 * Group-buy pre-orders per product and pickup day: the pickup slot's store-local day, or the day
 * after the order for one without a slot (group buys are collected the next day). Cancelled and
 * expired orders do not count; a collected one counts for its day (the past is learned from it).
 */
function addGroupBuys(
  ctx: CoreContext,
  sync: TerminalSync,
  tz: string,
  from: string,
  to: string,
  out: SignalTable,
  days: Set<string>,
): void {
  for (const s of loadOrders({ ctx, sync })) {
    const o = s.order;
    if (o.fulfilment !== 'group_buy' || s.status === 'cancelled' || s.status === 'expired') continue;
    const slot = o.slotStart ? Date.parse(o.slotStart) : NaN;
    const created = Date.parse(o.createdAt);
    const day = Number.isFinite(slot)
      ? localDateOf(tz, slot)
      : Number.isFinite(created)
        ? addDays(localDateOf(tz, created), 1)
        : null;
    if (!day || day < from || day > to) continue;
    days.add(day);
    for (const l of o.lines) {
      const q = lineStockQty(l);
      if (q > 0) entry(out, l.sku, day).groupBuy += q;
    }
  }
}

/** Imported history's own promotion and group-buy values (the previous POS, or the demo seed). */
function addImported(ctx: CoreContext, from: string, to: string, out: SignalTable) {
  const rows = ctx.db
    .prepare(
      'SELECT sku, day, promo, group_buy FROM demand_history WHERE day >= ? AND day <= ? AND (promo > 0 OR group_buy > 0)',
    )
    .all(from, to) as { sku: string; day: string; promo: number; group_buy: number }[];
  for (const r of rows) {
    const s = entry(out, r.sku, r.day);
    if (r.promo > s.promo) s.promo = r.promo;
    if (r.group_buy > s.groupBuy) s.groupBuy = r.group_buy;
  }
}

/**
 * Promotions and group-buy pre-orders for every product and day from `from` to `to` (inclusive),
 * and the days with any group-buy order this till can see: on those a product without pre-orders
 * really has none; on the others (sync off, the day's list not in yet) nothing is known.
 */
export function demandSignals(
  ctx: CoreContext,
  sync: TerminalSync | null,
  tz: string,
  products: ProductForSignals[],
  from: string,
  to: string,
): { signals: SignalTable; groupBuyDays: Set<string> } {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  // Rules and orders are read first so that imported values only ever raise them (max).
  const computed: SignalTable = new Map();
  addPromotions(ctx, tz, products, days, computed);
  const groupBuyDays = new Set<string>();
  if (sync) addGroupBuys(ctx, sync, tz, from, to, computed, groupBuyDays);
  addImported(ctx, from, to, computed);
  return { signals: computed, groupBuyDays };
}
