// In-memory product search for the till's lookup box: Chinese name, full pinyin, pinyin
// initials, English name, SKU and barcode. Built for 100,000 products in a few tens of MB:
// each field is one SegmentText column (products are slot numbers), text fields have bigram
// postings and SKU/barcode have sorted keys, so a search is a few binary searches and a
// check of the candidates, then one numeric sort. Ranking rules: docs/barcodes.md.
import { hasCjk, normalizeText } from './normalize';
import { pinyinKeys } from './pinyin-keys';
import { ALT, SegmentText } from './segment-text';
import { GramPostings, intersect } from './gram-postings';
import { SortedKeys } from './sorted-keys';

export interface SearchableProduct {
  sku: string;
  name: string;
  nameEn: string;
  /** Precomputed pinyinKeys(name).full; computed here when absent. */
  fullPinyin?: string;
  /** Precomputed pinyinKeys(name).initials; computed here when absent. */
  initials?: string;
  barcodes?: string[];
}

export interface ProductSearchIndex {
  /** Adds or replaces the product with this SKU. */
  upsert(p: SearchableProduct): void;
  remove(sku: string): void;
  /** SKUs, best first. Empty for a blank query. */
  search(query: string, limit?: number): string[];
  readonly size: number;
  /** Memory and layout figures, for diagnostics and the benchmark. */
  stats(): SearchIndexStats;
}

export interface SearchIndexStats {
  products: number;
  /** Slots including replaced/removed ones not yet compacted away. */
  slots: number;
  /** Characters held in the text columns (JS strings; 1 or 2 bytes each). */
  textChars: number;
  /** Bytes in typed arrays (postings, sorted keys, offsets, per-search scratch). */
  typedArrayBytes: number;
}

/** Match tiers, best first. */
export const TIER = {
  exact: 0,
  prefix: 1,
  wordPrefix: 2,
  substring: 3,
  initialsSubsequence: 4,
  initialsOneTypo: 5,
} as const;

const SPACE_CODE = 32;
const TIER_UNIT = 2 ** 44;
const LENGTH_UNIT = 2 ** 32;
const MAX_LIMIT = 1000;
const NO_MATCH = 99;

type FieldName = 'sku' | 'barcodes' | 'name' | 'full' | 'initials' | 'en';
const FIELDS: readonly FieldName[] = ['sku', 'barcodes', 'name', 'full', 'initials', 'en'];

function barcodeKeys(barcodes: readonly string[] | undefined): string {
  if (!Array.isArray(barcodes)) return '';
  const keys: string[] = [];
  for (const b of barcodes) {
    const n = normalizeText(b).replace(/ /g, '');
    if (!n) continue;
    keys.push(n);
    // GTINs are stored as 14 digits; people type them as printed (13, 12 or 8 digits).
    const stripped = n.replace(/^0+/, '');
    if (stripped !== n && /^\d+$/.test(stripped)) keys.push(stripped);
  }
  return keys.join(ALT);
}

class Index implements ProductSearchIndex {
  private cols: Record<FieldName, SegmentText> = {
    sku: new SegmentText(),
    barcodes: new SegmentText(),
    name: new SegmentText(),
    full: new SegmentText(),
    initials: new SegmentText(),
    en: new SegmentText(),
  };
  private skuBySlot: (string | undefined)[] = [];
  private slotBySku = new Map<string, number>();
  private alive = new Uint8Array(1024);
  private dead = 0;

  // Lookup structures over slots [0, builtCount); later slots are checked one by one.
  private builtCount = 0;
  private nameGrams = new GramPostings();
  private fullGrams = new GramPostings();
  private initialsGrams = new GramPostings();
  private enGrams = new GramPostings({ wordPrefixDepth: 3 });
  private skuKeys = new SortedKeys();
  private barcodeKeys = new SortedKeys();

  // Per-search scratch, reused: best score per slot, valid when stamp[slot] === generation.
  private best = new Float64Array(1024);
  private stamp = new Uint32Array(1024);
  private generation = 0;
  private matched = new Int32Array(1024);
  private matchedCount = 0;

