// BlazeFace (MediaPipe back model, 256×256) decode: 896 anchors — 16×16 cells × 2 at stride 16
// then 8×8 × 6 at stride 32 — each predicting a logit, a box (centre offset + size, pixels) and
// six landmarks relative to the anchor centre. Same anchor layout as @vladmandic/human.
import type { RawDetection } from './detection';

export interface FaceRaw extends RawDetection {
  /** Six (x, y) points in model-input pixels: eyes, nose, mouth, ears. */
  landmarks: [number, number][];
}

export function blazefaceAnchors(inputSize: number): Float32Array {
  const spec = [
    { stride: inputSize / 16, perCell: 2 },
    { stride: inputSize / 8, perCell: 6 },
  ];
  const out: number[] = [];
  for (const { stride, perCell } of spec) {
    const cells = Math.floor((inputSize + stride - 1) / stride);
    for (let gy = 0; gy < cells; gy++)
      for (let gx = 0; gx < cells; gx++)
        for (let n = 0; n < perCell; n++) out.push(stride * (gx + 0.5), stride * (gy + 0.5));
  }
  return Float32Array.from(out);
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * scores: logits for all anchors in anchor order ([stride-16 block, stride-32 block]);
 * boxes: 16 values per anchor. Returns candidates with sigmoid score ≥ threshold.
 */
export function decodeBlazeface(
  scores: Float32Array,
  boxes: Float32Array,
  anchors: Float32Array,
  scoreThreshold: number,
): FaceRaw[] {
  const n = anchors.length / 2;
  if (scores.length !== n || boxes.length !== n * 16) throw new Error(`blazeface outputs do not match ${n} anchors`);
  const out: FaceRaw[] = [];
  for (let i = 0; i < n; i++) {
    const score = sigmoid(scores[i] as number);
    if (!(score >= scoreThreshold)) continue;
    const ax = anchors[i * 2] as number;
    const ay = anchors[i * 2 + 1] as number;
    const r = i * 16;
    const cx = ax + (boxes[r] as number);
    const cy = ay + (boxes[r + 1] as number);
    const w = boxes[r + 2] as number;
    const h = boxes[r + 3] as number;
    const landmarks: [number, number][] = [];
    for (let k = 0; k < 6; k++)
      landmarks.push([ax + (boxes[r + 4 + k * 2] as number), ay + (boxes[r + 5 + k * 2] as number)]);
    out.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, classId: 0, landmarks });
  }
  return out;
}
