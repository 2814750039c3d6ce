// CenterNet decode, done here instead of in the graph (the converter cuts at heatmap/wh):
// a heatmap cell is a detection when it is the maximum of its 3×3 neighbourhood (the graph's
// MaxPool(3,SAME) + Equal), best `topK` over all classes (the graph's TopKV2, k=100), and its
// box is centre×stride ± the wh distances (left, top, right, bottom), stride 4.
import { isPeak3x3, type RawDetection } from './detection';

export interface CenternetDecodeOptions {
  /** Candidates below this are skipped before the peak test (speed only; TopK keeps order). */
  scoreThreshold: number;
  topK?: number;
  stride?: number;
  /** Only these classes; all when undefined. */
  classes?: readonly number[];
}

/**
 * heatmap: [C, H, W] (NCHW without batch), wh: [4, H, W]. Ties are broken like TF's TopKV2 on
 * the NHWC-flattened heatmap: lower (y*W + x)*C + c first.
 */
export function decodeCenternet(
  heatmap: Float32Array,
  wh: Float32Array,
  numClasses: number,
  gridH: number,
  gridW: number,
  opts: CenternetDecodeOptions,
): RawDetection[] {
  const topK = opts.topK ?? 100;
  const stride = opts.stride ?? 4;
  const plane = gridH * gridW;
  if (heatmap.length !== numClasses * plane || wh.length !== 4 * plane) {
    throw new Error(
      `centernet outputs have unexpected sizes (${heatmap.length}, ${wh.length}) for ${numClasses}x${gridH}x${gridW}`,
    );
  }
  const classes = opts.classes ?? Array.from({ length: numClasses }, (_, i) => i);
  const cands: { score: number; order: number; c: number; y: number; x: number }[] = [];
  for (const c of classes) {
    if (c < 0 || c >= numClasses) continue;
    const base = c * plane;
    for (let y = 0; y < gridH; y++) {
      for (let x = 0; x < gridW; x++) {
        const v = heatmap[base + y * gridW + x] as number;
        if (!(v >= opts.scoreThreshold)) continue;
        if (isPeak3x3(heatmap, base, y, x, gridH, gridW))
          cands.push({ score: v, order: (y * gridW + x) * numClasses + c, c, y, x });
      }
    }
  }
  cands.sort((a, b) => b.score - a.score || a.order - b.order);
  return cands.slice(0, topK).map(({ score, c, y, x }) => {
    const i = y * gridW + x;
    const cx = x * stride;
    const cy = y * stride;
    return {
      x1: cx - (wh[i] as number),
      y1: cy - (wh[plane + i] as number),
      x2: cx + (wh[2 * plane + i] as number),
      y2: cy + (wh[3 * plane + i] as number),
      score,
      classId: c,
    };
  });
}
