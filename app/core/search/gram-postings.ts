// Bigram postings over one text column: for every pair of adjacent characters the sorted list
// of product slots whose value contains it. The start of a value and the start of a word
// count as one "boundary" character, so (boundary, c) means "a value or word starts with c".
// Chinese characters also get single-character postings. A query's rarest bigrams give a
// short candidate list that is then checked against the text, so a search touches a few
// thousand slots instead of scanning megabytes. Two typed arrays, 4 bytes per entry.
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
  private starts = new Int32Array(1);
  private postings = new Int32Array(0);

  constructor(private readonly options: GramOptions = {}) {}

  /** Builds over slots [0, count) of the column; `alive` filters removed slots out. */
  build(col: SegmentText, count: number, alive: Uint8Array): void {
    const ids = new Map<number, number>();
    let counts = new Int32Array(4096);
    const text = col.text;
    // Pass 1 assigns ids and counts; pass 2 fills. Two passes avoid a temporary (id, slot)
    // array as large as the postings themselves.
    let cursor = new Int32Array(0);
    let postings = new Int32Array(0);
    for (let pass = 0; pass < 2; pass++) {
      if (pass === 1) {
        const starts = new Int32Array(ids.size + 1);
        for (let i = 0; i < ids.size; i++) starts[i + 1] = starts[i]! + counts[i]!;
        postings = new Int32Array(starts[ids.size]!);
        cursor = starts.slice(0, ids.size);
        this.starts = starts;
      }
      for (let slot = 0; slot < count; slot++) {
        if (alive[slot] !== 1) continue;
        const n = this.gramsOf(text, col.offsets[slot]! + 1, col.offsets[slot + 1]!);
        const grams = this.scratch;
        for (let g = 0; g < n; g++) {
          const k = grams[g]!;
          let id = ids.get(k);
          if (pass === 0) {
            if (id === undefined) {
              id = ids.size;
              ids.set(k, id);
              if (id >= counts.length) {
                const grown = new Int32Array(counts.length * 2);
                grown.set(counts);
                counts = grown;
              }
            }
            counts[id]!++;
          } else {
            postings[cursor[id!]!++] = slot;
          }
        }
      }
    }
    this.postings = postings;
    this.ids = ids;
  }

  get byteLength(): number {
    return this.postings.byteLength + this.starts.byteLength + this.ids.size * 24;
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

  list(k: number): Int32Array {
    const id = this.ids.get(k);
    if (id === undefined) return EMPTY;
    return this.postings.subarray(this.starts[id]!, this.starts[id + 1]!);
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
    for (let i = 0; i < needle.length; i++) codes.push(needle.charCodeAt(i) === SPACE ? BOUNDARY : needle.charCodeAt(i));
    if (codes.length === 1) {
      const c = codes[0]!;
      return c >= CJK_FROM ? this.list(c) : this.startsWith(c);
    }
    const lists: Int32Array[] = [];
    for (let i = 0; i + 1 < codes.length && i < depth; i++) lists.push(this.list(key(codes[i]!, codes[i + 1]!)));
    lists.sort((a, b) => a.length - b.length);
    let acc = lists[0]!;
    for (let i = 1; i < Math.min(lists.length, 3) && acc.length > 0; i++) acc = intersect(acc, lists[i]!);
    return acc;
  }
}

const EMPTY = new Int32Array(0);

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

export function union(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0, j = 0, n = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    if (x === y) { out[n++] = x; i++; j++; } else if (x < y) { out[n++] = x; i++; } else { out[n++] = y; j++; }
  }
  return out.subarray(0, n);
}
