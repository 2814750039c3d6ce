// MoveNet MultiPose decode, done here instead of in the graph (the converter cuts at the six
// heads, like CenterNet's): a person is a peak of the centre heatmap (3×3 maximum); its box is the
// centre plus `box_offset` ± half of `box_scale`; each of its 17 keypoints is regressed from the
// centre (`kpt_regress`) and then snapped to the best cell of that keypoint's heatmap inside the
// box, weighted by a Gaussian around the regressed point (exp(−d² / (0.3 · min(gridH, gridW))),
// the graph's constants), plus `kpt_offset`. Unlike the graph, which keeps the best 6 centres,
// every peak above the score floor is kept, so a group of more than six is not cut short; the
// detection score is the centre's, not the graph's keypoint mean.
import { isPeak3x3, type RawDetection } from './detection';

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
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const logit = (p: number) => Math.log(p / (1 - p));

interface Person {
  /** Centre cell. */
  y: number;
  x: number;
  /** Box in grid cells, clipped to the grid. */
  y1: number;
  x1: number;
  y2: number;
  x2: number;
  score: number;
}

function checkSize(name: string, data: Float32Array, channels: number, gridH: number, gridW: number): void {
  if (data.length !== channels * gridH * gridW)
    throw new Error(`movenet ${name} has ${data.length} values, expected ${channels}x${gridH}x${gridW}`);
}

/** Centre peaks (best first) and their boxes, in grid cells. */
function people(
  center: Float32Array,
  boxScale: Float32Array,
  boxOffset: Float32Array,
  gridH: number,
  gridW: number,
  opts: MovenetDecodeOptions,
): Person[] {
  checkSize('center', center, 1, gridH, gridW);
  checkSize('boxScale', boxScale, 2, gridH, gridW);
  checkSize('boxOffset', boxOffset, 2, gridH, gridW);
  const plane = gridH * gridW;
  // Compare logits: sigmoid is monotonic, so only candidates get the exp.
  const floor = opts.scoreThreshold <= 0 ? -Infinity : opts.scoreThreshold >= 1 ? Infinity : logit(opts.scoreThreshold);
  const peaks: { y: number; x: number; v: number }[] = [];
  for (let y = 0; y < gridH; y++) {
    for (let x = 0; x < gridW; x++) {
      const v = center[y * gridW + x] as number;
      if (!(v >= floor)) continue;
      if (isPeak3x3(center, 0, y, x, gridH, gridW)) peaks.push({ y, x, v });
    }
  }
  peaks.sort((a, b) => b.v - a.v || a.y * gridW + a.x - (b.y * gridW + b.x));
  return peaks.slice(0, opts.topK ?? 100).map(({ y, x, v }) => {
    const i = y * gridW + x;
    const cy = y + (boxOffset[i] as number);
    const cx = x + (boxOffset[plane + i] as number);
    const h = Math.max(0, boxScale[i] as number);
    const w = Math.max(0, boxScale[plane + i] as number);
    const clip = (t: number, max: number) => Math.min(Math.max(t, 0), max);
    return {
      y,
      x,
      y1: clip(cy - h / 2, gridH),
      y2: clip(cy + h / 2, gridH),
      x1: clip(cx - w / 2, gridW),
      x2: clip(cx + w / 2, gridW),
      score: sigmoid(v),
    };
  });
}

/** A person's box in model-input pixels. */
function inputBox(p: Person, stride: number): RawDetection {
  return { x1: p.x1 * stride, y1: p.y1 * stride, x2: p.x2 * stride, y2: p.y2 * stride, score: p.score, classId: 0 };
}

/** Boxes only, from the centre and box heads (the person detector computes no keypoint heads). */
export function decodeMovenetBoxes(
  center: Float32Array,
  boxScale: Float32Array,
  boxOffset: Float32Array,
  gridH: number,
  gridW: number,
  opts: MovenetDecodeOptions,
): RawDetection[] {
  const stride = opts.stride ?? 4;
  return people(center, boxScale, boxOffset, gridH, gridW, opts).map((p) => inputBox(p, stride));
}

/** People with their 17 keypoints. */
export function decodeMovenet(
  heads: MovenetHeads,
  gridH: number,
  gridW: number,
  opts: MovenetDecodeOptions,
): RawPose[] {
  checkSize('kptHeatmap', heads.kptHeatmap, KEYPOINTS, gridH, gridW);
  checkSize('kptRegress', heads.kptRegress, 2 * KEYPOINTS, gridH, gridW);
  checkSize('kptOffset', heads.kptOffset, 2 * KEYPOINTS, gridH, gridW);
  const { kptHeatmap, kptRegress, kptOffset } = heads;
  const stride = opts.stride ?? 4;
  const plane = gridH * gridW;
  const denom = SIGMA_SCALE * Math.min(gridH, gridW);
  return people(heads.center, heads.boxScale, heads.boxOffset, gridH, gridW, opts).map((p) => {
    const i = p.y * gridW + p.x;
    const keypoints: Keypoint[] = [];
    for (let k = 0; k < KEYPOINTS; k++) {
      const ry = p.y + (kptRegress[2 * k * plane + i] as number);
      const rx = p.x + (kptRegress[(2 * k + 1) * plane + i] as number);
      // Cells whose index lies in [y1, y2) × [x1, x2), as the graph's GreaterEqual/Less mask.
      let best = -1;
      let by = Math.round(ry);
      let bx = Math.round(rx);
      for (let gy = Math.max(0, Math.ceil(p.y1)); gy < Math.min(gridH, Math.ceil(p.y2)); gy++) {
        for (let gx = Math.max(0, Math.ceil(p.x1)); gx < Math.min(gridW, Math.ceil(p.x2)); gx++) {
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
    return { ...inputBox(p, stride), keypoints };
  });
}
