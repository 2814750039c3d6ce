// A compact column of short strings: every value of one field for every product, joined into
// one string with a separator, plus a typed array of where each value starts. Searching a
// column is one String#indexOf over a few megabytes instead of a loop over 100,000 objects,
// and it costs a few bytes per product instead of an object header per value.

/** Separates products' values. Never appears inside a value (normalizeText strips controls). */
export const SEP = '\u0001';
export const SEP_CODE = 1;
/** Separates alternatives inside one product's value (e.g. several barcodes). */
export const ALT = '\u0002';
export const ALT_CODE = 2;

export class SegmentText {
  /** SEP v0 SEP v1 … SEP v(n-1) SEP — materialised lazily from `pending`. */
  private committed = SEP;
  private pending: string[] = [];
  /** offsets[i] is the index of the SEP in front of value i; offsets[count] is the final SEP. */
  offsets = new Int32Array(1024);
  count = 0;

  append(value: string): void {
    if (this.count + 2 > this.offsets.length) {
      const grown = new Int32Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.pending.push(value + SEP);
    this.offsets[this.count + 1] = this.offsets[this.count]! + value.length + 1;
    this.count++;
  }

  get text(): string {
    if (this.pending.length > 0) {
      // V8 flattens this cons-string in place on the first indexOf, so the copy happens once.
      this.committed = this.committed + this.pending.join('');
      this.pending = [];
    }
    return this.committed;
  }

  /** The value stored for slot i. */
  value(i: number): string {
    return this.text.slice(this.offsets[i]! + 1, this.offsets[i + 1]!);
  }

  length(i: number): number {
    return this.offsets[i + 1]! - this.offsets[i]! - 1;
  }

  /** The slot whose value contains text position `pos` (or whose leading SEP is at `pos`). */
  slotAt(pos: number): number {
    const o = this.offsets;
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (o[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** A new column holding only the slots `keep` selects, in order. */
  compact(keep: (slot: number) => boolean): SegmentText {
    const out = new SegmentText();
    for (let i = 0; i < this.count; i++) if (keep(i)) out.append(this.value(i));
    return out;
  }
}
