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
  LINE_FIXED,
  LINE_MEMBER,
  LINE_PERCENT,
  type CompiledRule,
  type CompiledRules,
  type RuleIndex,
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
function unitsOf(lines: readonly PricingLine[], canon: Int32Array): Unit[] {
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
 * all lines, worked out once per cart); the rule's own items are `units[mine[0 … count - 1]]`, in
 * that same order (so they equal the targeted lines' items sorted on their own), or all of
 * `units` when `mine` is null (a whole-cart rule). A targeted line position `p` has
 * `mark[p] === epoch`.
 */
function multiItemDiscounts(
  rule: PriceRule,
  w: CartWork,
  lines: readonly PricingLine[],
  mine: Int32Array | null,
  count: number,
  out: Int32Array,
  off: number,
): boolean {
  const units = w.units;
  let any = false;
  const e = rule.effect;
  if (e.type === 'nth_item' || e.type === 'multi_buy') {
    const first = e.type === 'nth_item' ? e.n - 1 : 0;
    const step = e.type === 'nth_item' ? e.n : 1;
    const end = e.type === 'nth_item' ? count : Math.floor(count / e.n) * e.n;
    for (let i = first; i < end; i += step) {
      const u = units[mine ? mine[i]! : i]!;
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
    for (let i = 0; i < count; i++) if (units[mine ? mine[i]! : i]!.sku !== e.giftSku) buyUnits += 1;
    let giftTargeted = false;
    for (let li = 0; li < lines.length && !giftTargeted; li++)
      giftTargeted = lines[li]!.sku === e.giftSku && (mine === null || w.posMark[w.canon[li]!] === w.epoch);
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

// What a rule does to a line, as one number `a` (no closure or object per line × rule).
const PERCENT = 0; // a = percent off
const TO_PRICE = 1; // a = the line's price under the rule
const SHARE = 2; // a = fen a multi-item rule takes off the line's gross
function offOf(kind: number, a: number, current: number, lineGross: number): number {
  if (kind === PERCENT) return Math.min(current, percentOf(current, a));
  if (kind === TO_PRICE) return Math.max(0, current - a);
  return Math.min(current, lineGross > 0 ? Math.floor((a * current) / lineGross) : 0);
}

// Entries of a cart's every-line list, before the line is known.
const E_PERCENT = 0; // a = percent off
const E_PRICE = 1; // a = price per item or per kg (the line's price under it is worked out per line)
const E_SHARE = 2; // a = the rule's slot in the cart's fen table (its fen for a line at a + position)

/**
 * The open rules of a rule set as one member sees them, worked out once per set of open flags
 * (kept by openFlags for the minute, zone and member): the every-line line rules with what they
 * do as numbers (a member price already looked up for the member's level; one the level has no
 * price in is left out), the open whole-cart multi-item rules and the open 满减 rules.
 */
interface OpenView {
  flags: Uint8Array;
  level: string | null;
  lineRank: Int32Array;
  lineKind: Uint8Array;
  lineA: Float64Array;
  multiAll: CompiledRule[];
  thresholds: CompiledRule[];
  stackThresholds: CompiledRule[];
  /** Per rank: 1 for an exclusive rule. */
  exclusive: Uint8Array;
  /**
   * The exclusive every-line line rules, for the best one alone without walking them: a percent
   * saves more the higher it is and a price the lower it is, so per line the best saving is the
   * highest percent's (pctMax; pctRank[p]: the first rank among percents ≥ p) and the lowest
   * price's (prices ascending; priceRank[j]: the first rank among prices[0 … j]). pctList and
   * priceList hold them all for lines where that does not hold (a negative quantity or weight).
   */
  pctMax: number;
  pctRank: Int32Array;
  prices: Float64Array;
  priceRank: Int32Array;
  pctList: { rank: number; a: number }[];
  priceList: { rank: number; a: number }[];
}

const views = new WeakMap<Uint8Array, OpenView>();

function openView(c: CompiledRules, flags: Uint8Array, member: PricingMember | null): OpenView {
  const level = member ? member.level : null;
  const hit = views.get(flags);
  if (hit && hit.level === level) return hit;
  const rank: number[] = [];
  const kind: number[] = [];
  const a: number[] = [];
  for (const r of c.line.all) {
    if (!flags[r.rank]) continue;
    if (r.lineKind === LINE_PERCENT) {
      kind.push(E_PERCENT);
      a.push(r.amount);
    } else if (r.lineKind === LINE_FIXED) {
      kind.push(E_PRICE);
      a.push(r.amount);
    } else if (r.lineKind === LINE_MEMBER) {
      const price = member ? r.prices![member.level] : undefined;
      if (price === undefined) continue;
      kind.push(E_PRICE);
      a.push(price);
    } else continue;
    rank.push(r.rank);
  }
  const thresholds = c.thresholds.filter((r) => flags[r.rank]);
  const exclusive = Uint8Array.from(c.sorted, (r) => (r.exclusive ? 1 : 0));
  const pctList: { rank: number; a: number }[] = [];
  const priceList: { rank: number; a: number }[] = [];
  rank.forEach((r, k) => {
    if (exclusive[r]) (kind[k] === E_PERCENT ? pctList : priceList).push({ rank: r, a: a[k]! });
  });
  let pctMax = -1;
  const pctRank = new Int32Array(102).fill(0x7fffffff);
  for (const x of pctList) {
    // Percents are whole numbers 1–100 (the rule schema); anything else is walked (pctMax = NaN).
    if (!Number.isInteger(x.a) || x.a < 1 || x.a > 100) pctMax = NaN;
    else {
      pctMax = Math.max(pctMax, x.a); // stays NaN once NaN
      for (let p = x.a; p >= 0; p--) if (pctRank[p]! > x.rank) pctRank[p] = x.rank;
    }
  }
  // A price that is not a number never saves anything (and would not sort).
  const byPrice = priceList.filter((x) => !Number.isNaN(x.a)).sort((x, y) => x.a - y.a || x.rank - y.rank);
  const priceRank = new Int32Array(byPrice.length);
  byPrice.forEach((x, j) => (priceRank[j] = j > 0 ? Math.min(priceRank[j - 1]!, x.rank) : x.rank));
  const view: OpenView = {
    flags,
    level,
    lineRank: Int32Array.from(rank),
    lineKind: Uint8Array.from(kind),
    lineA: Float64Array.from(a),
    multiAll: c.multi.all.filter((r) => flags[r.rank]),
    thresholds,
    stackThresholds: thresholds.filter((r) => r.rule.stacking === 'stackable'),
    exclusive,
    pctMax,
    pctRank,
    prices: Float64Array.from(byPrice, (x) => x.a),
    priceRank,
    pctList,
    priceList,
  };
  views.set(flags, view);
  return view;
}

/** `a`, or a copy of it with room for at least n entries. */
function grow32(a: Int32Array, n: number): Int32Array {
  if (a.length >= n) return a;
  const b = new Int32Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}
function grow64(a: Float64Array, n: number): Float64Array {
  if (a.length >= n) return a;
  const b = new Float64Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}
function grow8(a: Uint8Array, n: number): Uint8Array {
  if (a.length >= n) return a;
  const b = new Uint8Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

/**
 * A list of (rule rank, kind, number) entries kept from one cart to the next: `length` entries
 * in `rank`, `kind` and `amount`, which double when a push finds them full (what the kind and the
 * number mean depends on the list: see offOf and E_PERCENT).
 */
class RankedList {
  length = 0;
  rank: Int32Array;
  kind: Uint8Array;
  amount: Float64Array;

  constructor(capacity: number) {
    this.rank = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.amount = new Float64Array(capacity);
  }

  clear(): void {
    this.length = 0;
  }

  push(rank: number, kind: number, amount: number): void {
    const k = this.length;
    if (k >= this.rank.length) {
      this.rank = grow32(this.rank, k + 1);
      this.kind = grow8(this.kind, k + 1);
      this.amount = grow64(this.amount, k + 1);
    }
    this.rank[k] = rank;
    this.kind[k] = kind;
    this.amount[k] = amount;
    this.length = k + 1;
  }
}

/** Insertion sort of `keys[from … to - 1]` ascending, carrying `vals` along (the lists here are short). */
function sortRun(keys: Int32Array, vals: Int32Array | null, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const k = keys[i]!;
    const v = vals ? vals[i]! : 0;
    let j = i - 1;
    while (j >= from && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      if (vals) vals[j + 1] = vals[j]!;
      j--;
    }
    keys[j + 1] = k;
    if (vals) vals[j + 1] = v;
  }
}

/**
 * A cart pass's working space: typed arrays kept from one cart to the next (grown when a cart
 * or rule set needs more), so pricing a cart allocates little more than its result. One serves
 * every priceCart call; a line's explanation, read later, works on its own.
 */
class CartWork {
  n = 0;
  /** Per line position: the first position with its line id, and whether another line shares it. */
  canon: Int32Array = new Int32Array(64);
  dup: Uint8Array = new Uint8Array(64);
  anyDup = false;
  units: Unit[] = [];
  /** Unit indices by line position: those of position p are posUnits[posStart[p] … posStart[p + 1] - 1], ascending. */
  posStart: Int32Array = new Int32Array(65);
  posUnits: Int32Array = new Int32Array(256);
  posMark: Int32Array = new Int32Array(64);
  /** Stamps for the marks: a mark equal to the current epoch is set. */
  epoch = 0;
  /** Per rule rank: mark, slot and last line seen, for building per-rule lists without Maps. */
  ruleMark: Int32Array = new Int32Array(0);
  ruleSlot: Int32Array = new Int32Array(0);
  ruleLast: Int32Array = new Int32Array(0);
  /** Per multi key: mark and the fen slot (-1: took nothing). */
  keyMark: Int32Array = new Int32Array(0);
  keyOff: Int32Array = new Int32Array(0);
  /** Lists by rule (listTargets): rule k has rank tRank[k] and lines tItems[tStart[k] … tStart[k + 1] - 1]. */
  tCount = 0;
  tRank: Int32Array = new Int32Array(256);
  tStart: Int32Array = new Int32Array(257);
  tItems: Int32Array = new Int32Array(1024);
  tFill: Int32Array = new Int32Array(256);
  pairSlot: Int32Array = new Int32Array(1024);
  pairItem: Int32Array = new Int32Array(1024);
  /** Every multi-item rule's fen by line position, one slot of n per rule that took something. */
  fen: Int32Array = new Int32Array(4096);
  /** The cart's every-line list in priority order: open every-line line rules and whole-cart multi-item rules. */
  gList = new RankedList(256);
  /** The same list's stackable entries, and its exclusive whole-cart multi-item rules (rank, slot). */
  sList = new RankedList(256);
  xCount = 0;
  xRank: Int32Array = new Int32Array(128);
  xOff: Int32Array = new Int32Array(128);
  /** Targeted multi-item rules with fen on a position: pmRank/pmOff[pmStart[p] … pmStart[p + 1] - 1], by rank. */
  pmStart: Int32Array = new Int32Array(65);
  pmRank: Int32Array = new Int32Array(256);
  pmOff: Int32Array = new Int32Array(256);
  /** The current line's candidates in priority order: rank, kind and number (see offOf). */
  cList = new RankedList(512);
  /** Whole-cart multi-item rules with something off, in priority order: rank and fen slot. */
  wRank: Int32Array = new Int32Array(128);
  wOff: Int32Array = new Int32Array(128);
  /** Scratch: positions and items of one targeted multi-item rule; (position, rank, slot) of targeted fen. */
  posList: Int32Array = new Int32Array(64);
  cursor: Int32Array = new Int32Array(65);
  mine: Int32Array = new Int32Array(256);
  pmPos: Int32Array = new Int32Array(256);
  pmRankIn: Int32Array = new Int32Array(256);
  pmOffIn: Int32Array = new Int32Array(256);
  /** The epoch listTargets marked its rules with (ruleMark[rank] === tEpoch: the rule has a list). */
  tEpoch = 0;
  /** The current line's targeted line rules (ranks). */
  lRank: Int32Array = new Int32Array(64);
  /** Per line: the ranks of the rules its line phase applied, at lineRanks[lineStart[i] … lineStart[i + 1] - 1]. */
  lineStart: Int32Array = new Int32Array(65);
  lineRanks: Int32Array = new Int32Array(1024);
  /** The current line's stackable chain: rank and fen off. */
  chainRank: Int32Array = new Int32Array(128);
  chainOff: Float64Array = new Float64Array(128);

  mark(): number {
    if (this.epoch >= 0x3fffffff) {
      this.epoch = 0;
      this.posMark.fill(0);
      this.ruleMark.fill(0);
      this.ruleLast.fill(0);
      this.keyMark.fill(0);
    }
    return ++this.epoch;
  }

  /**
   * Lists, per open rule of `ix` that targets some line, the lines it targets (indices into
   * `lines`), walking the lines in `seq` order (identity when null) so each list keeps that
   * order; a rule listed under a line's SKU and its category counts the line once.
   */
  listTargets(ix: RuleIndex, open: Uint8Array, lines: readonly PricingLine[], seq: readonly number[] | null): void {
    const n = lines.length;
    const { ruleMark, ruleSlot, ruleLast } = this;
    const ruleEpoch = (this.tEpoch = this.mark());
    let count = 0;
    let pairs = 0;
    for (let s = 0; s < n; s++) {
      const li = seq ? seq[s]! : s;
      const line = lines[li]!;
      const lineStamp = this.mark();
      for (let list = 0; list < 3; list++) {
        const rs =
          list === 0
            ? ix.bySku.get(line.sku)
            : list === 1
              ? ix.byCategory.get(line.category)
              : line.brand !== null
                ? ix.byBrand.get(line.brand)
                : undefined;
        if (!rs) continue;
        for (let k = 0; k < rs.length; k++) {
          const rank = rs[k]!.rank;
          if (!open[rank] || ruleLast[rank] === lineStamp) continue;
          ruleLast[rank] = lineStamp;
          if (ruleMark[rank] !== ruleEpoch) {
            ruleMark[rank] = ruleEpoch;
            ruleSlot[rank] = count;
            this.tRank = grow32(this.tRank, count + 1);
            this.tRank[count] = rank;
            count++;
          }
          if (pairs >= this.pairSlot.length) {
            this.pairSlot = grow32(this.pairSlot, pairs + 1);
            this.pairItem = grow32(this.pairItem, pairs + 1);
          }
          this.pairSlot[pairs] = ruleSlot[rank]!;
          this.pairItem[pairs] = li;
          pairs++;
        }
      }
    }
    // Counting sort of the pairs by rule, stable (each rule's lines stay in `seq` order).
    const start = (this.tStart = grow32(this.tStart, count + 1));
    start.fill(0, 0, count + 1);
    for (let p = 0; p < pairs; p++) start[this.pairSlot[p]! + 1]! += 1;
    for (let k = 0; k < count; k++) start[k + 1]! += start[k]!;
    const items = (this.tItems = grow32(this.tItems, pairs));
    const fill = (this.tFill = grow32(this.tFill, count));
    for (let k = 0; k < count; k++) fill[k] = start[k]!;
    for (let p = 0; p < pairs; p++) items[fill[this.pairSlot[p]!]!++] = this.pairItem[p]!;
    this.tCount = count;
  }

  /** Sizes the per-rule and per-key arrays for a rule set and the per-line ones for a cart. */
  prepare(c: CompiledRules, n: number): void {
    const rules = c.sorted.length;
    if (this.ruleMark.length < rules) {
      this.ruleMark = new Int32Array(rules);
      this.ruleSlot = new Int32Array(rules);
      this.ruleLast = new Int32Array(rules);
    }
    if (this.keyMark.length < c.multiKeys) {
      this.keyMark = new Int32Array(c.multiKeys);
      this.keyOff = new Int32Array(c.multiKeys);
    }
    this.n = n;
    this.canon = grow32(this.canon, n);
    this.dup = grow8(this.dup, n);
    this.posMark = grow32(this.posMark, n);
    this.posStart = grow32(this.posStart, n + 1);
    this.pmStart = grow32(this.pmStart, n + 1);
  }
}

/**
 * Everything of a cart pass before its lines are decided: line positions, the items, every
 * multi-item rule's fen by line position, the per-position lists of targeted multi-item rules
 * and the every-line list. Deterministic: a line's explanation, read later, works it out again.
 */
function prepareCart(w: CartWork, c: CompiledRules, view: OpenView, lines: readonly PricingLine[]): void {
  const n = lines.length;
  w.prepare(c, n);
  const { canon, dup } = w;
  // Line positions: the first position of each line id (lines sharing an id share a multi-item
  // rule's fen) and whether the id is shared.
  dup.fill(0, 0, n);
  w.anyDup = false;
  const firstAt = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = lines[i]!.lineId;
    const f = firstAt.get(id);
    if (f === undefined) {
      firstAt.set(id, i);
      canon[i] = i;
    } else {
      canon[i] = f;
      dup[i] = 1;
      dup[f] = 1;
      w.anyDup = true;
    }
  }

  // The items, dearest first, and each position's items by their place among all (ascending).
  const units = (w.units = unitsOf(lines, canon));
  const posStart = w.posStart;
  posStart.fill(0, 0, n + 1);
  for (const u of units) posStart[u.pos + 1]! += 1;
  for (let p = 0; p < n; p++) posStart[p + 1]! += posStart[p]!;
  const posUnits = (w.posUnits = grow32(w.posUnits, units.length));
  const cursor = (w.cursor = grow32(w.cursor, n));
  cursor.set(posStart.subarray(0, n));
  for (let k = 0; k < units.length; k++) posUnits[cursor[units[k]!.pos]!++] = k;
  let unitSkus: Set<string> | null = null;
  const onCart = (sku: string) => (unitSkus ??= new Set(units.map((u) => u.sku))).has(sku);

  // Multi-item rules: which lines each targets, then what it takes off each line, in one fen
  // table (a slot of n per rule that took something; whole-cart rules with the same effect share one).
  w.listTargets(c.multi, view.flags, lines, null);
  const slots = n > 0 ? view.multiAll.length + w.tCount : 0;
  if (w.fen.length < slots * n) w.fen = new Int32Array(Math.max(slots * n, w.fen.length * 2));
  const fen = w.fen;
  let used = 0;
  let wCount = 0;
  const keyEpoch = w.mark();
  if (n > 0)
    for (const r of view.multiAll) {
      const e = r.rule.effect;
      if (e.type === 'gift' && !onCart(e.giftSku)) continue; // no gift item on the cart
      let off: number;
      if (w.keyMark[r.multiKey] === keyEpoch) off = w.keyOff[r.multiKey]!;
      else {
        fen.fill(0, used, used + n);
        off = multiItemDiscounts(r.rule, w, lines, null, units.length, fen, used) ? used : -1;
        if (off >= 0) used += n;
        w.keyMark[r.multiKey] = keyEpoch;
        w.keyOff[r.multiKey] = off;
      }
      if (off < 0) continue;
      w.wRank = grow32(w.wRank, wCount + 1);
      w.wOff = grow32(w.wOff, wCount + 1);
      w.wRank[wCount] = r.rank;
      w.wOff[wCount] = off;
      wCount++;
    }
  let pm = 0;
  for (let k = 0; k < w.tCount; k++) {
    const r = c.sorted[w.tRank[k]!]!;
    const e = r.rule.effect;
    if (e.type === 'gift' && !onCart(e.giftSku)) continue;
    // The rule's line positions (one per line id), marked for the gift's "is the gift targeted".
    const ep = w.mark();
    let npos = 0;
    let m = 0;
    for (let t = w.tStart[k]!; t < w.tStart[k + 1]!; t++) {
      const p = canon[w.tItems[t]!]!;
      if (w.posMark[p] === ep) continue;
      w.posMark[p] = ep;
      w.posList = grow32(w.posList, npos + 1);
      w.posList[npos++] = p;
      m += posStart[p + 1]! - posStart[p]!;
    }
    // Its items in the order of all items.
    const mine = (w.mine = grow32(w.mine, m));
    if (npos > 1 && m > 32) {
      m = 0;
      for (let u = 0; u < units.length; u++) if (w.posMark[units[u]!.pos] === ep) mine[m++] = u;
    } else {
      m = 0;
      for (let q = 0; q < npos; q++) {
        const p = w.posList[q]!;
        for (let t = posStart[p]!; t < posStart[p + 1]!; t++) mine[m++] = posUnits[t]!;
      }
      if (npos > 1) sortRun(mine, null, 0, m);
    }
    // A slot that took nothing is still all zero: the next rule reuses it.
    fen.fill(0, used, used + n);
    if (!multiItemDiscounts(r.rule, w, lines, mine, m, fen, used)) continue;
    // Where it took something (a gift's fen may sit on lines it does not target).
    const gift = e.type === 'gift';
    for (let q = 0; q < (gift ? n : npos); q++) {
      const p = gift ? q : w.posList[q]!;
      if (fen[used + p]! <= 0) continue;
      if (pm >= w.pmPos.length) {
        w.pmPos = grow32(w.pmPos, pm + 1);
        w.pmRankIn = grow32(w.pmRankIn, pm + 1);
        w.pmOffIn = grow32(w.pmOffIn, pm + 1);
      }
      w.pmPos[pm] = p;
      w.pmRankIn[pm] = r.rank;
      w.pmOffIn[pm] = used;
      pm++;
    }
    used += n;
  }
  // Targeted multi-item rules by position, each position's in priority order.
  const pmStart = w.pmStart;
  pmStart.fill(0, 0, n + 1);
  for (let k = 0; k < pm; k++) pmStart[w.pmPos[k]! + 1]! += 1;
  for (let p = 0; p < n; p++) pmStart[p + 1]! += pmStart[p]!;
  w.pmRank = grow32(w.pmRank, pm);
  w.pmOff = grow32(w.pmOff, pm);
  cursor.set(pmStart.subarray(0, n));
  for (let k = 0; k < pm; k++) {
    const at = cursor[w.pmPos[k]!]!++;
    w.pmRank[at] = w.pmRankIn[k]!;
    w.pmOff[at] = w.pmOffIn[k]!;
  }
  for (let p = 0; p < n; p++) sortRun(w.pmRank, w.pmOff, pmStart[p]!, pmStart[p + 1]!);

  // The every-line list: open every-line line rules and whole-cart multi-item rules, merged in priority order.
  const lineCount = view.lineRank.length;
  const g = lineCount + wCount;
  const gList = w.gList;
  gList.clear();
  let a = 0;
  let b = 0;
  for (let k = 0; k < g; k++) {
    if (b >= wCount || (a < lineCount && view.lineRank[a]! < w.wRank[b]!)) {
      gList.push(view.lineRank[a]!, view.lineKind[a]!, view.lineA[a]!);
      a++;
    } else {
      gList.push(w.wRank[b]!, E_SHARE, w.wOff[b]!);
      b++;
    }
  }
  // The stackable part of it, and the exclusive whole-cart rules, for the decision.
  const sList = w.sList;
  sList.clear();
  w.xRank = grow32(w.xRank, wCount);
  w.xOff = grow32(w.xOff, wCount);
  let xCount = 0;
  for (let k = 0; k < g; k++) {
    const rank = gList.rank[k]!;
    if (!view.exclusive[rank]) sList.push(rank, gList.kind[k]!, gList.amount[k]!);
    else if (gList.kind[k] === E_SHARE) {
      w.xRank[xCount] = rank;
      w.xOff[xCount] = gList.amount[k]!;
      xCount++;
    }
  }
  w.xCount = xCount;
}

/**
 * The line's candidates, in priority order, into w.cList: the every-line list (unless
 * `everyLine` is false: the decision takes that list on its own), the open
 * line rules that target its SKU, category or brand (each once; a member price only where the
 * member's level has one) and the targeted multi-item rules with something off it (on a line
 * whose id another line shares, only rules that target this line, and gifts).
 */
function lineCandidates(
  w: CartWork,
  c: CompiledRules,
  flags: Uint8Array,
  line: PricingLine,
  li: number,
  member: PricingMember | null,
  everyLine: boolean,
): void {
  const pos = w.canon[li]!;
  let nl = 0;
  for (let list = 0; list < 3; list++) {
    const rs =
      list === 0
        ? c.line.bySku.get(line.sku)
        : list === 1
          ? c.line.byCategory.get(line.category)
          : line.brand !== null
            ? c.line.byBrand.get(line.brand)
            : undefined;
    if (!rs) continue;
    for (let k = 0; k < rs.length; k++) {
      const rank = rs[k]!.rank;
      if (!flags[rank]) continue;
      if (nl >= w.lRank.length) w.lRank = grow32(w.lRank, nl + 1);
      w.lRank[nl++] = rank;
    }
  }
  sortRun(w.lRank, null, 0, nl);
  let m = w.pmStart[pos]!;
  const mEnd = w.pmStart[pos + 1]!;
  const cList = w.cList;
  cList.clear();
  const { lRank, pmRank, fen } = w;
  const { rank: gRank, kind: gKind, amount: gA } = w.gList;
  const gCount = everyLine ? w.gList.length : 0;
  const dupLine = w.dup[li] === 1;
  let a = 0;
  let b = 0;
  let last = -1;
  for (;;) {
    const ra = a < gCount ? gRank[a]! : Infinity;
    const rb = b < nl ? lRank[b]! : Infinity;
    const rm = m < mEnd ? pmRank[m]! : Infinity;
    if (ra < rb && ra < rm) {
      const k = gKind[a]!;
      const x = gA[a]!;
      if (k === E_PERCENT) cList.push(ra, PERCENT, x);
      else if (k === E_PRICE) cList.push(ra, TO_PRICE, priceOfLine(line, x));
      else {
        const v = fen[x + pos]!;
        if (v > 0) cList.push(ra, SHARE, v);
      }
      a++;
    } else if (rb < rm) {
      b++;
      if (rb === last) continue; // listed by SKU and by category: once
      last = rb;
      const r = c.sorted[rb]!;
      const kind = r.lineKind;
      if (kind === LINE_PERCENT) cList.push(rb, PERCENT, r.amount);
      else if (kind === LINE_FIXED) cList.push(rb, TO_PRICE, priceOfLine(line, r.amount));
      else if (kind === LINE_MEMBER) {
        const price = member ? r.prices![member.level] : undefined;
        if (price !== undefined) cList.push(rb, TO_PRICE, priceOfLine(line, price));
      }
    } else if (rm !== Infinity) {
      const off = w.pmOff[m]!;
      m++;
      if (dupLine) {
        // Two lines with one id share the fen; a rule that targets lines still asks each (not gifts).
        const rule = c.sorted[rm]!.rule;
        if (rule.effect.type !== 'gift' && !ruleTargetsLine(rule, line)) continue;
      }
      cList.push(rm, SHARE, fen[off + pos]!);
    } else return;
  }
}

/**
 * A priced line. The explanation (`considered`: what every open rule alone would save) is only
 * read by the till's "why this price", so it is worked out when first read; the class's getter
 * keeps the line a plain, fast object (a getter in an object literal made every line a slow
 * object and the engine ran into full garbage collections).
 */
class LinePrice implements PricedLine {
  readonly #li: number;
  readonly #why: Explainer;
  #considered: RuleSaving[] | null = null;

  constructor(
    public lineId: string,
    public originalPrice: number,
    public discounts: AppliedDiscount[],
    public saved: number,
    public total: number,
    public choice: PricedLine['choice'],
    li: number,
    why: Explainer,
  ) {
    this.#li = li;
    this.#why = why;
  }

  get considered(): RuleSaving[] {
    return (this.#considered ??= this.#why.explain(this.#li));
  }
}

/**
 * What a cart's explanations are worked out from: the cart pass's own working space is reused by
 * the next cart, so the first line read works the cart's candidates out again on its own (same
 * input, same rules compiled and open, so the same candidates).
 */
class Explainer {
  #work: CartWork | null = null;

  constructor(
    readonly c: CompiledRules,
    readonly view: OpenView,
    readonly lines: readonly PricingLine[],
    readonly member: PricingMember | null,
  ) {}

  /** Every candidate that alone would take something off the line, with what it would save. */
  explain(li: number): RuleSaving[] {
    let w = this.#work;
    if (!w) prepareCart((w = this.#work = new CartWork()), this.c, this.view, this.lines);
    const line = this.lines[li]!;
    lineCandidates(w, this.c, this.view.flags, line, li, this.member, true);
    const gross = Math.max(0, line.gross);
    const out: RuleSaving[] = [];
    const cList = w.cList;
    for (let k = 0; k < cList.length; k++) {
      const saved = Math.min(gross, offOf(cList.kind[k]!, cList.amount[k]!, gross, line.gross));
      if (saved <= 0) continue;
      const rule = this.c.sorted[cList.rank[k]!]!.rule;
      out.push({ ruleId: rule.id, name: rule.name, nameEn: rule.nameEn, saved });
    }
    return out;
  }
}

const hot = new CartWork();

/** Prices the cart. Lines come back in the order given. */
export function priceCart(input: PricingInput): PricingResult {
  const { member, at, timeZone, lines } = input;
  const c = compiledRules(input.rules);
  const open = openFlags(c, member, at.getTime(), timeZone);
  const view = openView(c, open, member);
  const w = hot;
  prepareCart(w, c, view, lines);
  const why = new Explainer(c, view, lines.slice(), member);

  // Line phase. Per line: its candidates in priority order; the best exclusive rule alone
  // against the chain of the stackable ones, each on what the previous left.
  const priced: LinePrice[] = [];
  w.lineStart = grow32(w.lineStart, lines.length + 1);
  w.lineStart[0] = 0;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    lineCandidates(w, c, open, line, li, member, false);
    const gross = Math.max(0, line.gross);
    const lineGross = line.gross;
    const pos = w.canon[li]!;
    const { fen } = w;
    const cCount = w.cList.length;
    const { rank: cRank, kind: cKind, amount: cA } = w.cList;
    const excl = view.exclusive;
    // The best exclusive rule alone: most saved, then the first in priority order.
    let bestRank = -1;
    let bestSaved = 0;
    const consider = (rank: number, saved: number) => {
      if (saved > 0 && (bestRank < 0 || saved > bestSaved || (saved === bestSaved && rank < bestRank))) {
        bestRank = rank;
        bestSaved = saved;
      }
    };
    // Every-line percents: the highest saves most; on a tie the first rank among those saving as much.
    const pctMax = view.pctMax;
    if (pctMax > 0) {
      const best = Math.min(gross, percentOf(gross, pctMax));
      if (best > 0) {
        let lo = 1;
        let hi = pctMax;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (Math.min(gross, percentOf(gross, mid)) >= best) hi = mid;
          else lo = mid + 1;
        }
        consider(view.pctRank[lo]!, best);
      }
    } else if (Number.isNaN(pctMax))
      for (const x of view.pctList) consider(x.rank, Math.min(gross, offOf(PERCENT, x.a, gross, lineGross)));
    // Every-line prices: the lowest saves most where the line's price grows with the price.
    const prices = view.prices;
    if (line.unit === 'weighed' ? (line.weightGrams ?? 0) >= 0 : line.quantity >= 0) {
      const savedAt = (j: number) => Math.min(gross, Math.max(0, gross - priceOfLine(line, prices[j]!)));
      const best = prices.length > 0 ? savedAt(0) : 0;
      if (best > 0) {
        let lo = 0;
        let hi = prices.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (savedAt(mid) >= best) lo = mid;
          else hi = mid - 1;
        }
        consider(view.priceRank[lo]!, best);
      }
    } else
      for (const x of view.priceList)
        consider(x.rank, Math.min(gross, offOf(TO_PRICE, priceOfLine(line, x.a), gross, lineGross)));
    for (let k = 0; k < w.xCount; k++) {
      const v = fen[w.xOff[k]! + pos]!;
      if (v > 0) consider(w.xRank[k]!, Math.min(gross, offOf(SHARE, v, gross, lineGross)));
    }
    for (let k = 0; k < cCount; k++)
      if (excl[cRank[k]!]) consider(cRank[k]!, Math.min(gross, offOf(cKind[k]!, cA[k]!, gross, lineGross)));
    // The chain: the stackable every-line entries and the line's own stackable candidates, in
    // priority order, each on what the previous left (nothing is left to take once it is zero).
    const sCount = w.sList.length;
    const { rank: sRank, kind: sKind, amount: sA } = w.sList;
    let chainLead = -1;
    let current = gross;
    let chain = 0;
    let a = 0;
    let b = 0;
    while (current > 0) {
      while (b < cCount && excl[cRank[b]!]) b++;
      const ra = a < sCount ? sRank[a]! : Infinity;
      const rb = b < cCount ? cRank[b]! : Infinity;
      let rank: number;
      let kind: number;
      let x: number;
      if (ra < rb) {
        rank = ra;
        const k = sKind[a]!;
        x = sA[a]!;
        a++;
        if (k === E_PERCENT) kind = PERCENT;
        else if (k === E_PRICE) {
          kind = TO_PRICE;
          x = priceOfLine(line, x);
        } else {
          kind = SHARE;
          x = fen[x + pos]!;
          if (x <= 0) continue;
        }
      } else if (rb !== Infinity) {
        rank = rb;
        kind = cKind[b]!;
        x = cA[b]!;
        b++;
      } else break;
      if (chainLead < 0) chainLead = rank;
      const off = Math.min(current, offOf(kind, x, current, lineGross));
      if (off > 0) {
        if (chain >= w.chainRank.length) {
          w.chainRank = grow32(w.chainRank, chain + 1);
          w.chainOff = grow64(w.chainOff, chain + 1);
        }
        w.chainRank[chain] = rank;
        w.chainOff[chain] = off;
        chain++;
        current -= off;
      }
    }
    let discounts: AppliedDiscount[] = [];
    let saved = 0;
    let choice: PricedLine['choice'] = 'none';
    const chainSaved = gross - current;
    if (
      chain > 0 &&
      (bestRank < 0 ||
        chainSaved > bestSaved ||
        (chainSaved === bestSaved && byPriority(c.sorted[chainLead]!.rule, c.sorted[bestRank]!.rule) < 0))
    ) {
      discounts = new Array<AppliedDiscount>(chain);
      for (let k = 0; k < chain; k++) discounts[k] = applied(c.sorted[w.chainRank[k]!]!.rule, w.chainOff[k]!);
      saved = chainSaved;
      choice = 'stack';
    } else if (bestRank >= 0) {
      discounts = [applied(c.sorted[bestRank]!.rule, bestSaved)];
      saved = bestSaved;
      choice = 'exclusive';
    }
    const from = w.lineStart[li]!;
    w.lineRanks = grow32(w.lineRanks, from + chain + 1);
    if (choice === 'stack') for (let k = 0; k < chain; k++) w.lineRanks[from + k] = w.chainRank[k]!;
    else if (choice === 'exclusive') w.lineRanks[from] = bestRank;
    w.lineStart[li + 1] = from + discounts.length;
    priced.push(new LinePrice(line.lineId, gross, discounts, saved, gross - saved, choice, li, why));
  }

  // Order phase: 满减.
  const nearThresholds: PricingResult['nearThresholds'] = [];
  const thresholds = view.thresholds;
  if (thresholds.length) {
    // Line positions sorted by SKU and line id, so the spread never depends on scan order.
    const order = lines
      .map((_, i) => i)
      .sort((a, b) => {
        const la = lines[a]!;
        const lb = lines[b]!;
        return la.sku !== lb.sku ? (la.sku < lb.sku ? -1 : 1) : la.lineId < lb.lineId ? -1 : 1;
      });
    // The lines each targeted threshold counts, in that order.
    w.listTargets(c.threshold, open, lines, order);
    const NONE = { off: 0, shares: new Map<number, number>() };
    const tryThreshold = (cr: CompiledRule, totals: number[]): { off: number; shares: Map<number, number> } => {
      const rule = cr.rule;
      let items: Int32Array | readonly number[] = order;
      let from = 0;
      let to = order.length;
      if (cr.skus || cr.categories || cr.brands) {
        if (w.ruleMark[cr.rank] !== w.tEpoch) return NONE;
        const k = w.ruleSlot[cr.rank]!;
        items = w.tItems;
        from = w.tStart[k]!;
        to = w.tStart[k + 1]!;
      }
      const all = rule.stacking === 'stackable';
      let base = 0;
      for (let t = from; t < to; t++) {
        const i = items[t]!;
        if (all || priced[i]!.saved === 0) base += totals[i]!;
      }
      const off = thresholdOff(rule, base);
      const e = rule.effect;
      if (off === 0) {
        if (e.type === 'threshold' && base > 0)
          nearThresholds.push({
            ruleId: rule.id,
            name: rule.name,
            nameEn: rule.nameEn,
            missing: e.spend - base,
            off: e.off,
          });
        return NONE;
      }
      const counted: number[] = [];
      for (let t = from; t < to; t++) {
        const i = items[t]!;
        if (all || priced[i]!.saved === 0) counted.push(i);
      }
      const shares = new Map<number, number>();
      spread(
        off,
        counted.map((i) => totals[i]!),
      ).forEach((s, k) => {
        if (s > 0) shares.set(counted[k]!, s);
      });
      return { off, shares };
    };
    type OrderOption = { saved: number; lead: PriceRule; perLine: Map<number, AppliedDiscount[]> };
    const options: OrderOption[] = [];
    const stackable = view.stackThresholds;
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

  // Rule ids in the order first applied: a line's own discounts by rank (each rule's id looked
  // up once, not once per line), then its 满减 ones.
  const seen = new Set<string>();
  const appliedIds: string[] = [];
  const once = w.mark();
  for (let i = 0; i < priced.length; i++) {
    const ds = priced[i]!.discounts;
    const own = w.lineStart[i + 1]! - w.lineStart[i]!;
    for (let k = 0; k < ds.length; k++) {
      if (k < own) {
        const rank = w.lineRanks[w.lineStart[i]! + k]!;
        if (w.ruleMark[rank] === once) continue;
        w.ruleMark[rank] = once;
      }
      const id = ds[k]!.ruleId;
      if (!seen.has(id)) {
        seen.add(id);
        appliedIds.push(id);
      }
    }
  }
  let subtotal = 0;
  let saved = 0;
  for (const p of priced) subtotal += p.originalPrice;
  for (const p of priced) saved += p.saved;
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