  get size(): number {
    return this.slotBySku.size;
  }

  upsert(p: SearchableProduct): void {
    if (!p || typeof p.sku !== 'string' || p.sku.length === 0) throw new TypeError('product needs a sku');
    const old = this.slotBySku.get(p.sku);
    if (old !== undefined) this.kill(old);
    const name = normalizeText(p.name);
    const keys =
      typeof p.fullPinyin === 'string' && typeof p.initials === 'string'
        ? { full: normalizeText(p.fullPinyin).replace(/ /g, ''), initials: normalizeText(p.initials).replace(/ /g, '') }
        : pinyinKeys(name);
    const slot = this.cols.sku.count;
    this.cols.sku.append(normalizeText(p.sku).replace(/ /g, ''));
    this.cols.barcodes.append(barcodeKeys(p.barcodes));
    this.cols.name.append(name);
    this.cols.full.append(keys.full);
    this.cols.initials.append(keys.initials);
    this.cols.en.append(normalizeText(p.nameEn));
    this.ensureCapacity(slot + 1);
    this.alive[slot] = 1;
    this.skuBySlot[slot] = p.sku;
    this.slotBySku.set(p.sku, slot);
  }

  remove(sku: string): void {
    const slot = this.slotBySku.get(sku);
    if (slot === undefined) return;
    this.kill(slot);
    this.slotBySku.delete(sku);
  }

  search(query: string, limit = 20): string[] {
    const max = Math.min(Math.floor(Number(limit)), MAX_LIMIT);
    if (!(max > 0)) return [];
    const q = normalizeText(query);
    if (!q) return [];
    this.prepare();
    this.begin();
    const tokens = q.split(' ');
    const joined = tokens.join('');
    const cjk = hasCjk(q);
    const c = this.cols;
    const nameTier = tokensMatcher(q, tokens, false);
    const enTier = tokensMatcher(q, tokens, true);

    if (tokens.length === 1 && q.length === 1 && !cjk) {
      // One Latin letter or digit: only "starts with" (value or word), decided without reading text.
      const code = q.charCodeAt(0);
      for (const [col, grams] of [
        [c.name, this.nameGrams],
        [c.full, this.fullGrams],
        [c.initials, this.initialsGrams],
        [c.en, this.enGrams],
      ] as const) {
        for (const slot of grams.startsWith(code)) this.startTier(col, slot, code);
      }
    } else if (tokens.length === 1) {
      this.check(this.nameGrams.candidates(q), (s) => fieldTier(c.name, s, q));
      if (!cjk) {
        this.check(this.fullGrams.candidates(q), (s) => compactTier(c.full, s, q));
        this.check(this.initialsGrams.candidates(q), (s) => compactTier(c.initials, s, q));
        this.check(this.enGrams.candidates(q, true), (s) => wordTier(c.en, s, q));
      }
    } else {
      // Several words: name and English name need every word; pinyin and initials ignore the spaces.
      this.check(this.allTokens(this.nameGrams, tokens, false), (s) => nameTier(c.name.value(s)));
      if (!cjk) {
        this.check(this.allTokens(this.enGrams, tokens, true), (s) => enTier(c.en.value(s)));
        this.check(this.fullGrams.candidates(joined), (s) => compactTier(c.full, s, joined));
        this.check(this.initialsGrams.candidates(joined), (s) => compactTier(c.initials, s, joined));
      }
    }
    // Products added since the last build: check every field directly.
    for (let s = this.builtCount; s < c.sku.count; s++) {
      if (this.alive[s] !== 1) continue;
      const tier =
        tokens.length > 1
          ? Math.min(
              nameTier(c.name.value(s)),
              cjk
                ? NO_MATCH
                : Math.min(enTier(c.en.value(s)), fieldTier(c.full, s, joined), fieldTier(c.initials, s, joined)),
            )
          : Math.min(
              fieldTier(c.name, s, q),
              cjk ? NO_MATCH : Math.min(fieldTier(c.full, s, q), fieldTier(c.initials, s, q), wordTier(c.en, s, q)),
            );
      if (tier <= (q.length === 1 && !cjk ? TIER.wordPrefix : TIER.substring)) this.record(s, tier);
      if (!cjk)
        for (const col of [c.sku, c.barcodes]) {
          const t = keyTier(col.value(s), joined);
          if (t < NO_MATCH) this.record(s, t);
        }
    }
    // SKU and barcode: prefix (or exact) only.
    if (!cjk) {
      this.skuKeys.prefix(joined, (pos, exact) => this.recordAt(c.sku, pos, exact));
      this.barcodeKeys.prefix(joined, (pos, exact) => this.recordAt(c.barcodes, pos, exact));
    }
    if (this.matchedCount < max && /^[a-z]{2,}$/.test(joined)) {
      this.scanInitialsLoose(joined, false);
      if (this.matchedCount < max && joined.length >= 3) this.scanInitialsLoose(joined, true);
    }
    return this.top(max);
  }

