// Shape and layout ops: Identity, Resize, ConcatV2, Pad, Reshape, Squeeze, Transpose, and the shape
// arithmetic of a fixed-size input (Shape, StridedSlice, Cast of constants) folded to constants. Reshape and
// Squeeze go through NHWC so the element order is TF's.
import { attrBool, attrInts, type TfNode } from '../tfjs-graph-model';
import { NCHW_TO_NHWC_AXIS, NHWC_TO_NCHW_AXIS, PERM_NHWC_TO_NCHW, physicalAxis } from '../layout';
import type { ConvertContext, OpTable, Value } from '../convert-context';

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function identity(_cx: ConvertContext, n: TfNode, inputs: Value[]): Value {
  const [x] = inputs;
  if (!x) throw new Error(`${n.name}: Identity without input`);
  return x;
}

function resize(cx: ConvertContext, n: TfNode, inputs: Value[], mode: 'linear' | 'nearest'): Value {
  const [x, sizeV] = inputs;
  if (!x || !sizeV) throw new Error(`${n.name}: resize needs input and size`);
  const [fixedH, fixedW] = cx.ints(sizeV, `${n.name} size`) as [number, number];
  if (!(fixedH > 0 && fixedW > 0)) throw new Error(`${n.name}: resize target ${fixedH}x${fixedW} is not a fixed size`);
  const outH = Math.round(fixedH * cx.resizeScale[0]);
  const outW = Math.round(fixedW * cx.resizeScale[1]);
  if (Math.abs(outH - fixedH * cx.resizeScale[0]) > 1e-6 || Math.abs(outW - fixedW * cx.resizeScale[1]) > 1e-6) {
    throw new Error(
      `${n.name}: resize target ${fixedH}x${fixedW} does not scale to a whole size for input ${cx.opts.inputSize?.join('x')}`,
    );
  }
  const [batch, inH, inW, c] = x.shape as [number, number, number, number];
  const alignCorners = attrBool(n, 'align_corners');
  const halfPixel = attrBool(n, 'half_pixel_centers');
  // TF's three sampling grids, named the ONNX way.
  let ctm: string;
  if (alignCorners) ctm = 'align_corners';
  else if (halfPixel) ctm = 'half_pixel';
  else ctm = 'asymmetric';
  const attrs: Record<string, string | number> = { mode, coordinate_transformation_mode: ctm };
  // TF nearest: align_corners rounds, half-pixel is floor((x+0.5)*in/out) = round-half-up of
  // ONNX's half_pixel source coordinate, legacy mode floors.
  if (mode === 'nearest') attrs.nearest_mode = alignCorners || halfPixel ? 'round_prefer_ceil' : 'floor';
  let rest: string[];
  if (batch > 0) {
    rest = ['', '', cx.g.addInt64Initializer(`${n.name}/sizes`, [4], [batch, c, outH, outW])];
  } else {
    rest = ['', cx.g.addFloatInitializer(`${n.name}/scales`, [4], new Float32Array([1, 1, outH / inH, outW / inW]))];
  }
  return {
    shape: [batch, outH, outW, c],
    dtype: 'float32',
    onnx: cx.g.op('Resize', [cx.asOnnx(x, `${n.name}/x`), ...rest], n.name, attrs),
  };
}

function concat(cx: ConvertContext, n: TfNode, inputs: Value[]): Value {
  const parts = inputs.slice(0, -1);
  const axisV = inputs[inputs.length - 1];
  if (!axisV || parts.length === 0) throw new Error(`${n.name}: ConcatV2 needs inputs and an axis`);
  const first = parts[0] as Value;
  const rank = first.shape.length;
  const axis = (cx.ints(axisV, `${n.name} axis`)[0] ?? 0) + ((cx.ints(axisV, `${n.name} axis`)[0] ?? 0) < 0 ? rank : 0);
  const shape = [...first.shape];
  shape[axis] = parts.reduce((s, p) => (s < 0 || (p.shape[axis] ?? -1) < 0 ? -1 : s + (p.shape[axis] as number)), 0);
  const names = parts.map((p, i) =>
    rank === 4 ? cx.asNchwOperand(p, `${n.name}/in${i}`) : cx.asOnnx(p, `${n.name}/in${i}`),
  );
  return { shape, dtype: first.dtype, onnx: cx.g.op('Concat', names, n.name, { axis: physicalAxis(axis, rank) }) };
}

