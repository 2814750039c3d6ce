// NHWC (TensorFlow) ↔ NCHW (ONNX) bookkeeping and the TF padding rule. Pure functions.
//
// The converter keeps every rank-4 activation physically in NCHW and remembers its logical
// TF (NHWC) shape, so ops that care about axes (Concat, Mean, Pad, Reshape…) remap them here.

/** Physical NCHW position of each logical NHWC axis: N→0, H→2, W→3, C→1. */
export const NHWC_TO_NCHW_AXIS = [0, 2, 3, 1] as const;
/** Logical NHWC axis held at each physical NCHW position. */
export const NCHW_TO_NHWC_AXIS = [0, 3, 1, 2] as const;
/** Transpose perms for the ONNX Transpose op. */
export const PERM_NHWC_TO_NCHW = [0, 3, 1, 2];
export const PERM_NCHW_TO_NHWC = [0, 2, 3, 1];

export function physicalAxis(logicalAxis: number, rank: number): number {
  const a = logicalAxis < 0 ? logicalAxis + rank : logicalAxis;
  if (a < 0 || a >= rank) throw new Error(`axis ${logicalAxis} out of range for rank ${rank}`);
  return rank === 4 ? (NHWC_TO_NCHW_AXIS[a] ?? a) : a;
}

export function nhwcShapeToNchw(shape: readonly number[]): number[] {
  if (shape.length !== 4) return [...shape];
  const [n, h, w, c] = shape as [number, number, number, number];
  return [n, c, h, w];
}

/** Copies a row-major NHWC array into NCHW order. */
export function transposeNhwcToNchw<T extends Float32Array | Int32Array>(data: T, shape: readonly number[]): T {
  const [n, h, w, c] = shape as [number, number, number, number];
  const out = new (data.constructor as new (len: number) => T)(data.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++)
          out[((b * c + ch) * h + y) * w + x] = data[((b * h + y) * w + x) * c + ch] as number;
  return out;
}

export interface SpatialPads {
  /** ONNX order: [top, left, bottom, right]. */
  pads: [number, number, number, number];
  outH: number;
  outW: number;
}

/**
 * TF padding for one conv/pool: VALID pads nothing; SAME pads so that out = ceil(in / stride),
 * and when the total is odd the extra row/column goes at the END (bottom/right), which is
 * what ONNX calls SAME_UPPER. Computed explicitly so the ONNX file carries plain pads.
 */
export function tfPadding(
  padding: string,
  inH: number,
  inW: number,
  kH: number,
  kW: number,
  sH: number,
  sW: number,
  dH = 1,
  dW = 1,
  explicit: number[] = [],
): SpatialPads {
  const effKH = (kH - 1) * dH + 1;
  const effKW = (kW - 1) * dW + 1;
  if (padding === 'VALID') {
    return { pads: [0, 0, 0, 0], outH: Math.floor((inH - effKH) / sH) + 1, outW: Math.floor((inW - effKW) / sW) + 1 };
  }
  if (padding === 'EXPLICIT') {
    // explicit_paddings is NHWC pairs: [n0,n1,h0,h1,w0,w1,c0,c1]
    const [, , t = 0, b = 0, l = 0, r = 0] = explicit;
    return {
      pads: [t, l, b, r],
      outH: Math.floor((inH + t + b - effKH) / sH) + 1,
      outW: Math.floor((inW + l + r - effKW) / sW) + 1,
    };
  }
  if (padding !== 'SAME') throw new Error(`unsupported padding ${padding}`);
  const outH = Math.ceil(inH / sH);
  const outW = Math.ceil(inW / sW);
  const totalH = Math.max((outH - 1) * sH + effKH - inH, 0);
  const totalW = Math.max((outW - 1) * sW + effKW - inW, 0);
  const top = Math.floor(totalH / 2);
  const left = Math.floor(totalW / 2);
  return { pads: [top, left, totalH - top, totalW - left], outH, outW };
}

/** Numpy-style broadcast of two shapes; -1 means unknown and wins over 1. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da === 1) out.push(db);
    else if (db === 1) out.push(da);
    else if (da === -1 || db === -1) out.push(Math.max(da, db));
    else if (da === db) out.push(da);
    else throw new Error(`shapes [${a.join(',')}] and [${b.join(',')}] do not broadcast`);
  }
  return out;
}
