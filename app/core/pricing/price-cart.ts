// The pricing engine: given the cart's lines, the member, the store-local time and the rules,
// what each line costs, which rules took what off it, and why. Pure and deterministic: no I/O,
// no clock (the caller passes the instant), same input → same output.
//
// How a price is decided (docs/pricing.md has the shop-floor version):
// 1. Open rules: active, window open in the store's zone, the member eligible.
// 2. Line phase (every kind but 满减). Per line the engine compares each exclusive rule alone
//    with the chain of all stackable rules (applied in priority order, each on what is left),
//    and keeps whichever saves the customer most; ties go to the higher priority, then the
//    lower rule id. So the customer gets the best price, and more than the best single rule only
//    where every rule involved says `stackable`.
// 3. Order phase (满减). Stackable thresholds count the targeted lines after their line
//    discounts and apply one after the other; an exclusive threshold counts only targeted lines
//    that have no line discount. The better of the chain and each exclusive one alone wins. The
//    fen off are spread over the counted lines in proportion to what they cost (largest
//    remainder), so a return can refund exactly what a line was paid.
//
// Fen rounding: a percent takes round-half-up(amount × p / 100) off the whole line amount
// (not per item); a fixed or member price per kg is round-half-up(price × grams / 1000), as the
// scale label does. Multi-item rules (N件M折, 第二件半价, 买赠) count items of `each` lines and
// discount the dearest groups first (sorted by item price, SKU, line id, never by scan order), so
// the order of scanning never changes the total. Nothing ever goes below zero.
import type { PriceRule, RuleEffect } from './rule';
import { localTime, windowOpen } from './rule-window';
import {
  byPriority,
  compiledRules,
  openFlags,
  targetingRules,
  LINE_FIXED,
  LINE_MEMBER,
  LINE_PERCENT,
  type CompiledRule,
  type CompiledRules,
} from './rule-index';

export interface PricingLine {
  lineId: string;
  sku: string;
  category: string;
  brand: string | null;
  unit: 'each' | 'weighed';
  /** Items; 1 for weighed lines. */
  quantity: number;
  weightGrams: number | null;
  /** Fen per item, or per kg for weighed items. */
  unitPrice: number;
  /** Fen before any discount: unit price × quantity, the weighed price, or a label's printed price. */
  gross: number;
}

/** The member on the cart, as pricing needs it (the members module maps its own member onto this). */
export interface PricingMember {
  id: string;
  level: string;
  tags: readonly string[];
  /** `YYYY-MM-DD` or `MM-DD`. */
  birthday?: string | null;
}

export interface PricingInput {
  lines: readonly PricingLine[];
  member: PricingMember | null;
  at: Date;
  timeZone: string;
  rules: readonly PriceRule[];
}

export interface AppliedDiscount {
  ruleId: string;
  name: string;
  nameEn: string;
  kind: RuleEffect['type'] | 'coupon';
  /** Fen off this line. */
  amount: number;
}

export interface RuleSaving {
  ruleId: string;
  name: string;
  nameEn: string;
  /** What this rule alone would take off the line (line phase) or the order (满减). */
  saved: number;
}

export interface PricedLine {
  lineId: string;
  /** Fen before rules (the line's gross). */
  originalPrice: number;
  discounts: AppliedDiscount[];
  saved: number;
  total: number;
  /** Every open rule that would have taken something off this line, with what it alone would save
   * (worked out when first read: only the till's explanation needs it; a getter, not an own key,
   * so a spread copy leaves it out). */
  considered: RuleSaving[];
  /** How the line phase was decided: nothing open, one exclusive rule, or the stackable chain. */
  choice: 'none' | 'exclusive' | 'stack';
}

export interface PricingResult {
  lines: PricedLine[];
  subtotal: number;
  saved: number;
  total: number;
  /** Ids of the rules that took something off, in the order first applied. */
  applied: string[];
  /** Open thresholds the cart has not reached, with how much more it takes (为您推荐: 再买¥x减¥y). */
  nearThresholds: { ruleId: string; name: string; nameEn: string; missing: number; off: number }[];
}

