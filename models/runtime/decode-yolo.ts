// Output decoders for ONNX detectors that are not converted here (e.g. an Ultralytics export),
// selected by name in an OnnxDetectorConfig. Coordinates come out in model-input pixels.
import type { RawDetection } from './detection';

export const DETECTOR_OUTPUT_FORMATS = ['yolov8', 'yolov5', 'xyxy-score-class'] as const;
export type DetectorOutputFormat = (typeof DETECTOR_OUTPUT_FORMATS)[number];

export interface YoloDecodeOptions {
  numClasses: number;
  scoreThreshold: number;
  classes?: readonly number[];
}

function wanted(classes: readonly number[] | undefined, c: number): boolean {
  return !classes || classes.includes(c);
}

/**
 * - yolov8 (also YOLO11): one output [1, 4 + C, N]; rows cx, cy, w, h, then C class scores.
 * - yolov5 (also v7): [1, N, 5 + C]; cx, cy, w, h, objectness, C class scores; score = obj × cls.
 * - xyxy-score-class (end-to-end/NMS-free exports): [1, N, 6]; x1, y1, x2, y2, score, class.
 */
export function decodeDetectorOutput(
  format: DetectorOutputFormat,
  data: Float32Array,
  dims: readonly number[],
  o: YoloDecodeOptions,
): RawDetection[] {
  const out: RawDetection[] = [];
  const C = o.numClasses;
  if (dims.length !== 3 || dims[0] !== 1)
    throw new Error(`detector output must be [1, a, b], got [${dims.join(', ')}]`);
  const [, d1 = 0, d2 = 0] = dims;
  if (format === 'yolov8') {
    if (d1 !== 4 + C)
      throw new Error(`yolov8 output must be [1, ${4 + C}, N] for ${C} classes, got [${dims.join(', ')}]`);
    const n = d2;
    for (let i = 0; i < n; i++) {
      let best = -1;
      let bestScore = -Infinity;
      for (let c = 0; c < C; c++) {
        if (!wanted(o.classes, c)) continue;
        const s = data[(4 + c) * n + i] as number;
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      if (best < 0 || !(bestScore >= o.scoreThreshold)) continue;
      const cx = data[i] as number;
      const cy = data[n + i] as number;
      const w = data[2 * n + i] as number;
      const h = data[3 * n + i] as number;
      out.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score: bestScore, classId: best });
    }
    return out;
  }
  if (format === 'yolov5') {
    if (d2 !== 5 + C)
      throw new Error(`yolov5 output must be [1, N, ${5 + C}] for ${C} classes, got [${dims.join(', ')}]`);
    for (let i = 0; i < d1; i++) {
      const row = i * d2;
      const obj = data[row + 4] as number;
      let best = -1;
      let bestScore = -Infinity;
      for (let c = 0; c < C; c++) {
        if (!wanted(o.classes, c)) continue;
        const s = obj * (data[row + 5 + c] as number);
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      if (best < 0 || !(bestScore >= o.scoreThreshold)) continue;
      const cx = data[row] as number;
      const cy = data[row + 1] as number;
      const w = data[row + 2] as number;
      const h = data[row + 3] as number;
      out.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score: bestScore, classId: best });
    }
    return out;
  }
  if (d2 !== 6) throw new Error(`xyxy-score-class output must be [1, N, 6], got [${dims.join(', ')}]`);
  for (let i = 0; i < d1; i++) {
    const r = i * 6;
    const score = data[r + 4] as number;
    const c = Math.round(data[r + 5] as number);
    if (!(score >= o.scoreThreshold) || !wanted(o.classes, c)) continue;
    out.push({
      x1: data[r] as number,
      y1: data[r + 1] as number,
      x2: data[r + 2] as number,
      y2: data[r + 3] as number,
      score,
      classId: c,
    });
  }
  return out;
}