  /**
   * Brings the lookup structures up to date: drops dead slots once they are a quarter of the
   * columns, and rebuilds once the products added since the last build are more than 5%.
   * Runs before a search, so a burst of upserts costs one rebuild.
   */
  prepare(force = false): void {
    const count = this.cols.sku.count;
    if (this.dead >= 1024 && this.dead * 4 >= count) {
      const keep = (i: number) => this.alive[i] === 1;
      for (const f of FIELDS) this.cols[f] = this.cols[f].compact(keep);
      const skus: string[] = [];
      for (let i = 0; i < count; i++) if (this.alive[i] === 1) skus.push(this.skuBySlot[i]!);
      this.skuBySlot = skus;
      this.slotBySku = new Map(skus.map((s, i) => [s, i]));
      this.alive = new Uint8Array(this.alive.length);
      this.alive.fill(1, 0, skus.length);
      this.dead = 0;
      this.builtCount = 0;
    }
    const now = this.cols.sku.count;
    if (force ? now > this.builtCount : now - this.builtCount > Math.max(256, now / 20)) {
      this.nameGrams.build(this.cols.name, now, this.alive);
      this.fullGrams.build(this.cols.full, now, this.alive);
      this.initialsGrams.build(this.cols.initials, now, this.alive);
      this.enGrams.build(this.cols.en, now, this.alive);
      this.skuKeys.build(this.cols.sku, now, this.alive);
      this.barcodeKeys.build(this.cols.barcodes, now, this.alive);
      this.builtCount = now;
    }
  }

  stats(): SearchIndexStats {
    let textChars = 0;
    let typedArrayBytes =
      this.nameGrams.byteLength +
      this.fullGrams.byteLength +
      this.initialsGrams.byteLength +
      this.enGrams.byteLength +
      this.skuKeys.byteLength +
      this.barcodeKeys.byteLength +
      this.alive.byteLength +
      this.best.byteLength +
      this.stamp.byteLength +
      this.matched.byteLength;
    for (const f of FIELDS) {
      textChars += this.cols[f].text.length;
      typedArrayBytes += this.cols[f].offsets.byteLength;
    }
    return { products: this.size, slots: this.cols.sku.count, textChars, typedArrayBytes };
  }

  // ---- internals -------------------------------------------------------------------------

  private kill(slot: number): void {
    if (this.alive[slot] === 0) return;
    this.alive[slot] = 0;
    this.skuBySlot[slot] = undefined;
    this.dead++;
  }

  private ensureCapacity(n: number): void {
    if (n <= this.alive.length) return;
    let cap = this.alive.length;
    while (cap < n) cap *= 2;
    const alive = new Uint8Array(cap);
    alive.set(this.alive);
    this.alive = alive;
    this.best = new Float64Array(cap);
    this.stamp = new Uint32Array(cap);
    this.generation = 0;
    this.matched = new Int32Array(cap);
  }

