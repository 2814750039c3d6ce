// Detection results and the pure maths every detector shares: IoU, greedy NMS, and mapping
// boxes from model-input pixels back to frame pixels.
import type { InputTransform } from './preprocess';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Detection {
  /** Frame pixels, top-left origin. */
  box: Box;
  score: number;
  classId: number;
  label: string;
}

/** Box as corners in model-input pixels, before mapping to the frame. */
export interface RawDetection {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  classId: number;
}

export function iou(a: RawDetection, b: RawDetection): number {
  const ix = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const iy = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = ix * iy;
  const areaA = Math.max(0, a.x2 - a.x1) * Math.max(0, a.y2 - a.y1);
  const areaB = Math.max(0, b.x2 - b.x1) * Math.max(0, b.y2 - b.y1);
  const union = areaA + areaB - inter;
  return union > 0 ? inter / union : 0;
}

export function boxIou(a: Box, b: Box): number {
  const r = (d: Box): RawDetection => ({
    x1: d.x,
    y1: d.y,
    x2: d.x + d.width,
    y2: d.y + d.height,
    score: 0,
    classId: 0,
  });
  return iou(r(a), r(b));
}

/**
 * The peak test of CenterNet-style heatmaps (the graphs' MaxPool 3×3 SAME + Equal): no cell of
 * the 3×3 neighbourhood of (y, x) is greater. `base` is the offset of the channel's plane.
 */
export function isPeak3x3(
  grid: Float32Array,
  base: number,
  y: number,
  x: number,
  gridH: number,
  gridW: number,
): boolean {
  const v = grid[base + y * gridW + x] as number;
  for (let dy = -1; dy <= 1; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= gridH) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      if (xx < 0 || xx >= gridW || (dx === 0 && dy === 0)) continue;
      if ((grid[base + yy * gridW + xx] as number) > v) return false;
    }
  }
  return true;
}

/** Share of box a's area that lies inside box b (1 when a is wholly inside b). */
export function boxInsideShare(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? (w * h) / Math.max(1e-9, a.width * a.height) : 0;
}

/**
 * Greedy NMS by descending score (ties keep the earlier one), per class unless
 * `classAgnostic`. Returns at most `maxDetections`.
 */
export function nonMaxSuppression(
  dets: RawDetection[],
  iouThreshold: number,
  maxDetections: number,
  classAgnostic = false,
): RawDetection[] {
  const order = dets.map((d, i) => ({ d, i })).sort((a, b) => b.d.score - a.d.score || a.i - b.i);
  const kept: RawDetection[] = [];
  for (const { d } of order) {
    if (kept.length >= maxDetections) break;
    if (kept.some((k) => (classAgnostic || k.classId === d.classId) && iou(k, d) > iouThreshold)) continue;
    kept.push(d);
  }
  return kept;
}

/** Model-input corners → frame-pixel box, clipped to the frame. */
export function toFrameBox(d: RawDetection, t: InputTransform): Box {
  const clampX = (v: number) => Math.min(t.frameWidth, Math.max(0, v));
  const clampY = (v: number) => Math.min(t.frameHeight, Math.max(0, v));
  const x1 = clampX((d.x1 - t.padX) / t.scaleX);
  const y1 = clampY((d.y1 - t.padY) / t.scaleY);
  const x2 = clampX((d.x2 - t.padX) / t.scaleX);
  const y2 = clampY((d.y2 - t.padY) / t.scaleY);
  return { x: x1, y: y1, width: Math.max(0, x2 - x1), height: Math.max(0, y2 - y1) };
}