interface Targeting {
  skus: Set<string> | null;
  categories: Set<string> | null;
  brands: Set<string> | null;
}
const targeting = new WeakMap<PriceRule, Targeting>();
function targetOf(rule: PriceRule): Targeting {
  let t = targeting.get(rule);
  if (!t) {
    const set = (a: readonly string[] | undefined) => (a && a.length > 0 ? new Set(a) : null);
    t = { skus: set(rule.target.skus), categories: set(rule.target.categories), brands: set(rule.target.brands) };
    targeting.set(rule, t);
  }
  return t;
}

export function ruleTargetsLine(rule: PriceRule, line: Pick<PricingLine, 'sku' | 'category' | 'brand'>): boolean {
  const t = targetOf(rule);
  if (!t.skus && !t.categories && !t.brands) return true;
  return (
    (t.skus?.has(line.sku) ?? false) ||
    (t.categories?.has(line.category) ?? false) ||
    (line.brand !== null && (t.brands?.has(line.brand) ?? false))
  );
}

function localMonthDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, month: '2-digit', day: '2-digit' }).format(at);
}

/** May this member (or no member) have the rule? */
export function memberEligible(rule: PriceRule, member: PricingMember | null, at: Date, timeZone: string): boolean {
  const m = rule.members;
  if (rule.effect.type === 'member_price' && !member) return false;
  if (!m) return true;
  if (!member) return !m.required;
  if (m.levels && m.levels.length > 0 && !m.levels.includes(member.level)) return false;
  if (m.tags && m.tags.length > 0 && !m.tags.some((t) => member.tags.includes(t))) return false;
  if (m.birthday) {
    const b = member.birthday?.slice(-5); // MM-DD
    if (!b) return false;
    const today = localMonthDay(at, timeZone); // MM-DD
    if (m.birthday === 'day' ? b !== today : b.slice(0, 2) !== today.slice(0, 2)) return false;
  }
  return true;
}

/** Rules that apply at this instant to this member. */
export function openRules(
  rules: readonly PriceRule[],
  member: PricingMember | null,
  at: Date,
  timeZone: string,
): PriceRule[] {
  const local = localTime(at, timeZone); // once: the zone lookup is the costly part of a window check
  return rules.filter(
    (r) => r.active && windowOpen(r.window, at, timeZone, local) && memberEligible(r, member, at, timeZone),
  );
}

const percentOf = (amount: number, p: number): number => Math.floor((amount * p + 50) / 100);
const weighedPrice = (perKg: number, grams: number): number => Math.floor((perKg * grams + 500) / 1000);
const priceOfLine = (line: PricingLine, price: number): number =>
  line.unit === 'weighed' ? weighedPrice(price, line.weightGrams ?? 0) : price * line.quantity;

/** Each item of the `each` lines a rule targets, dearest first (never by scan order). */
interface Unit {
  lineId: string;
  sku: string;
  value: number;
  /** The first position of the unit's line id among the lines (lines sharing an id share fen). */
  pos: number;
}
function unitsOf(lines: readonly PricingLine[], canon: readonly number[]): Unit[] {
  const units: Unit[] = [];
  for (let li = 0; li < lines.length; li++) {
    const l = lines[li]!;
    if (l.unit !== 'each' || l.quantity <= 0) continue;
    const q = Math.min(l.quantity, 100_000);
    const each = Math.floor(l.gross / q);
    const rest = l.gross - each * q;
    const pos = canon[li]!;
    for (let i = 0; i < q; i++) units.push({ lineId: l.lineId, sku: l.sku, value: each + (i === 0 ? rest : 0), pos });
  }
  return units.sort((a, b) =>
    a.value !== b.value ? b.value - a.value : a.sku !== b.sku ? (a.sku < b.sku ? -1 : 1) : a.lineId < b.lineId ? -1 : 1,
  );
}

/**
 * Fen a multi-item rule takes off each line, computed on the lines' gross, added into
 * `out[off + position]` (the first position of each line id; `out` starts at zero there).
 * Returns whether it took anything. `units` is every item of the cart, dearest first (unitsOf of
 * all lines, worked out once per cart); `mine` are the items of the lines the rule targets
 * (`targeted`, at least one) in that same order, so they equal the targeted lines' items sorted
 * on their own.
 */
