// Prefix lookup for SKUs and barcodes: the start positions of every key in a column, sorted
// by the key text, so "keys starting with q" is a binary search plus a short walk. Keys end
// at the value separator or at the separator between alternatives (several barcodes).
import { ALT_CODE, SEP_CODE, type SegmentText } from './segment-text';

const isEnd = (c: number) => c === SEP_CODE || c === ALT_CODE || Number.isNaN(c);

export class SortedKeys {
  private positions = new Int32Array(0);
  private text = '';

  build(col: SegmentText, count: number, alive: Uint8Array): void {
    const text = col.text;
    const pos: number[] = [];
    for (let slot = 0; slot < count; slot++) {
      if (alive[slot] !== 1) continue;
      const end = col.offsets[slot + 1]!;
      let p = col.offsets[slot]! + 1;
      if (p === end) continue;
      pos.push(p);
      for (; p < end; p++) if (text.charCodeAt(p) === ALT_CODE) pos.push(p + 1);
    }
    const cmp = (a: number, b: number): number => {
      for (;;) {
        const x = text.charCodeAt(a++);
        const y = text.charCodeAt(b++);
        const ex = isEnd(x),
          ey = isEnd(y);
        if (ex || ey) return ex && ey ? 0 : ex ? -1 : 1;
        if (x !== y) return x - y;
      }
    };
    this.positions = Int32Array.from(pos.sort(cmp));
    this.text = text;
  }

  get byteLength(): number {
    return this.positions.byteLength;
  }

  /** Calls `hit(position, exact)` for every key that starts with `needle`. */
  prefix(needle: string, hit: (position: number, exact: boolean) => void): void {
    const { positions, text } = this;
    // Lower bound: first key >= needle (compared over needle.length characters).
    let lo = 0;
    let hi = positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (comparePrefix(text, positions[mid]!, needle) < 0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < positions.length; i++) {
      const p = positions[i]!;
      if (comparePrefix(text, p, needle) !== 0) break;
      hit(p, isEnd(text.charCodeAt(p + needle.length)));
    }
  }
}

/** <0, 0, >0 as the key at p sorts before, starts with, or sorts after `needle`. */
function comparePrefix(text: string, p: number, needle: string): number {
  for (let i = 0; i < needle.length; i++) {
    const x = text.charCodeAt(p + i);
    if (isEnd(x)) return -1;
    const d = x - needle.charCodeAt(i);
    if (d !== 0) return d;
  }
  return 0;
}
