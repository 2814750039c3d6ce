// Reductions (Mean/Max/Sum, with or without keep_dims) and pooling (MaxPool, AvgPool).
import { attrBool, attrInts, attrString, type TfNode } from '../tfjs-graph-model';
import { physicalAxis, tfPadding } from '../layout';
import type { ConvertContext, OpTable, Value } from '../convert-context';

function reduce(cx: ConvertContext, n: TfNode, inputs: Value[], onnxOp: string): Value {
  const [x, axesV] = inputs;
  if (!x || !axesV) throw new Error(`${n.name}: reduction needs input and axes`);
  const rank = x.shape.length;
  const axes = cx.ints(axesV, `${n.name} axes`).map((a) => (a < 0 ? a + rank : a));
  const keep = attrBool(n, 'keep_dims');
  const shape = keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
  let source = cx.asOnnx(x, `${n.name}/x`);
  let physAxes = axes;
  if (rank === 4) {
    const remaining = [0, 1, 2, 3].filter((i) => !axes.includes(i)).map((i) => physicalAxis(i, 4));
    const orderKept = remaining.every((p, i) => i === 0 || p > (remaining[i - 1] as number));
    if (keep || orderKept) physAxes = axes.map((a) => physicalAxis(a, 4));
    else source = cx.asNhwc(x, `${n.name}/x`);
  }
  const out = cx.g.op(onnxOp, [source], n.name, { axes: [...physAxes].sort((p, q) => p - q), keepdims: keep ? 1 : 0 });
  return { shape, dtype: x.dtype, onnx: out };
}

function pool(cx: ConvertContext, n: TfNode, inputs: Value[], onnxOp: string): Value {
  const [x] = inputs;
  if (!x) throw new Error(`${n.name}: missing input`);
  const [, kh = 1, kw = 1] = attrInts(n, 'ksize');
  const [, sh = 1, sw = 1] = attrInts(n, 'strides');
  const [batch, inH, inW, c] = x.shape as [number, number, number, number];
  const p = tfPadding(
    attrString(n, 'padding') ?? 'VALID',
    inH,
    inW,
    kh,
    kw,
    sh,
    sw,
    1,
    1,
    attrInts(n, 'explicit_paddings'),
  );
  const attrs: Record<string, number[] | number> = { kernel_shape: [kh, kw], strides: [sh, sw], pads: p.pads };
  // TF's AvgPool divides by the number of real (unpadded) elements.
  if (onnxOp === 'AveragePool') attrs.count_include_pad = 0;
  return {
    shape: [batch, p.outH, p.outW, c],
    dtype: 'float32',
    onnx: cx.g.op(onnxOp, [cx.asOnnx(x, `${n.name}/x`)], n.name, attrs),
  };
}

export const REDUCE_POOL_OPS: OpTable = {
  Mean: (cx, n, inputs) => reduce(cx, n, inputs, 'ReduceMean'),
  Max: (cx, n, inputs) => reduce(cx, n, inputs, 'ReduceMax'),
  Sum: (cx, n, inputs) => reduce(cx, n, inputs, 'ReduceSum'),
  MaxPool: (cx, n, inputs) => pool(cx, n, inputs, 'MaxPool'),
  AvgPool: (cx, n, inputs) => pool(cx, n, inputs, 'AveragePool'),
};