function pad(cx: ConvertContext, n: TfNode, inputs: Value[]): Value {
  const [x, padsV, valueV] = inputs;
  if (!x || !padsV) throw new Error(`${n.name}: Pad needs input and paddings`);
  const pairs = cx.ints(padsV, `${n.name} paddings`);
  const rank = x.shape.length;
  const logicalAt = (p: number) => (rank === 4 ? (NCHW_TO_NHWC_AXIS[p] as number) : p);
  const begins = Array.from({ length: rank }, (_, p) => pairs[logicalAt(p) * 2] ?? 0);
  const ends = Array.from({ length: rank }, (_, p) => pairs[logicalAt(p) * 2 + 1] ?? 0);
  const shape = x.shape.map((d, i) => (d < 0 ? d : d + (pairs[i * 2] ?? 0) + (pairs[i * 2 + 1] ?? 0)));
  const ins = [
    cx.asOnnx(x, `${n.name}/x`),
    cx.g.addInt64Initializer(`${n.name}/pads`, [rank * 2], [...begins, ...ends]),
  ];
  if (valueV) ins.push(cx.asOnnx(valueV, `${n.name}/value`));
  return { shape, dtype: x.dtype, onnx: cx.g.op('Pad', ins, n.name, { mode: 'constant' }) };
}

function reshape(cx: ConvertContext, n: TfNode, inputs: Value[]): Value {
  const [x, shapeV] = inputs;
  if (!x || !shapeV) throw new Error(`${n.name}: Reshape needs input and shape`);
  const target = cx.ints(shapeV, `${n.name} shape`);
  const known = size(x.shape.filter((d) => d >= 0));
  const unknownIn = x.shape.some((d) => d < 0);
  const shape = target.map((d) => (d === -1 ? (unknownIn ? -1 : known / size(target.filter((t) => t !== -1))) : d));
  const src = cx.asNhwc(x, `${n.name}/x`);
  let out = cx.g.op(
    'Reshape',
    [src, cx.g.addInt64Initializer(`${n.name}/shape`, [target.length], target)],
    shape.length === 4 ? `${n.name}/nhwc` : n.name,
  );
  if (shape.length === 4) out = cx.g.op('Transpose', [out], n.name, { perm: PERM_NHWC_TO_NCHW });
  return { shape, dtype: x.dtype, onnx: out };
}

function squeeze(cx: ConvertContext, n: TfNode, inputs: Value[]): Value {
  const [x] = inputs;
  if (!x) throw new Error(`${n.name}: missing input`);
  const rank = x.shape.length;
  let axes = attrInts(n, 'squeeze_dims').map((a) => (a < 0 ? a + rank : a));
  if (axes.length === 0) axes = x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  const shape = x.shape.filter((_, i) => !axes.includes(i));
  const out = cx.g.op(
    'Squeeze',
    [cx.asNhwc(x, `${n.name}/x`), cx.g.addInt64Initializer(`${n.name}/axes`, [axes.length], axes)],
    shape.length === 4 ? `${n.name}/nhwc` : n.name,
  );
  return {
    shape,
    dtype: x.dtype,
    onnx: shape.length === 4 ? cx.g.op('Transpose', [out], n.name, { perm: PERM_NHWC_TO_NCHW }) : out,
  };
}

/**
 * Graphs exported through onnx-tf wrap every conv in NCHW↔NHWC Transposes. A rank-4 value is
 * stored as NCHW of its logical TF shape, so the TF perm is composed with that mapping on both
 * sides; onnxruntime then cancels the back-to-back pairs.
 */
function transpose(cx: ConvertContext, n: TfNode, inputs: Value[]): Value {
  const [x, permV] = inputs;
  if (!x || !permV) throw new Error(`${n.name}: Transpose needs input and perm`);
  const perm = cx.ints(permV, `${n.name} perm`);
  const rank = x.shape.length;
  if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i))
    throw new Error(`${n.name}: perm [${perm.join(',')}] does not fit rank ${rank}`);
  const shape = perm.map((p) => x.shape[p] as number);
  const onnxPerm =
    rank === 4 ? NCHW_TO_NHWC_AXIS.map((logical) => NHWC_TO_NCHW_AXIS[perm[logical] as number] as number) : perm;
  // A rank-4 constant must be in the NCHW storage the perm is composed with.
  const src = rank === 4 ? cx.asNchwOperand(x, `${n.name}/x`) : cx.asOnnx(x, `${n.name}/x`);
  return { shape, dtype: x.dtype, onnx: cx.g.op('Transpose', [src], n.name, { perm: onnxPerm }) };
}