function multiItemDiscounts(
  rule: PriceRule,
  lines: readonly PricingLine[],
  units: readonly Unit[],
  mine: readonly Unit[],
  targeted: ReadonlySet<string>,
  out: Int32Array,
  off: number,
): boolean {
  let any = false;
  const e = rule.effect;
  if (e.type === 'nth_item') {
    for (let i = e.n - 1; i < mine.length; i += e.n) {
      const u = mine[i]!;
      const fen = percentOf(u.value, e.percentOff);
      if (fen > 0) {
        out[off + u.pos]! += fen;
        any = true;
      }
    }
  } else if (e.type === 'multi_buy') {
    const grouped = Math.floor(mine.length / e.n) * e.n;
    for (let i = 0; i < grouped; i++) {
      const u = mine[i]!;
      const fen = percentOf(u.value, e.percentOff);
      if (fen > 0) {
        out[off + u.pos]! += fen;
        any = true;
      }
    }
  } else if (e.type === 'gift') {
    const giftUnits = units.filter((u) => u.sku === e.giftSku);
    if (giftUnits.length === 0) return false;
    let buyUnits = 0;
    for (const u of mine) if (u.sku !== e.giftSku) buyUnits += 1;
    const giftTargeted = lines.some((l) => l.sku === e.giftSku && targeted.has(l.lineId));
    // Buy 2 get 1 of the same item: every 3 items, 1 is free. Otherwise every `buy` items free `get` gift items.
    const free = giftTargeted
      ? Math.floor((buyUnits + giftUnits.length) / (e.buy + e.get)) * e.get
      : Math.floor(buyUnits / e.buy) * e.get;
    // The cheapest gift items go free when the gift is also what is bought (the customer pays for the dearer ones).
    const pick = giftTargeted ? giftUnits.slice().reverse() : giftUnits;
    for (const u of pick.slice(0, Math.min(free, pick.length)))
      if (u.value > 0) {
        out[off + u.pos]! += u.value;
        any = true;
      }
  }
  return any;
}

/** Rules that do the same to every line's items compute the same fen: key for sharing that work. */
function wholeCartKey(rule: PriceRule): string {
  const e = rule.effect;
  if (e.type === 'nth_item') return `n:${e.n}:${e.percentOff}`;
  if (e.type === 'multi_buy') return `m:${e.n}:${e.percentOff}`;
  if (e.type === 'gift') return `g:${e.buy}:${e.get}:${e.giftSku}`;
  return '';
}

const applied = (rule: PriceRule, amount: number): AppliedDiscount => ({
  ruleId: rule.id,
  name: rule.name,
  nameEn: rule.nameEn,
  kind: rule.effect.type,
  amount,
});

/** Spreads `fen` over lines in proportion to `weights` (largest remainder; ties by line order given). */
export function spread(fen: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0 || fen <= 0) return weights.map(() => 0);
  const share = weights.map((w) => Math.floor((fen * w) / total));
  let left = fen - share.reduce((a, b) => a + b, 0);
  const order = weights
    .map((w, i) => ({ i, rem: (fen * w) % total }))
    .sort((a, b) => (a.rem !== b.rem ? b.rem - a.rem : a.i - b.i));
  for (const { i } of order) {
    if (left <= 0) break;
    if (share[i]! < weights[i]!) {
      share[i]! += 1;
      left -= 1;
    }
  }
  return share;
}

function thresholdOff(rule: PriceRule, base: number): number {
  const e = rule.effect;
  if (e.type !== 'threshold' || base < e.spend) return 0;
  const times = e.repeat ? Math.floor(base / e.spend) : 1;
  return Math.min(base, times * e.off);
}

// What a line rule does to a line, without a closure per line × rule: `kind` and one number.
const PERCENT = 0; // a = percent off
const TO_PRICE = 1; // a = the line's price under the rule
const SHARE = 2; // a = fen a multi-item rule takes off the line's gross
function offOf(kind: number, a: number, current: number, lineGross: number): number {
  if (kind === PERCENT) return Math.min(current, percentOf(current, a));
  if (kind === TO_PRICE) return Math.max(0, current - a);
  return Math.min(current, lineGross > 0 ? Math.floor((a * current) / lineGross) : 0);
}

/**
 * Sorts a short list in place by a number key (insertion sort: the lists here have a handful of
 * entries, and Array#sort allocates a work area on every call).
 */