  private begin(): void {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    this.matchedCount = 0;
  }

  private record(slot: number, tier: number): void {
    const nameLen = Math.min(this.cols.name.length(slot), 4095);
    // One float orders by tier, then shorter name (closer match), then load order; unique per slot.
    const score = tier * TIER_UNIT + nameLen * LENGTH_UNIT + slot;
    if (this.stamp[slot] !== this.generation) {
      this.stamp[slot] = this.generation;
      this.best[slot] = score;
      this.matched[this.matchedCount++] = slot;
    } else if (score < this.best[slot]!) {
      this.best[slot] = score;
    }
  }

  private check(candidates: Int32Array, tierOf: (slot: number) => number): void {
    for (const slot of candidates) {
      if (this.alive[slot] !== 1) continue;
      const tier = tierOf(slot);
      if (tier < NO_MATCH) this.record(slot, tier);
    }
  }

  /** Slots that may contain every token: longest (most selective) token first; stop narrowing once few are left. */
  private allTokens(grams: GramPostings, tokens: string[], anchored: boolean): Int32Array {
    const byLength = [...new Set(tokens)].sort((a, b) => b.length - a.length);
    let acc = grams.candidates(byLength[0]!, anchored);
    for (let i = 1; i < byLength.length && acc.length > 64; i++)
      acc = intersect(acc, grams.candidates(byLength[i]!, anchored));
    return acc;
  }

  /** Tier of a one-character query for a slot known to have a value or word starting with it. */
  private startTier(col: SegmentText, slot: number, code: number): void {
    if (this.alive[slot] !== 1) return;
    const start = col.offsets[slot]! + 1;
    if (col.text.charCodeAt(start) !== code) this.record(slot, TIER.wordPrefix);
    else this.record(slot, col.length(slot) === 1 ? TIER.exact : TIER.prefix);
  }

  private recordAt(col: SegmentText, pos: number, exact: boolean): void {
    const slot = col.slotAt(pos);
    if (this.alive[slot] === 1) this.record(slot, exact ? TIER.exact : TIER.prefix);
  }

  /**
   * Initials that only loosely fit, for when strict matches do not fill the page: the query's
   * letters in order with gaps ('ynn' → yjnn), or, with `oneTypo`, the initials' prefix with
   * one letter wrong ('ymn' → yjnn). The first letter must always match.
   */
  private scanInitialsLoose(q: string, oneTypo: boolean): void {
    const col = this.cols.initials;
    const text = col.text;
    const o = col.offsets;
    const n = q.length;
    const check = (slot: number) => {
      if (this.alive[slot] !== 1) return;
      const start = o[slot]! + 1;
      const end = o[slot + 1]!;
      if (oneTypo) {
        if (end - start < n) return;
        let wrong = 0;
        for (let k = 1; k < n && wrong <= 1; k++) if (text.charCodeAt(start + k) !== q.charCodeAt(k)) wrong++;
        if (wrong === 1) this.record(slot, TIER.initialsOneTypo);
      } else {
        let k = 1;
        for (let p = start + 1; p < end && k < n; p++) if (text.charCodeAt(p) === q.charCodeAt(k)) k++;
        if (k === n) this.record(slot, TIER.initialsSubsequence);
      }
    };
    // Initials have no spaces, so "a word starts with" is "the initials start with" here.
    for (const slot of this.initialsGrams.startsWith(q.charCodeAt(0))) check(slot);
    for (let slot = this.builtCount; slot < col.count; slot++)
      if (text.charCodeAt(o[slot]! + 1) === q.charCodeAt(0)) check(slot);
  }

