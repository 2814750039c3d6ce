// In-memory product search for the till's lookup box: Chinese name, full pinyin, pinyin
// initials, English name, SKU and barcode. Built for 100,000 products in a few tens of MB:
// each field is one SegmentText column, products are slots (numbers), and a search is a few
// String#indexOf scans plus a numeric sort. See docs/barcodes.md for the ranking rules.
import { hasCjk, normalizeText } from './normalize';
import { pinyinKeys } from './pinyin-keys';
import { ALT, ALT_CODE, SEP, SEP_CODE, SegmentText } from './segment-text';

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
}

/** Match tiers, best first. */
export const TIER = { exact: 0, prefix: 1, wordPrefix: 2, substring: 3, initialsSubsequence: 4, initialsOneTypo: 5 } as const;

const SPACE_CODE = 32;
const TIER_UNIT = 2 ** 44;
const LENGTH_UNIT = 2 ** 32;
const MAX_LIMIT = 1000;

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
    const stripped = /^0+\d/.test(n) && /^\d+$/.test(n) ? n.replace(/^0+/, '') : '';
    if (stripped && stripped !== n) keys.push(stripped);
  }
  return keys.join(ALT);
}

class Index implements ProductSearchIndex {
  private cols: Record<FieldName, SegmentText> = {
    sku: new SegmentText(), barcodes: new SegmentText(), name: new SegmentText(),
    full: new SegmentText(), initials: new SegmentText(), en: new SegmentText(),
  };
  private skuBySlot: (string | undefined)[] = [];
  private slotBySku = new Map<string, number>();
  private alive = new Uint8Array(1024);
  private dead = 0;

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
    const keys = typeof p.fullPinyin === 'string' && typeof p.initials === 'string'
      ? { full: normalizeText(p.fullPinyin).replace(/ /g, ''), initials: normalizeText(p.initials).replace(/ /g, '') }
      : pinyinKeys(name);
    const slot = this.cols.sku.count;
    this.cols.sku.append(normalizeText(p.sku));
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
    this.compactIfWorthIt();
    this.begin();
    const tokens = q.split(' ');
    const joined = tokens.join('');
    const cjk = hasCjk(q);

    if (tokens.length === 1) {
      // Tiers 0–2 first: if they already fill the page, the (much larger) substring scan is skipped.
      for (const f of FIELDS) {
        if (cjk && f !== 'name') continue;
        this.scan(f, SEP + q, 1);
        if (f === 'barcodes') this.scan(f, ALT + q, 1);
        if (f === 'en' || f === 'name') this.scan(f, ' ' + q, 1);
      }
      if (this.matchedCount < max) for (const f of FIELDS) if (!cjk || f === 'name') this.scan(f, q, 0);
    } else {
      // Several words: name and English name need every word; the other keys ignore the spaces.
      this.scanTokens('name', q, tokens);
      if (!cjk) {
        this.scanTokens('en', q, tokens);
        for (const f of ['full', 'initials', 'sku', 'barcodes'] as const) {
          this.scan(f, SEP + joined, 1);
          if (this.matchedCount < max) this.scan(f, joined, 0);
        }
      }
    }
    if (this.matchedCount < max && /^[a-z]{2,}$/.test(joined)) {
      this.scanInitialsLoose(joined, false);
      if (this.matchedCount < max && joined.length >= 3) this.scanInitialsLoose(joined, true);
    }
    return this.top(max);
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

  /** Drops dead slots once they are a quarter of the columns (after many upserts/removes). */
  private compactIfWorthIt(): void {
    const count = this.cols.sku.count;
    if (this.dead < 1024 || this.dead * 4 < count) return;
    const keep = (i: number) => this.alive[i] === 1;
    for (const f of FIELDS) this.cols[f] = this.cols[f].compact(keep);
    const skus: string[] = [];
    for (let i = 0; i < count; i++) if (this.alive[i] === 1) skus.push(this.skuBySlot[i]!);
    this.skuBySlot = skus;
    this.slotBySku = new Map(skus.map((s, i) => [s, i]));
    this.alive = new Uint8Array(this.alive.length);
    this.alive.fill(1, 0, skus.length);
    this.dead = 0;
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

  /**
   * Every occurrence of `needle` in a column. `lead` is how many leading separator characters the
   * needle carries (1 for SEP/ALT/space + query); the tier comes from what surrounds the match.
   */
  private scan(f: FieldName, needle: string, lead: 0 | 1): void {
    const col = this.cols[f];
    const text = col.text;
    const qLen = needle.length - lead;
    let pos = text.indexOf(needle);
    while (pos !== -1) {
      const start = pos + lead;
      const slot = col.slotAt(start);
      if (this.alive[slot] === 1 && start + qLen <= col.offsets[slot + 1]!) {
        const prev = text.charCodeAt(start - 1);
        const next = text.charCodeAt(start + qLen);
        let tier: number;
        if (prev === SEP_CODE || prev === ALT_CODE) tier = next === SEP_CODE || next === ALT_CODE ? TIER.exact : TIER.prefix;
        else tier = prev === SPACE_CODE ? TIER.wordPrefix : TIER.substring;
        this.record(slot, tier);
      }
      pos = text.indexOf(needle, pos + 1);
    }
  }

  /** Multi-word query on a column with words (name, English name): every word must occur. */
  private scanTokens(f: FieldName, q: string, tokens: string[]): void {
    const col = this.cols[f];
    const text = col.text;
    const anchor = tokens.reduce((a, b) => (b.length > a.length ? b : a));
    let pos = text.indexOf(anchor);
    let lastSlot = -1;
    while (pos !== -1) {
      const slot = col.slotAt(pos);
      if (slot !== lastSlot && this.alive[slot] === 1) {
        lastSlot = slot;
        const v = col.value(slot);
        if (tokens.every((t) => v.includes(t))) {
          let tier: number = TIER.substring;
          if (v === q) tier = TIER.exact;
          else if (v.startsWith(q)) tier = TIER.prefix;
          else if (tokens.every((t) => v.startsWith(t) || v.includes(' ' + t))) tier = TIER.wordPrefix;
          this.record(slot, tier);
        }
      }
      pos = text.indexOf(anchor, pos + 1);
    }
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
    const first = q.charCodeAt(0);
    const n = q.length;
    for (let slot = 0; slot < col.count; slot++) {
      const start = o[slot]! + 1;
      if (text.charCodeAt(start) !== first || this.alive[slot] !== 1) continue;
      const end = o[slot + 1]!;
      if (oneTypo) {
        if (end - start < n) continue;
        let wrong = 0;
        for (let k = 1; k < n && wrong <= 1; k++) if (text.charCodeAt(start + k) !== q.charCodeAt(k)) wrong++;
        if (wrong === 1) this.record(slot, TIER.initialsOneTypo);
      } else {
        let k = 1;
        for (let p = start + 1; p < end && k < n; p++) if (text.charCodeAt(p) === q.charCodeAt(k)) k++;
        if (k === n) this.record(slot, TIER.initialsSubsequence);
      }
    }
  }

  private top(limit: number): string[] {
    const n = this.matchedCount;
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) scores[i] = this.best[this.matched[i]!]!;
    scores.sort();
    const out: string[] = [];
    for (let i = 0; i < n && out.length < limit; i++) {
      const slot = scores[i]! % LENGTH_UNIT;
      const sku = this.skuBySlot[slot];
      if (sku !== undefined) out.push(sku);
    }
    return out;
  }
}

export function createProductSearchIndex(products?: Iterable<SearchableProduct>): ProductSearchIndex {
  const index = new Index();
  if (products) for (const p of products) index.upsert(p);
  return index;
}