function sortSmall<T>(xs: T[], key: (x: T) => number): void {
  if (xs.length > 32) {
    xs.sort((a, b) => key(a) - key(b));
    return;
  }
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i]!;
    const k = key(x);
    let j = i - 1;
    while (j >= 0 && key(xs[j]!) > k) {
      xs[j + 1] = xs[j]!;
      j--;
    }
    xs[j + 1] = x;
  }
}

/** Appends the open rules of a list (rank order) not already in `out`. */
function collectOpen(out: CompiledRule[], list: readonly CompiledRule[] | undefined, open: Uint8Array): void {
  if (!list) return;
  for (const r of list) if (open[r.rank] && !out.includes(r)) out.push(r);
}

/** A multi-item rule with something off the cart: its fen by line position (the first of its id) start at `off` in the cart's fen table. */
interface MultiOn {
  r: CompiledRule;
  off: number;
}

/** What every line's candidates are drawn from (kept, so the explanation can be worked out later). */
interface CandidateSource {
  c: CompiledRules;
  open: Uint8Array;
  member: PricingMember | null;
  /** Open line rules with no target, in priority order. */
  everyLine: readonly CompiledRule[];
  /** Multi-item rules with something off some line, in priority order, and their fen. */
  multiOn: readonly MultiOn[];
  fen: Int32Array;
  /** Per line position: the first position with its line id, and whether another line shares the id. */
  canon: readonly number[];
  dup: Uint8Array;
}

/** Receives a line's candidates in priority order: the rule and what it does (`kind`, one number). */
interface CandidateSink {
  take(r: CompiledRule, kind: number, a: number): void;
}

function takeLineRule(sink: CandidateSink, r: CompiledRule, line: PricingLine, member: PricingMember | null): void {
  const k = r.lineKind;
  if (k === LINE_PERCENT) sink.take(r, PERCENT, r.amount);
  else if (k === LINE_FIXED) sink.take(r, TO_PRICE, priceOfLine(line, r.amount));
  else if (k === LINE_MEMBER) {
    const price = member ? r.prices![member.level] : undefined;
    if (price !== undefined) sink.take(r, TO_PRICE, priceOfLine(line, price));
  }
}

/** The next multi-item rule from `m` on with something off line `li` (multiOn.length when none). */
function nextMulti(src: CandidateSource, m: number, li: number, line: PricingLine): number {
  const { multiOn, fen } = src;
  const pos = src.canon[li]!;
  for (; m < multiOn.length; m++) {
    const x = multiOn[m]!;
    if (fen[x.off + pos]! <= 0) continue;
    // Two lines with one id share the fen; a rule that targets lines still asks each (not gifts).
    if (src.dup[li] === 0 || x.r.rule.effect.type === 'gift' || ruleTargetsLine(x.r.rule, line)) return m;
  }
  return m;
}

/**
 * Gives `sink` the line's candidates: the open line rules that target its SKU, category or brand,
 * the every-line rules and its multi-item rules, merged in priority order (each once), without
 * building a list. `targeted` is scratch space.
 */
function walkCandidates(
  line: PricingLine,
  li: number,
  src: CandidateSource,
  targeted: CompiledRule[],
  sink: CandidateSink,
): void {
  const { c, open, member, everyLine, multiOn } = src;
  targeted.length = 0;
  collectOpen(targeted, c.line.bySku.get(line.sku), open);
  collectOpen(targeted, c.line.byCategory.get(line.category), open);
  if (line.brand !== null) collectOpen(targeted, c.line.byBrand.get(line.brand), open);
  sortSmall(targeted, (r) => r.rank);
  const pos = src.canon[li]!;
  // Three lists in priority order, merged: every-line rules, targeted rules, multi-item rules.
  let a = 0;
  let b = 0;
  let m = nextMulti(src, 0, li, line);
  let last = -1;
  for (;;) {
    const ra = a < everyLine.length ? everyLine[a]!.rank : Infinity;
    const rb = b < targeted.length ? targeted[b]!.rank : Infinity;
    const rm = m < multiOn.length ? multiOn[m]!.r.rank : Infinity;
    if (ra === Infinity && rb === Infinity && rm === Infinity) break;
    if (ra < rb && ra < rm) takeLineRule(sink, everyLine[a++]!, line, member);
    else if (rb < rm) {
      const r = targeted[b++]!;
      if (r.rank !== last) takeLineRule(sink, r, line, member); // listed by SKU and by category: once
      last = r.rank;
    } else {
      const x = multiOn[m]!;
      sink.take(x.r, SHARE, src.fen[x.off + pos]!);
      m = nextMulti(src, m + 1, li, line);
    }
  }
}

