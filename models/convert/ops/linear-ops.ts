// Linear ops: convolutions (plain and depthwise, with fused bias and activations) → ONNX Conv,
// and matrix products → Gemm.
import { attrBool, attrInts, attrString, attrStrings, type TfNode } from '../tfjs-graph-model';
import { tfPadding } from '../layout';
import {
  FUSED_ACTIVATIONS,
  UnsupportedTfOpError,
  type ConvertContext,
  type OpTable,
  type Value,
} from '../convert-context';

function convolution(cx: ConvertContext, n: TfNode, inputs: Value[], depthwise: boolean): Value {
  const [x, filterV, ...args] = inputs;
  if (!x || !filterV) throw new Error(`${n.name}: conv needs input and filter`);
  if (attrString(n, 'data_format') && attrString(n, 'data_format') !== 'NHWC')
    throw new Error(`${n.name}: only NHWC convolutions are supported`);
  const f = cx.constOf(filterV, `${n.name} filter`);
  const [kh, kw, cin, cm] = f.shape as [number, number, number, number];
  const [, sh = 1, sw = 1] = attrInts(n, 'strides');
  const [, dh = 1, dw = 1] = attrInts(n, 'dilations');
  const [batch, inH, inW, inC] = x.shape as [number, number, number, number];
  const p = tfPadding(
    attrString(n, 'padding') ?? 'VALID',
    inH,
    inW,
    kh,
    kw,
    sh,
    sw,
    dh,
    dw,
    attrInts(n, 'explicit_paddings'),
  );
  const outC = depthwise ? cin * cm : cm;
  if (inC !== cin && !depthwise) throw new Error(`${n.name}: filter expects ${cin} channels, input has ${inC}`);

  // Weight in ONNX OIHW; depthwise is a grouped conv with group=cin and output channel
  // c*mult+m, which is the channel order TF uses for depthwise outputs.
  const w = new Float32Array(outC * (depthwise ? 1 : cin) * kh * kw);
  const src = f.data;
  for (let y = 0; y < kh; y++)
    for (let xk = 0; xk < kw; xk++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cm; o++) {
          const s = src[((y * kw + xk) * cin + i) * cm + o] as number;
          if (depthwise) w[((i * cm + o) * kh + y) * kw + xk] = s;
          else w[((o * cin + i) * kh + y) * kw + xk] = s;
        }
  let bias: Float32Array | undefined;
  const fused = attrStrings(n, 'fused_ops');
  let argIndex = 0;
  let activations: string[] = [];
  // (tfjs itself rejects convs fused with FusedBatchNorm, so graph models never carry them.)
  if (fused[0] === 'BiasAdd') {
    const b = args[argIndex++];
    if (!b) throw new Error(`${n.name}: BiasAdd without bias`);
    bias = Float32Array.from(cx.constOf(b, `${n.name} bias`).data);
    activations = fused.slice(1);
  } else {
    activations = fused;
  }
  for (const a of activations) if (!FUSED_ACTIVATIONS.has(a)) throw new UnsupportedTfOpError(`fused ${a}`, n.name);

  const wName = cx.g.addFloatInitializer(`${n.name}/W`, [outC, depthwise ? 1 : cin, kh, kw], w);
  const convInputs = [cx.asOnnx(x, `${n.name}/x`), wName];
  if (bias) convInputs.push(cx.g.addFloatInitializer(`${n.name}/B`, [outC], bias));
  const attrs = {
    kernel_shape: [kh, kw],
    strides: [sh, sw],
    dilations: [dh, dw],
    pads: p.pads,
    group: depthwise ? cin : 1,
  };
  let out = cx.g.op('Conv', convInputs, activations.length ? `${n.name}/conv` : n.name, attrs);
  activations.forEach((a, i) => {
    out = cx.applyActivation(out, a, n, args, argIndex, i === activations.length - 1 ? n.name : `${n.name}/${a}`);
  });
  return { shape: [batch, p.outH, p.outW, outC], dtype: 'float32', onnx: out };
}

function matmul(cx: ConvertContext, n: TfNode, inputs: Value[]): Value {
  const [a, b, ...args] = inputs;
  if (!a || !b) throw new Error(`${n.name}: MatMul needs two inputs`);
  if (a.shape.length !== 2 || b.shape.length !== 2) throw new Error(`${n.name}: only rank-2 MatMul is supported`);
  const transA = attrBool(n, 'transpose_a') ? 1 : 0;
  const transB = attrBool(n, 'transpose_b') ? 1 : 0;
  const fused = attrStrings(n, 'fused_ops');
  const gemmInputs = [cx.asOnnx(a, `${n.name}/a`), cx.asOnnx(b, `${n.name}/b`)];
  let argIndex = 0;
  let activations = fused;
  if (fused[0] === 'BiasAdd') {
    const bias = args[argIndex++];
    if (!bias) throw new Error(`${n.name}: BiasAdd without bias`);
    gemmInputs.push(cx.asOnnx(bias, `${n.name}/bias`));
    activations = fused.slice(1);
  }
  for (const act of activations)
    if (!FUSED_ACTIVATIONS.has(act)) throw new UnsupportedTfOpError(`fused ${act}`, n.name);
  let out = cx.g.op('Gemm', gemmInputs, activations.length ? `${n.name}/gemm` : n.name, { transA, transB });
  activations.forEach((act, i) => {
    out = cx.applyActivation(out, act, n, args, argIndex, i === activations.length - 1 ? n.name : `${n.name}/${act}`);
  });
  const m = a.shape[transA ? 1 : 0] as number;
  const k = b.shape[transB ? 0 : 1] as number;
  return { shape: [m, k], dtype: 'float32', onnx: out };
}

export const LINEAR_OPS: OpTable = {
  Conv2D: (cx, n, inputs) => convolution(cx, n, inputs, false),
  _FusedConv2D: (cx, n, inputs) => convolution(cx, n, inputs, false),
  DepthwiseConv2dNative: (cx, n, inputs) => convolution(cx, n, inputs, true),
  FusedDepthwiseConv2dNative: (cx, n, inputs) => convolution(cx, n, inputs, true),
  MatMul: matmul,
  _FusedMatMul: matmul,
};
