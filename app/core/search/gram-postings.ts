// Bigram postings over one text column: for every pair of adjacent characters the sorted list
// of product slots whose value contains it. The start of a value and the start of a word
// count as one "boundary" character, so (boundary, c) means "a value or word starts with c".
// Chinese characters also get single-character postings. A query's rarest bigrams give a
// short candidate list that is then checked against the text, so a search touches a few
// thousand slots instead of scanning megabytes. Slot lists are stored gap-encoded (varint),
// about 1.2 bytes per entry instead of 4.
import type { SegmentText } from './segment-text';

export const BOUNDARY = 1;
const SPACE = 32;
const CJK_FROM = 0x3400;

/** Key of the bigram (a, b); a single character c (used for Chinese) is key c. */
const key = (a: number, b: number) => a * 65536 + b;

export interface GramOptions {
  /** Only the first `wordPrefixDepth` characters of each word are indexed (prefix-only fields). */
  wordPrefixDepth?: number;
}

export class GramPostings {
  private ids = new Map<number, number>();
  /** Per gram: number of slots, and where its gap-encoded slot list starts in `data`. */
  private counts = new Int32Array(0);
  private starts = new Int32Array(1);
  /** Slot lists as varint gaps (1 byte for most entries instead of 4). */
  private data = new Uint8Array(0);

  constructor(private readonly options: GramOptions = {}) {}

  /** Builds over slots [0, count) of the column; `alive` filters removed slots out. */
  build(col: SegmentText, count: number, alive: Uint8Array): void {
    const ids = new Map<number, number>();
    let counts = new Int32Array(4096);
    let bytes = new Int32Array(4096);
    let last = new Int32Array(4096).fill(-1);
    const text = col.text;
    // Pass 1 maps each slot's grams to ids (kept in `seq`, 4 bytes per entry, freed after the
    // build) and sizes every list; pass 2 writes the gap-encoded lists from `seq` alone.
    let seq = new Int32Array(Math.max(1024, count * 8));
    const perSlot = new Int32Array(count);
    let used = 0;
    for (let slot = 0; slot < count; slot++) {
      if (alive[slot] !== 1) continue;
      const n = this.gramsOf(text, col.offsets[slot]! + 1, col.offsets[slot + 1]!);
      if (used + n > seq.length) {
        const grown = new Int32Array(Math.max(seq.length * 2, used + n));
        grown.set(seq);
        seq = grown;
      }
      perSlot[slot] = n;
      const grams = this.scratch;
      for (let g = 0; g < n; g++) {
        const k = grams[g]!;
        let id = ids.get(k);
        if (id === undefined) {
          id = ids.size;
          ids.set(k, id);
          if (id >= counts.length) {
            counts = grow(counts);
            bytes = grow(bytes);
            last = grow(last, -1);
          }
        }
        seq[used++] = id;
        const gap = slot - last[id]!;
        last[id] = slot;
        counts[id]!++;
        bytes[id]! += gap < 0x80 ? 1 : gap < 0x4000 ? 2 : gap < 0x200000 ? 3 : 4;
      }
    }
    const starts = new Int32Array(ids.size + 1);
    for (let i = 0; i < ids.size; i++) starts[i + 1] = starts[i]! + bytes[i]!;
    const data = new Uint8Array(starts[ids.size]!);
    const cursor = starts.slice(0, ids.size);
    last.fill(-1);
    let r = 0;
    for (let slot = 0; slot < count; slot++) {
      const n = perSlot[slot]!;
      for (let g = 0; g < n; g++) {
        const id = seq[r++]!;
        let gap = slot - last[id]!;
        last[id] = slot;
        let at = cursor[id]!;
        while (gap >= 0x80) {
          data[at++] = (gap & 0x7f) | 0x80;
          gap >>>= 7;
        }
        data[at++] = gap;
        cursor[id] = at;
      }
    }
    this.starts = starts;
    this.counts = counts.slice(0, ids.size);
    this.data = data;
    this.ids = ids;
  }

  get byteLength(): number {
    return this.data.byteLength + this.starts.byteLength + this.counts.byteLength + this.ids.size * 24;
  }

  // Gram keys need up to 32 bits per character pair, so Float64 rather than Int32.
  private scratch = new Float64Array(256);

