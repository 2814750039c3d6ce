// MoveNet MultiPose decode, done here instead of in the graph (the converter cuts at the six
// heads, like CenterNet's): a person is a peak of the centre heatmap (3×3 maximum); its box is the
// centre plus `box_offset` ± half of `box_scale`; each of its 17 keypoints is regressed from the
// centre (`kpt_regress`) and then snapped to the best cell of that keypoint's heatmap inside the
// box, weighted by a Gaussian around the regressed point (exp(−d² / (0.3 · min(gridH, gridW))),
// the graph's constants), plus `kpt_offset`. Unlike the graph, which keeps the best 6 centres,
// every peak above the score floor is kept, so a group of more than six is not cut short; the
// detection score is the centre's, not the graph's keypoint mean.
import type { RawDetection } from './detection';

/** COCO keypoint order: 0 nose … 15 left ankle, 16 right ankle. */
export const MOVENET_KEYPOINTS = [
  'nose',
  'left_eye',
  'right_eye',
  'left_ear',
  'right_ear',
  'left_shoulder',
  'right_shoulder',
  'left_elbow',
  'right_elbow',
  'left_wrist',
  'right_wrist',
  'left_hip',
  'right_hip',
  'left_knee',
  'right_knee',
  'left_ankle',
  'right_ankle',
] as const;

const KEYPOINTS = MOVENET_KEYPOINTS.length;
/** The graph's Gaussian width: −d² / (SIGMA_SCALE · min(gridH, gridW)). */
const SIGMA_SCALE = 0.3;

export interface Keypoint {
  /** Model-input pixels. */
  x: number;
  y: number;
  /** The keypoint heatmap's sigmoid at the chosen cell. */
  score: number;
}

export interface RawPose extends RawDetection {
  keypoints: Keypoint[];
}

/** The six heads, NCHW without batch: centre [1,H,W], box_scale/box_offset [2,H,W] (y, x), kpt_heatmap [17,H,W], kpt_regress/kpt_offset [34,H,W] (y, x per keypoint). */
export interface MovenetHeads {
  center: Float32Array;
  boxScale: Float32Array;
  boxOffset: Float32Array;
  kptHeatmap: Float32Array;
  kptRegress: Float32Array;
  kptOffset: Float32Array;
}

export interface MovenetDecodeOptions {
  scoreThreshold: number;
  /** Input pixels per grid cell (4). */
  stride?: number;
  topK?: number;
  /** false: boxes only, `keypoints` left empty (saves the per-keypoint search). Default true. */
  keypoints?: boolean;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const logit = (p: number) => Math.log(p / (1 - p));

export function decodeMovenet(
  heads: MovenetHeads,
  gridH: number,
  gridW: number,
  opts: MovenetDecodeOptions,
): RawPose[] {
  const plane = gridH * gridW;
  const sizes: [keyof MovenetHeads, number][] = [
    ['center', 1],
    ['boxScale', 2],
    ['boxOffset', 2],
    ['kptHeatmap', KEYPOINTS],
    ['kptRegress', 2 * KEYPOINTS],
    ['kptOffset', 2 * KEYPOINTS],
  ];
  for (const [k, c] of sizes)
    if (heads[k].length !== c * plane)
      throw new Error(`movenet ${k} has ${heads[k].length} values, expected ${c}x${gridH}x${gridW}`);
  const stride = opts.stride ?? 4;
  const topK = opts.topK ?? 100;
  const { center, boxScale, boxOffset, kptHeatmap, kptRegress, kptOffset } = heads;
  // Compare logits: sigmoid is monotonic, so only candidates get the exp.
  const floor = opts.scoreThreshold <= 0 ? -Infinity : opts.scoreThreshold >= 1 ? Infinity : logit(opts.scoreThreshold);
  const peaks: { y: number; x: number; v: number }[] = [];
  for (let y = 0; y < gridH; y++) {
    for (let x = 0; x < gridW; x++) {
      const v = center[y * gridW + x] as number;
      if (!(v >= floor)) continue;
      let peak = true;
      for (let dy = -1; dy <= 1 && peak; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= gridH) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if ((dy || dx) && xx >= 0 && xx < gridW && (center[yy * gridW + xx] as number) > v) {
            peak = false;
            break;
          }
        }
      }
      if (peak) peaks.push({ y, x, v });
    }
  }
  peaks.sort((a, b) => b.v - a.v || a.y * gridW + a.x - (b.y * gridW + b.x));
  const denom = SIGMA_SCALE * Math.min(gridH, gridW);
  const out: RawPose[] = [];
  for (const { y, x, v } of peaks.slice(0, topK)) {
    const i = y * gridW + x;
    const cy = y + (boxOffset[i] as number);
    const cx = x + (boxOffset[plane + i] as number);
    const h = Math.max(0, boxScale[i] as number);
    const w = Math.max(0, boxScale[plane + i] as number);
    const y1 = Math.min(Math.max(cy - h / 2, 0), gridH);
    const y2 = Math.min(Math.max(cy + h / 2, 0), gridH);
    const x1 = Math.min(Math.max(cx - w / 2, 0), gridW);
    const x2 = Math.min(Math.max(cx + w / 2, 0), gridW);
    const keypoints: Keypoint[] = [];
    for (let k = 0; opts.keypoints !== false && k < KEYPOINTS; k++) {
      const ry = y + (kptRegress[2 * k * plane + i] as number);
      const rx = x + (kptRegress[(2 * k + 1) * plane + i] as number);
      // Cells whose index lies in [y1, y2) × [x1, x2), as the graph's GreaterEqual/Less mask.
      let best = -1;
      let by = Math.round(ry);
      let bx = Math.round(rx);
      for (let gy = Math.max(0, Math.ceil(y1)); gy < Math.min(gridH, Math.ceil(y2)); gy++) {
        for (let gx = Math.max(0, Math.ceil(x1)); gx < Math.min(gridW, Math.ceil(x2)); gx++) {
          const d2 = (gy - ry) ** 2 + (gx - rx) ** 2;
          const s = sigmoid(kptHeatmap[k * plane + gy * gridW + gx] as number) * Math.exp(-d2 / denom);
          if (s > best) {
            best = s;
            by = gy;
            bx = gx;
          }
        }
      }
      by = Math.min(Math.max(by, 0), gridH - 1);
      bx = Math.min(Math.max(bx, 0), gridW - 1);
      const j = by * gridW + bx;
      keypoints.push({
        y: (by + (kptOffset[2 * k * plane + j] as number)) * stride,
        x: (bx + (kptOffset[(2 * k + 1) * plane + j] as number)) * stride,
        score: sigmoid(kptHeatmap[k * plane + j] as number),
      });
    }
    out.push({
      x1: x1 * stride,
      y1: y1 * stride,
      x2: x2 * stride,
      y2: y2 * stride,
      score: sigmoid(v),
      classId: 0,
      keypoints,
    });
  }
  return out;
}