/**
 * The line phase's decision, fed one candidate at a time: the best exclusive rule alone, and the
 * chain of the stackable ones each on what the previous left. One per cart, reset per line.
 */
class LineDecision implements CandidateSink {
  gross = 0;
  lineGross = 0;
  bestRule: PriceRule | null = null;
  bestSaved = 0;
  chainLead: PriceRule | null = null;
  current = 0;
  readonly chainRule: PriceRule[] = [];
  readonly chainOff: number[] = [];

  reset(line: PricingLine): void {
    this.gross = Math.max(0, line.gross);
    this.lineGross = line.gross;
    this.bestRule = null;
    this.bestSaved = 0;
    this.chainLead = null;
    this.current = this.gross;
    this.chainRule.length = 0;
    this.chainOff.length = 0;
  }

  take(r: CompiledRule, kind: number, a: number): void {
    if (r.exclusive) {
      const saved = Math.min(this.gross, offOf(kind, a, this.gross, this.lineGross));
      // Candidates come in priority order, so on equal savings the one already kept wins.
      if (saved > 0 && (this.bestRule === null || saved > this.bestSaved)) {
        this.bestRule = r.rule;
        this.bestSaved = saved;
      }
    } else {
      this.chainLead ??= r.rule;
      const off = Math.min(this.current, offOf(kind, a, this.current, this.lineGross));
      if (off > 0) {
        this.chainRule.push(r.rule);
        this.chainOff.push(off);
        this.current -= off;
      }
    }
  }
}

/**
 * A priced line. The explanation (`considered`: what every open rule alone would save) is only
 * read by the till's "why this price", so it is worked out when first read, from the same
 * candidates; the class's getter keeps the line a plain, fast object (a getter in an object
 * literal made every line a slow object and the engine ran into full garbage collections).
 */
class LinePrice implements PricedLine {
  readonly #line: PricingLine;
  readonly #li: number;
  readonly #src: CandidateSource;
  #considered: RuleSaving[] | null = null;

  constructor(
    public lineId: string,
    public originalPrice: number,
    public discounts: AppliedDiscount[],
    public saved: number,
    public total: number,
    public choice: PricedLine['choice'],
    line: PricingLine,
    li: number,
    src: CandidateSource,
  ) {
    this.#line = line;
    this.#li = li;
    this.#src = src;
  }

  get considered(): RuleSaving[] {
    return (this.#considered ??= explainLine(this.#line, this.#li, this.#src));
  }
}

/** Every candidate that alone would take something off the line, with what it would save. */
function explainLine(line: PricingLine, li: number, src: CandidateSource): RuleSaving[] {
  const gross = Math.max(0, line.gross);
  const out: RuleSaving[] = [];
  walkCandidates(line, li, src, [], {
    take({ rule }, kind, a) {
      const saved = Math.min(gross, offOf(kind, a, gross, line.gross));
      if (saved > 0) out.push({ ruleId: rule.id, name: rule.name, nameEn: rule.nameEn, saved });
    },
  });
  return out;
}

/** Prices the cart. Lines come back in the order given. */
export function priceCart(input: PricingInput): PricingResult {
  const { member, at, timeZone, lines } = input;
  const c = compiledRules(input.rules);
  const open = openFlags(c, member, at.getTime(), timeZone);

  // Line positions: the first position of each line id (lines sharing an id share a multi-item
  // rule's fen) and whether the id is shared.
  const canon: number[] = new Array<number>(lines.length);
  const dup = new Uint8Array(lines.length);
  const firstAt = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const id = lines[i]!.lineId;
    const f = firstAt.get(id);
    if (f === undefined) {
      firstAt.set(id, i);
      canon[i] = i;
    } else {
      canon[i] = f;
      dup[i] = 1;
      dup[f] = 1;
    }
  }