  /** Distinct gram keys of one value into this.scratch; returns how many. */
  private gramsOf(text: string, start: number, end: number): number {
    if (this.scratch.length < (end - start) * 2) this.scratch = new Float64Array((end - start) * 2);
    const out = this.scratch;
    let n = 0;
    const depth = this.options.wordPrefixDepth ?? Infinity;
    let prev = BOUNDARY;
    let inWord = 0;
    for (let p = start; p < end; p++) {
      let c = text.charCodeAt(p);
      if (c === SPACE) c = BOUNDARY;
      inWord = prev === BOUNDARY ? 0 : inWord + 1;
      if (inWord < depth) out[n++] = key(prev, c);
      if (c >= CJK_FROM) out[n++] = c;
      prev = c;
    }
    out.subarray(0, n).sort();
    let w = 0;
    for (let r = 0; r < n; r++) if (r === 0 || out[r] !== out[r - 1]) out[w++] = out[r]!;
    return w;
  }

  /** How many slots have gram k (no decoding). */
  private size(k: number): number {
    const id = this.ids.get(k);
    return id === undefined ? 0 : this.counts[id]!;
  }

  /** The slots of `acc` that also have gram k, decoding k's list only as far as needed. */
  narrow(acc: Int32Array, k: number): Int32Array {
    const id = this.ids.get(k);
    if (id === undefined) return EMPTY;
    const out = new Int32Array(acc.length);
    const data = this.data;
    const total = this.counts[id]!;
    let at = this.starts[id]!;
    let slot = -1;
    let n = 0;
    let j = 0;
    for (let i = 0; i < total && j < acc.length; i++) {
      let gap = 0;
      let shift = 0;
      let b: number;
      do {
        b = data[at++]!;
        gap |= (b & 0x7f) << shift;
        shift += 7;
      } while (b & 0x80);
      slot += gap;
      while (j < acc.length && acc[j]! < slot) j++;
      if (j < acc.length && acc[j] === slot) out[n++] = acc[j++]!;
    }
    return out.subarray(0, n);
  }

  /** The sorted slots that have gram k. */
  list(k: number): Int32Array {
    const id = this.ids.get(k);
    if (id === undefined) return EMPTY;
    const out = new Int32Array(this.counts[id]!);
    const data = this.data;
    let at = this.starts[id]!;
    let slot = -1;
    for (let i = 0; i < out.length; i++) {
      let gap = 0;
      let shift = 0;
      let b: number;
      do {
        b = data[at++]!;
        gap |= (b & 0x7f) << shift;
        shift += 7;
      } while (b & 0x80);
      slot += gap;
      out[i] = slot;
    }
    return out;
  }

  /** Slots whose value (or, with `wordStart`, one of whose words) starts with character c. */
  startsWith(c: number): Int32Array {
    return this.list(key(BOUNDARY, c));
  }

  /**
   * Slots that may contain `needle` (they have its three rarest bigrams; the caller checks the
   * text). `anchored` adds the boundary in front (word/value start) — required for fields
   * indexed only to a word-prefix depth. A one-character needle: that Chinese character
   * anywhere, else values/words starting with it.
   */
  candidates(needle: string, anchored = false): Int32Array {
    if (needle.length === 0) return EMPTY;
    const depth = this.options.wordPrefixDepth ?? Infinity;
    const codes: number[] = anchored ? [BOUNDARY] : [];
    for (let i = 0; i < needle.length; i++)
      codes.push(needle.charCodeAt(i) === SPACE ? BOUNDARY : needle.charCodeAt(i));
    if (codes.length === 1) {
      const c = codes[0]!;
      return c >= CJK_FROM ? this.list(c) : this.startsWith(c);
    }
    const keys: number[] = [];
    for (let i = 0; i + 1 < codes.length && i < depth; i++) keys.push(key(codes[i]!, codes[i + 1]!));
    keys.sort((a, b) => this.size(a) - this.size(b));
    let acc = this.list(keys[0]!);
    // Decoding a list costs a few ns per entry, checking a false candidate a few hundred ns:
    // narrow with the next-rarest lists only while they are not much longer than the candidates.
    for (let i = 1; i < Math.min(keys.length, 3) && acc.length > 0; i++) {
      if (this.size(keys[i]!) > 16 * acc.length) break;
      acc = this.narrow(acc, keys[i]!);
    }
    return acc;
  }
}

const EMPTY = new Int32Array(0);

function grow(a: Int32Array, fill = 0): Int32Array<ArrayBuffer> {
  const out = new Int32Array(a.length * 2);
  out.set(a);
  if (fill !== 0) out.fill(fill, a.length);
  return out;
}

/** Sorted intersection, binary-searching the longer list. */
export function intersect(small: Int32Array, large: Int32Array): Int32Array {
  if (small.length > large.length) [small, large] = [large, small];
  const out = new Int32Array(small.length);
  let n = 0;
  let lo = 0;
  for (let i = 0; i < small.length; i++) {
    const v = small[i]!;
    let hi = large.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (large[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo < large.length && large[lo] === v) out[n++] = v;
  }
  return out.subarray(0, n);
}