/**
 * Shape of a value as a TF (NHWC) int32 constant: its dims are known once the input size is
 * fixed. An unknown dim (a symbolic batch) stays -1; whatever reads it as a size refuses it.
 */
function shapeOf(_cx: ConvertContext, n: TfNode, inputs: Value[]): Value {
  const [x] = inputs;
  if (!x) throw new Error(`${n.name}: Shape without input`);
  const data = Int32Array.from(x.shape);
  return { shape: [data.length], dtype: 'int32', constant: { dtype: 'int32', shape: [data.length], data } };
}

/** StridedSlice of a 1-D constant (shape arithmetic), computed here; masks as TF defines them. */
function stridedSlice(cx: ConvertContext, n: TfNode, inputs: Value[]): Value {
  const [x, beginV, endV, stridesV] = inputs;
  if (!x || !beginV || !endV || !stridesV) throw new Error(`${n.name}: StridedSlice needs four inputs`);
  const c = x.constant;
  if (!c || c.shape.length !== 1) throw new Error(`${n.name}: StridedSlice is only supported on 1-D constants`);
  const attr = (k: string) => Number((n.attr?.[k] as { i?: string | number } | undefined)?.i ?? 0);
  if (attr('ellipsis_mask') || attr('new_axis_mask'))
    throw new Error(`${n.name}: ellipsis/new-axis masks are not supported`);
  const len = c.data.length;
  const [b0 = 0] = cx.ints(beginV, `${n.name} begin`);
  const [e0 = len] = cx.ints(endV, `${n.name} end`);
  const [step = 1] = cx.ints(stridesV, `${n.name} strides`);
  if (step === 0) throw new Error(`${n.name}: stride 0`);
  const norm = (i: number) => (i < 0 ? i + len : i);
  const shrink = (attr('shrink_axis_mask') & 1) === 1;
  let begin = attr('begin_mask') & 1 ? (step > 0 ? 0 : len - 1) : norm(b0);
  let end = attr('end_mask') & 1 ? (step > 0 ? len : -1) : norm(e0);
  if (shrink) end = begin + 1;
  begin = Math.min(Math.max(begin, step > 0 ? 0 : -1), step > 0 ? len : len - 1);
  end = Math.min(Math.max(end, step > 0 ? 0 : -1), step > 0 ? len : len - 1);
  const out: number[] = [];
  for (let i = begin; step > 0 ? i < end : i > end; i += step) out.push(c.data[i] ?? 0);
  const shape = shrink ? [] : [out.length];
  const data = c.dtype === 'float32' ? Float32Array.from(out) : Int32Array.from(out);
  return { shape, dtype: c.dtype, constant: { dtype: c.dtype, shape, data } };
}

/**
 * Cast: constants are converted here; the image input is already float, so int→float of an
 * activation (a uint8/int32 image placeholder) passes it through.
 */
function cast(_cx: ConvertContext, n: TfNode, inputs: Value[]): Value {
  const [x] = inputs;
  if (!x) throw new Error(`${n.name}: Cast without input`);
  const to = (n.attr?.DstT as { type?: string } | undefined)?.type;
  const dtype = to === 'DT_FLOAT' ? 'float32' : to === 'DT_INT32' ? 'int32' : undefined;
  if (!dtype) throw new Error(`${n.name}: Cast to ${to ?? '?'} is not supported`);
  if (x.constant) {
    const d = x.constant.data;
    const data = dtype === 'float32' ? Float32Array.from(d) : Int32Array.from(d, (v) => Math.trunc(v));
    return { shape: x.shape, dtype, constant: { dtype, shape: x.constant.shape, data } };
  }
  if (dtype !== 'float32' || x.dtype !== 'float32') throw new Error(`${n.name}: Cast of an activation to ${to}`);
  return x;
}

export const SHAPE_OPS: OpTable = {
  Identity: identity,
  Shape: shapeOf,
  StridedSlice: stridedSlice,
  Cast: cast,
  ResizeBilinear: (cx, n, inputs) => resize(cx, n, inputs, 'linear'),
  ResizeNearestNeighbor: (cx, n, inputs) => resize(cx, n, inputs, 'nearest'),
  ConcatV2: concat,
  Pad: pad,
  PadV2: pad,
  Reshape: reshape,
  Squeeze: squeeze,
  Transpose: transpose,
};