  // Multi-item rules: which lines each targets, then what it takes off each line.
  const units = unitsOf(lines, canon);
  const unitSkus = new Set(units.map((u) => u.sku));
  const allIds = new Set(firstAt.keys());
  const targetedBy = new Map<CompiledRule, Set<string>>();
  for (const l of lines)
    for (const r of targetingRules(c.multi, open, l.sku, l.category, l.brand, false)) {
      const s = targetedBy.get(r);
      if (s) s.add(l.lineId);
      else targetedBy.set(r, new Set([l.lineId]));
    }
  const multiOn: MultiOn[] = [];
  // One table for every rule's fen by line position (one allocation per cart, not one per rule).
  let runs = targetedBy.size;
  if (lines.length > 0) for (const r of c.multi.all) if (open[r.rank]) runs += 1;
  const n = lines.length;
  const fenTable = new Int32Array(runs * n);
  let used = 0;
  const shared = new Map<string, number>();
  // Each line's items by their place among all items (ascending), to pick a few lines' items in order.
  const unitsAt = new Map<string, number[]>();
  units.forEach((u, k) => {
    const ks = unitsAt.get(u.lineId);
    if (ks) ks.push(k);
    else unitsAt.set(u.lineId, [k]);
  });
  const runMulti = (r: CompiledRule, targeted: ReadonlySet<string>) => {
    const e = r.rule.effect;
    if (e.type === 'gift' && !unitSkus.has(e.giftSku)) return; // no gift item on the cart
    if (targeted === allIds) {
      // Rules that do the same to the whole cart share one computation (-1: it took nothing).
      const key = wholeCartKey(r.rule);
      let off = shared.get(key);
      if (off === undefined) {
        off = multiItemDiscounts(r.rule, lines, units, units, targeted, fenTable, used) ? used : -1;
        if (off >= 0) used += n;
        shared.set(key, off);
      }
      if (off >= 0) multiOn.push({ r, off });
    } else {
      const at: number[] = [];
      for (const id of targeted) for (const k of unitsAt.get(id) ?? []) at.push(k);
      if (targeted.size > 1) sortSmall(at, (k) => k);
      const mine = at.map((k) => units[k]!);
      // A slice that took nothing is still all zero: the next rule reuses it.
      if (multiItemDiscounts(r.rule, lines, units, mine, targeted, fenTable, used)) {
        multiOn.push({ r, off: used });
        used += n;
      }
    }
  };
  if (lines.length > 0) for (const r of c.multi.all) if (open[r.rank]) runMulti(r, allIds);
  for (const [r, targeted] of targetedBy) runMulti(r, targeted);
  multiOn.sort((a, b) => a.r.rank - b.r.rank);

  // Line phase. Per line: the open line rules that target it merged with its multi-item rules,
  // in priority order; each exclusive rule alone against the chain of the stackable ones.
  const src: CandidateSource = {
    c,
    open,
    member,
    everyLine: c.line.all.filter((r) => open[r.rank]), // the same for every line
    multiOn,
    fen: fenTable,
    canon,
    dup,
  };
  const decision = new LineDecision();
  const targeted: CompiledRule[] = [];
  const priced: PricedLine[] = lines.map((line, li) => {
    decision.reset(line);
    walkCandidates(line, li, src, targeted, decision);
    const { gross, bestRule, bestSaved, chainLead, chainRule, chainOff } = decision;
    let discounts: AppliedDiscount[] = [];
    let saved = 0;
    let choice: PricedLine['choice'] = 'none';
    const chainSaved = gross - decision.current;
    if (
      chainRule.length > 0 &&
      (bestRule === null ||
        chainSaved > bestSaved ||
        (chainSaved === bestSaved && byPriority(chainLead!, bestRule) < 0))
    ) {
      discounts = chainRule.map((r, k) => applied(r, chainOff[k]!));
      saved = chainSaved;
      choice = 'stack';
    } else if (bestRule) {
      discounts = [applied(bestRule, bestSaved)];
      saved = bestSaved;
      choice = 'exclusive';
    }
    return new LinePrice(line.lineId, gross, discounts, saved, gross - saved, choice, line, li, src);
  });