  /** The `limit` best scores, by insertion into a small sorted buffer (limit ≪ matches). */
  private top(limit: number): string[] {
    const n = this.matchedCount;
    const best = new Float64Array(Math.min(limit, n));
    let size = 0;
    for (let i = 0; i < n; i++) {
      const score = this.best[this.matched[i]!]!;
      if (size === best.length && score >= best[size - 1]!) continue;
      let lo = 0;
      let hi = size;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (best[mid]! < score) lo = mid + 1;
        else hi = mid;
      }
      if (size < best.length) size++;
      best.copyWithin(lo + 1, lo, size - 1);
      best[lo] = score;
    }
    const out: string[] = [];
    for (let i = 0; i < size; i++) {
      const sku = this.skuBySlot[best[i]! % LENGTH_UNIT];
      if (sku !== undefined) out.push(sku);
    }
    return out;
  }
}

/** Tier of the best occurrence of `needle` in one product's value of a column. */
function fieldTier(col: SegmentText, slot: number, needle: string): number {
  if (col.length(slot) < needle.length) return NO_MATCH;
  const v = col.value(slot);
  let best = NO_MATCH;
  let p = v.indexOf(needle);
  while (p !== -1 && best > TIER.prefix) {
    const tier =
      p === 0
        ? needle.length === v.length
          ? TIER.exact
          : TIER.prefix
        : v.charCodeAt(p - 1) === SPACE_CODE
          ? TIER.wordPrefix
          : TIER.substring;
    if (tier < best) best = tier;
    p = v.indexOf(needle, p + 1);
  }
  return best;
}

/**
 * fieldTier for values without spaces (pinyin, initials), reading the column in place. A
 * two-character needle among its bigram candidates is certainly contained (the postings are
 * exact for one bigram), which spares the check for the commonest, largest candidate lists.
 */
function compactTier(col: SegmentText, slot: number, needle: string): number {
  const len = col.length(slot);
  if (len < needle.length) return NO_MATCH;
  if (col.text.startsWith(needle, col.offsets[slot]! + 1)) return len === needle.length ? TIER.exact : TIER.prefix;
  if (needle.length === 2) return TIER.substring;
  return col.value(slot).includes(needle) ? TIER.substring : NO_MATCH;
}

/** Like fieldTier, but only whole-value and word-start matches count (English names). */
function wordTier(col: SegmentText, slot: number, needle: string): number {
  // fieldTier looks at every occurrence, so "substring" means no occurrence starts a word.
  const t = fieldTier(col, slot, needle);
  return t <= TIER.wordPrefix ? t : NO_MATCH;
}

/**
 * Several words: every word must occur — at a word start for `wordsOnly`, and always for a
 * single Latin letter or digit (as for one-character queries); tier by whole phrase, then
 * word starts. Built once per query: it runs on thousands of candidates.
 */
function tokensMatcher(q: string, tokens: string[], wordsOnly: boolean): (v: string) => number {
  const words = [...new Set(tokens)].map((t) => ({
    t,
    spaced: ' ' + t,
    startOnly: wordsOnly || (t.length === 1 && !hasCjk(t)),
  }));
  const atStart = (v: string, w: { t: string; spaced: string }) => v.startsWith(w.t) || v.includes(w.spaced);
  return (v: string) => {
    for (const w of words) if (w.startOnly ? !atStart(v, w) : !v.includes(w.t)) return NO_MATCH;
    if (v === q) return TIER.exact;
    if (v.startsWith(q)) return TIER.prefix;
    for (const w of words) if (!w.startOnly && !atStart(v, w)) return TIER.substring;
    return TIER.wordPrefix;
  };
}

/** SKU/barcode value (alternatives separated by ALT) against a prefix query. */
function keyTier(v: string, needle: string): number {
  let best = NO_MATCH;
  for (const k of v.split(ALT)) {
    if (k === needle) return TIER.exact;
    if (k.startsWith(needle)) best = TIER.prefix;
  }
  return best;
}

export function createProductSearchIndex(products?: Iterable<SearchableProduct>): ProductSearchIndex {
  const index = new Index();
  if (products) {
    for (const p of products) index.upsert(p);
    index.prepare(true); // builds the lookups now rather than on the first search
  }
  return index;
}