  // Order phase: 满减.
  const nearThresholds: PricingResult['nearThresholds'] = [];
  const thresholds = c.thresholds.filter((r) => open[r.rank]);
  if (thresholds.length) {
    // Line positions sorted by SKU and line id, so the spread never depends on scan order.
    const order = lines
      .map((l, i) => ({ l, i }))
      .sort((a, b) => (a.l.sku !== b.l.sku ? (a.l.sku < b.l.sku ? -1 : 1) : a.l.lineId < b.l.lineId ? -1 : 1));
    // The `order` entries each targeted threshold counts, in that order.
    const targetedAt = new Map<CompiledRule, { l: PricingLine; i: number }[]>();
    for (const o of order)
      for (const r of targetingRules(c.threshold, open, o.l.sku, o.l.category, o.l.brand, false)) {
        const xs = targetedAt.get(r);
        if (xs) xs.push(o);
        else targetedAt.set(r, [o]);
      }
    const tryThreshold = (cr: CompiledRule, totals: number[]): { off: number; shares: Map<number, number> } => {
      const rule = cr.rule;
      const shares = new Map<number, number>();
      const targeted = cr.skus || cr.categories || cr.brands ? targetedAt.get(cr) : order;
      if (!targeted) return { off: 0, shares };
      const counted = targeted.filter(({ i }) => rule.stacking === 'stackable' || priced[i]!.saved === 0);
      const weights = counted.map(({ i }) => totals[i]!);
      const base = weights.reduce((a, b) => a + b, 0);
      const off = thresholdOff(rule, base);
      spread(off, weights).forEach((s, k) => {
        if (s > 0) shares.set(counted[k]!.i, s);
      });
      const e = rule.effect;
      if (off === 0 && e.type === 'threshold' && base > 0)
        nearThresholds.push({
          ruleId: rule.id,
          name: rule.name,
          nameEn: rule.nameEn,
          missing: e.spend - base,
          off: e.off,
        });
      return { off, shares };
    };
    type OrderOption = { saved: number; lead: PriceRule; perLine: Map<number, AppliedDiscount[]> };
    const options: OrderOption[] = [];
    const stackable = thresholds.filter((r) => r.rule.stacking === 'stackable');
    if (stackable.length) {
      const totals = priced.map((p) => p.total);
      const perLine = new Map<number, AppliedDiscount[]>();
      let saved = 0;
      for (const r of stackable) {
        const { off, shares } = tryThreshold(r, totals);
        saved += off;
        for (const [i, s] of shares) {
          totals[i]! -= s;
          const ds = perLine.get(i);
          if (ds) ds.push(applied(r.rule, s));
          else perLine.set(i, [applied(r.rule, s)]);
        }
      }
      if (saved > 0) options.push({ saved, lead: stackable[0]!.rule, perLine });
    }
    const totals = priced.map((p) => p.total);
    for (const r of thresholds) {
      if (r.rule.stacking !== 'exclusive') continue;
      const { off, shares } = tryThreshold(r, totals);
      if (off > 0)
        options.push({
          saved: off,
          lead: r.rule,
          perLine: new Map([...shares].map(([i, s]) => [i, [applied(r.rule, s)]])),
        });
    }
    let win: OrderOption | null = null;
    for (const o of options)
      if (!win || o.saved > win.saved || (o.saved === win.saved && byPriority(o.lead, win.lead) < 0)) win = o;
    if (win)
      for (const [i, ds] of win.perLine) {
        const p = priced[i]!;
        const fen = ds.reduce((a, d) => a + d.amount, 0);
        p.discounts = [...p.discounts, ...ds];
        p.saved += fen;
        p.total -= fen;
      }
  }

  const seen = new Set<string>();
  const appliedIds: string[] = [];
  for (const p of priced)
    for (const d of p.discounts)
      if (!seen.has(d.ruleId)) {
        seen.add(d.ruleId);
        appliedIds.push(d.ruleId);
      }
  const subtotal = priced.reduce((a, p) => a + p.originalPrice, 0);
  const saved = priced.reduce((a, p) => a + p.saved, 0);
  return {
    lines: priced,
    subtotal,
    saved,
    total: subtotal - saved,
    applied: appliedIds,
    nearThresholds: dedupeNear(nearThresholds),
  };
}

function dedupeNear(near: PricingResult['nearThresholds']): PricingResult['nearThresholds'] {
  const seen = new Map<string, PricingResult['nearThresholds'][number]>();
  for (const n of near) if (!seen.has(n.ruleId)) seen.set(n.ruleId, n);
  return [...seen.values()].sort((a, b) => a.missing - b.missing || (a.ruleId < b.ruleId ? -1 : 1));
}
