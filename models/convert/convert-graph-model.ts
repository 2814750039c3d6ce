// Converts a TFJS graph model into an ONNX graph (opset 17). Walks back from the requested
// outputs, so anything past a cut point (e.g. CenterNet's in-graph top-k decode) is never
// converted. Rank-4 activations live in NCHW; constants are materialised lazily in whatever
// form their consumer needs (HWIO→OIHW filters, NCHW broadcast shapes, int64 shape vectors).
import {
  attrBool,
  attrFloat,
  attrInt,
  attrInts,
  attrString,
  attrStrings,
  placeholderShape,
  type TfjsGraphModel,
  type TfNode,
  type TfWeight,
} from './tfjs-graph-model';
import { DataType, OnnxGraphBuilder } from './onnx-graph-builder';
import {
  NCHW_TO_NHWC_AXIS,
  PERM_NCHW_TO_NHWC,
  PERM_NHWC_TO_NCHW,
  broadcastShapes,
  nhwcShapeToNchw,
  physicalAxis,
  tfPadding,
  transposeNhwcToNchw,
} from './layout';

export interface ConvertOptions {
  /** ONNX name for the single graph input; the TF placeholder is found automatically. */
  inputName: string;
  /** Fixed batch size, or a symbolic name when the TF input allows any batch. */
  batch: number | string;
  outputs: { tf: string; name: string; layout: 'NCHW' | 'NHWC' }[];
  /**
   * Run a fully convolutional model at another input size: the placeholder takes this
   * [height, width] and every fixed Resize target is scaled by the same factor.
   */
  inputSize?: [number, number];
  /** Rewrite TF's hard-swish subgraph as ONNX HardSwish (default true). */
  fuseHardSwish?: boolean;
  graphName: string;
  producerVersion: string;
  docString: string;
  metadata: Record<string, string>;
}

export interface ConvertResult {
  bytes: Uint8Array;
  opTypes: string[];
  inputShape: (number | string)[];
  outputShapes: Record<string, (number | string)[]>;
}

/** A converted TF tensor: its logical (TF) shape and either an ONNX value or a constant. */
interface Value {
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  onnx?: string;
  constant?: TfWeight;
}

export const SUPPORTED_TF_OPS = [
  'Placeholder', 'Const', 'Identity',
  'Conv2D', '_FusedConv2D', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2dNative',
  'MatMul', '_FusedMatMul', 'BiasAdd',
  'Add', 'AddV2', 'Sub', 'Mul', 'RealDiv', 'Div', 'Minimum', 'Maximum',
  'Relu', 'Relu6', 'Elu', 'LeakyRelu', 'Prelu', 'Sigmoid', 'Tanh', 'Softmax', 'Exp', 'Sqrt', 'Rsqrt', 'Neg', 'Abs', 'Square',
  'Mean', 'Max', 'Sum', 'MaxPool', 'AvgPool',
  'ResizeBilinear', 'ResizeNearestNeighbor', 'ConcatV2', 'Pad', 'PadV2', 'Reshape', 'Squeeze',
] as const;

const FUSED_ACTIVATIONS = new Set(['Relu', 'Relu6', 'Elu', 'LeakyRelu', 'Prelu', 'Sigmoid', 'Tanh']);

export class UnsupportedTfOpError extends Error {
  constructor(op: string, node: string) {
    super(`TF op ${op} (node ${node}) is not supported by the converter`);
    this.name = 'UnsupportedTfOpError';
  }
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function baseName(tfName: string): string {
  return tfName.replace(/:\d+$/, '');
}

export function convertGraphModel(model: TfjsGraphModel, opts: ConvertOptions): ConvertResult {
  const g = new OnnxGraphBuilder();
  const byName = new Map<string, TfNode>(model.nodes.map((n) => [n.name, n]));
  const values = new Map<string, Value>();
  const materialised = new Map<string, string>();
  let inputShape: (number | string)[] = [];
  let resizeScale: [number, number] = [1, 1];

  const node = (name: string): TfNode => {
    const n = byName.get(baseName(name.replace(/^\^/, '')));
    if (!n) throw new Error(`graph refers to missing node ${name}`);
    return n;
  };

  // --- constants in the form each consumer needs ---
  const constOf = (v: Value, what: string): TfWeight => {
    if (!v.constant) throw new Error(`${what} must be a constant in the TF graph`);
    return v.constant;
  };
  const ints = (v: Value, what: string): number[] => Array.from(constOf(v, what).data);

  /** ONNX name of a value; constants become initializers in their TF layout. */
  const asOnnx = (v: Value, hint: string): string => {
    if (v.onnx) return v.onnx;
    const c = constOf(v, hint);
    const key = `${hint}|plain`;
    const cached = materialised.get(key);
    if (cached) return cached;
    const name = c.dtype === 'float32'
      ? g.addFloatInitializer(hint, c.shape, c.data as Float32Array)
      : g.addInt32Initializer(hint, c.shape, c.data);
    materialised.set(key, name);
    return name;
  };

  /**
   * ONNX name of an operand that must broadcast against an NCHW rank-4 tensor. Constants are
   * left-padded to rank 4 in TF terms and transposed; rank<4 activations get Unsqueeze+Transpose.
   */
  const asNchwOperand = (v: Value, hint: string): string => {
    if (v.shape.length === 0) return asOnnx(v, hint);
    if (v.constant) {
      const key = `${hint}|nchw`;
      const cached = materialised.get(key);
      if (cached) return cached;
      const c = v.constant;
      const shape4 = [...Array(4 - c.shape.length).fill(1), ...c.shape] as number[];
      const data = transposeNhwcToNchw(c.data, shape4);
      const name = c.dtype === 'float32'
        ? g.addFloatInitializer(hint, nhwcShapeToNchw(shape4), data as Float32Array)
        : g.addInt32Initializer(hint, nhwcShapeToNchw(shape4), data);
      materialised.set(key, name);
      return name;
    }
    if (v.shape.length === 4) return v.onnx as string;
    const pad = 4 - v.shape.length;
    const axes = g.addInt64Initializer(`${hint}/unsqueeze_axes`, [pad], Array.from({ length: pad }, (_, i) => i));
    const u = g.op('Unsqueeze', [v.onnx as string, axes], `${hint}/rank4`);
    return g.op('Transpose', [u], `${hint}/nchw`, { perm: PERM_NHWC_TO_NCHW });
  };

  /** A rank-4 activation in TF's NHWC element order (for Reshape/Squeeze and NHWC outputs). */
  const asNhwc = (v: Value, hint: string): string => {
    const name = asOnnx(v, hint);
    if (v.shape.length !== 4 || v.constant) return name;
    return g.op('Transpose', [name], `${hint}/nhwc`, { perm: PERM_NCHW_TO_NHWC });
  };

  const applyActivation = (x: string, act: string, n: TfNode, args: Value[], argIndex: number, out: string): string => {
    switch (act) {
      case 'Relu':
        return g.op('Relu', [x], out);
      case 'Relu6': {
        const lo = g.addFloatInitializer(`${out}/min`, [], new Float32Array([0]));
        const hi = g.addFloatInitializer(`${out}/max`, [], new Float32Array([6]));
        return g.op('Clip', [x, lo, hi], out);
      }
      case 'Elu':
        return g.op('Elu', [x], out, { alpha: { float: 1 } });
      case 'LeakyRelu':
        return g.op('LeakyRelu', [x], out, { alpha: { float: attrFloat(n, 'leakyrelu_alpha') ?? attrFloat(n, 'alpha') ?? 0.2 } });
      case 'Sigmoid':
        return g.op('Sigmoid', [x], out);
      case 'Tanh':
        return g.op('Tanh', [x], out);
      case 'Prelu': {
        const alpha = args[argIndex];
        if (!alpha) throw new Error(`${n.name}: Prelu without its alpha argument`);
        return g.op('PRelu', [x, asNchwOperand(alpha, `${n.name}/alpha`)], out);
      }
      default:
        throw new UnsupportedTfOpError(`fused ${act}`, n.name);
    }
  };

  const convolution = (n: TfNode, inputs: Value[], depthwise: boolean): Value => {
    const [x, filterV, ...args] = inputs;
    if (!x || !filterV) throw new Error(`${n.name}: conv needs input and filter`);
    if (attrString(n, 'data_format') && attrString(n, 'data_format') !== 'NHWC') throw new Error(`${n.name}: only NHWC convolutions are supported`);
    const f = constOf(filterV, `${n.name} filter`);
    const [kh, kw, cin, cm] = f.shape as [number, number, number, number];
    const [, sh = 1, sw = 1] = attrInts(n, 'strides');
    const [, dh = 1, dw = 1] = attrInts(n, 'dilations');
    const [batch, inH, inW, inC] = x.shape as [number, number, number, number];
    const p = tfPadding(attrString(n, 'padding') ?? 'VALID', inH, inW, kh, kw, sh, sw, dh, dw, attrInts(n, 'explicit_paddings'));
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
      bias = Float32Array.from(constOf(b, `${n.name} bias`).data);
      activations = fused.slice(1);
    } else {
      activations = fused;
    }
    for (const a of activations) if (!FUSED_ACTIVATIONS.has(a)) throw new UnsupportedTfOpError(`fused ${a}`, n.name);

    const wName = g.addFloatInitializer(`${n.name}/W`, [outC, depthwise ? 1 : cin, kh, kw], w);
    const convInputs = [asOnnx(x, `${n.name}/x`), wName];
    if (bias) convInputs.push(g.addFloatInitializer(`${n.name}/B`, [outC], bias));
    const attrs = {
      kernel_shape: [kh, kw],
      strides: [sh, sw],
      dilations: [dh, dw],
      pads: p.pads,
      group: depthwise ? cin : 1,
    };
    let out = g.op('Conv', convInputs, activations.length ? `${n.name}/conv` : n.name, attrs);
    activations.forEach((a, i) => {
      out = applyActivation(out, a, n, args, argIndex, i === activations.length - 1 ? n.name : `${n.name}/${a}`);
    });
    return { shape: [batch, p.outH, p.outW, outC], dtype: 'float32', onnx: out };
  };

  const matmul = (n: TfNode, inputs: Value[]): Value => {
    const [a, b, ...args] = inputs;
    if (!a || !b) throw new Error(`${n.name}: MatMul needs two inputs`);
    if (a.shape.length !== 2 || b.shape.length !== 2) throw new Error(`${n.name}: only rank-2 MatMul is supported`);
    const transA = attrBool(n, 'transpose_a') ? 1 : 0;
    const transB = attrBool(n, 'transpose_b') ? 1 : 0;
    const fused = attrStrings(n, 'fused_ops');
    const gemmInputs = [asOnnx(a, `${n.name}/a`), asOnnx(b, `${n.name}/b`)];
    let argIndex = 0;
    let activations = fused;
    if (fused[0] === 'BiasAdd') {
      const bias = args[argIndex++];
      if (!bias) throw new Error(`${n.name}: BiasAdd without bias`);
      gemmInputs.push(asOnnx(bias, `${n.name}/bias`));
      activations = fused.slice(1);
    }
    for (const act of activations) if (!FUSED_ACTIVATIONS.has(act)) throw new UnsupportedTfOpError(`fused ${act}`, n.name);
    let out = g.op('Gemm', gemmInputs, activations.length ? `${n.name}/gemm` : n.name, { transA, transB });
    activations.forEach((act, i) => {
      out = applyActivation(out, act, n, args, argIndex, i === activations.length - 1 ? n.name : `${n.name}/${act}`);
    });
    const m = a.shape[transA ? 1 : 0] as number;
    const k = b.shape[transB ? 0 : 1] as number;
    return { shape: [m, k], dtype: 'float32', onnx: out };
  };

  const binary = (n: TfNode, inputs: Value[], onnxOp: string): Value => {
    const [a, b] = inputs;
    if (!a || !b) throw new Error(`${n.name}: ${n.op} needs two inputs`);
    const shape = broadcastShapes(a.shape, b.shape);
    const rank4 = shape.length === 4;
    const an = rank4 ? asNchwOperand(a, `${n.name}/a`) : asOnnx(a, `${n.name}/a`);
    const bn = rank4 ? asNchwOperand(b, `${n.name}/b`) : asOnnx(b, `${n.name}/b`);
    return { shape, dtype: a.dtype, onnx: g.op(onnxOp, [an, bn], n.name) };
  };

  const unary = (n: TfNode, inputs: Value[], act: string): Value => {
    const [x] = inputs;
    if (!x) throw new Error(`${n.name}: missing input`);
    const xn = asOnnx(x, `${n.name}/x`);
    let out: string;
    if (act === 'Rsqrt') out = g.op('Reciprocal', [g.op('Sqrt', [xn], `${n.name}/sqrt`)], n.name);
    else if (act === 'Square') out = g.op('Mul', [xn, xn], n.name);
    else if (FUSED_ACTIVATIONS.has(act) && act !== 'Prelu') out = applyActivation(xn, act, n, [], 0, n.name);
    else out = g.op(act, [xn], n.name);
    return { shape: x.shape, dtype: x.dtype, onnx: out };
  };

  const reduce = (n: TfNode, inputs: Value[], onnxOp: string): Value => {
    const [x, axesV] = inputs;
    if (!x || !axesV) throw new Error(`${n.name}: reduction needs input and axes`);
    const rank = x.shape.length;
    const axes = ints(axesV, `${n.name} axes`).map((a) => (a < 0 ? a + rank : a));
    const keep = attrBool(n, 'keep_dims');
    const shape = keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
    let source = asOnnx(x, `${n.name}/x`);
    let physAxes = axes;
    if (rank === 4) {
      const remaining = [0, 1, 2, 3].filter((i) => !axes.includes(i)).map((i) => physicalAxis(i, 4));
      const orderKept = remaining.every((p, i) => i === 0 || p > (remaining[i - 1] as number));
      if (keep || orderKept) physAxes = axes.map((a) => physicalAxis(a, 4));
      else source = asNhwc(x, `${n.name}/x`);
    }
    const out = g.op(onnxOp, [source], n.name, { axes: [...physAxes].sort((p, q) => p - q), keepdims: keep ? 1 : 0 });
    return { shape, dtype: x.dtype, onnx: out };
  };

  const pool = (n: TfNode, inputs: Value[], onnxOp: string): Value => {
    const [x] = inputs;
    if (!x) throw new Error(`${n.name}: missing input`);
    const [, kh = 1, kw = 1] = attrInts(n, 'ksize');
    const [, sh = 1, sw = 1] = attrInts(n, 'strides');
    const [batch, inH, inW, c] = x.shape as [number, number, number, number];
    const p = tfPadding(attrString(n, 'padding') ?? 'VALID', inH, inW, kh, kw, sh, sw, 1, 1, attrInts(n, 'explicit_paddings'));
    const attrs: Record<string, number[] | number> = { kernel_shape: [kh, kw], strides: [sh, sw], pads: p.pads };
    // TF's AvgPool divides by the number of real (unpadded) elements.
    if (onnxOp === 'AveragePool') attrs.count_include_pad = 0;
    return { shape: [batch, p.outH, p.outW, c], dtype: 'float32', onnx: g.op(onnxOp, [asOnnx(x, `${n.name}/x`)], n.name, attrs) };
  };

  const resize = (n: TfNode, inputs: Value[], mode: 'linear' | 'nearest'): Value => {
    const [x, sizeV] = inputs;
    if (!x || !sizeV) throw new Error(`${n.name}: resize needs input and size`);
    const [fixedH, fixedW] = ints(sizeV, `${n.name} size`) as [number, number];
    const outH = Math.round(fixedH * resizeScale[0]);
    const outW = Math.round(fixedW * resizeScale[1]);
    if (Math.abs(outH - fixedH * resizeScale[0]) > 1e-6 || Math.abs(outW - fixedW * resizeScale[1]) > 1e-6) {
      throw new Error(`${n.name}: resize target ${fixedH}x${fixedW} does not scale to a whole size for input ${opts.inputSize?.join('x')}`);
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
      rest = ['', '', g.addInt64Initializer(`${n.name}/sizes`, [4], [batch, c, outH, outW])];
    } else {
      rest = ['', g.addFloatInitializer(`${n.name}/scales`, [4], new Float32Array([1, 1, outH / inH, outW / inW]))];
    }
    return { shape: [batch, outH, outW, c], dtype: 'float32', onnx: g.op('Resize', [asOnnx(x, `${n.name}/x`), ...rest], n.name, attrs) };
  };

  const concat = (n: TfNode, inputs: Value[]): Value => {
    const parts = inputs.slice(0, -1);
    const axisV = inputs[inputs.length - 1];
    if (!axisV || parts.length === 0) throw new Error(`${n.name}: ConcatV2 needs inputs and an axis`);
    const first = parts[0] as Value;
    const rank = first.shape.length;
    const axis = (ints(axisV, `${n.name} axis`)[0] ?? 0) + (((ints(axisV, `${n.name} axis`)[0] ?? 0) < 0) ? rank : 0);
    const shape = [...first.shape];
    shape[axis] = parts.reduce((s, p) => (s < 0 || (p.shape[axis] ?? -1) < 0 ? -1 : s + (p.shape[axis] as number)), 0);
    const names = parts.map((p, i) => (rank === 4 ? asNchwOperand(p, `${n.name}/in${i}`) : asOnnx(p, `${n.name}/in${i}`)));
    return { shape, dtype: first.dtype, onnx: g.op('Concat', names, n.name, { axis: physicalAxis(axis, rank) }) };
  };

  const pad = (n: TfNode, inputs: Value[]): Value => {
    const [x, padsV, valueV] = inputs;
    if (!x || !padsV) throw new Error(`${n.name}: Pad needs input and paddings`);
    const pairs = ints(padsV, `${n.name} paddings`);
    const rank = x.shape.length;
    const logicalAt = (p: number) => (rank === 4 ? (NCHW_TO_NHWC_AXIS[p] as number) : p);
    const begins = Array.from({ length: rank }, (_, p) => pairs[logicalAt(p) * 2] ?? 0);
    const ends = Array.from({ length: rank }, (_, p) => pairs[logicalAt(p) * 2 + 1] ?? 0);
    const shape = x.shape.map((d, i) => (d < 0 ? d : d + (pairs[i * 2] ?? 0) + (pairs[i * 2 + 1] ?? 0)));
    const ins = [asOnnx(x, `${n.name}/x`), g.addInt64Initializer(`${n.name}/pads`, [rank * 2], [...begins, ...ends])];
    if (valueV) ins.push(asOnnx(valueV, `${n.name}/value`));
    return { shape, dtype: x.dtype, onnx: g.op('Pad', ins, n.name, { mode: 'constant' }) };
  };

  const reshape = (n: TfNode, inputs: Value[]): Value => {
    const [x, shapeV] = inputs;
    if (!x || !shapeV) throw new Error(`${n.name}: Reshape needs input and shape`);
    const target = ints(shapeV, `${n.name} shape`);
    const known = size(x.shape.filter((d) => d >= 0));
    const unknownIn = x.shape.some((d) => d < 0);
    const shape = target.map((d) => (d === -1 ? (unknownIn ? -1 : known / size(target.filter((t) => t !== -1))) : d));
    const src = asNhwc(x, `${n.name}/x`);
    let out = g.op('Reshape', [src, g.addInt64Initializer(`${n.name}/shape`, [target.length], target)], shape.length === 4 ? `${n.name}/nhwc` : n.name);
    if (shape.length === 4) out = g.op('Transpose', [out], n.name, { perm: PERM_NHWC_TO_NCHW });
    return { shape, dtype: x.dtype, onnx: out };
  };

  const squeeze = (n: TfNode, inputs: Value[]): Value => {
    const [x] = inputs;
    if (!x) throw new Error(`${n.name}: missing input`);
    const rank = x.shape.length;
    let axes = attrInts(n, 'squeeze_dims').map((a) => (a < 0 ? a + rank : a));
    if (axes.length === 0) axes = x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    const shape = x.shape.filter((_, i) => !axes.includes(i));
    const out = g.op('Squeeze', [asNhwc(x, `${n.name}/x`), g.addInt64Initializer(`${n.name}/axes`, [axes.length], axes)], shape.length === 4 ? `${n.name}/nhwc` : n.name);
    return { shape, dtype: x.dtype, onnx: shape.length === 4 ? g.op('Transpose', [out], n.name, { perm: PERM_NHWC_TO_NCHW }) : out };
  };

  const convertNode = (n: TfNode, inputs: Value[]): Value => {
    switch (n.op) {
      case 'Identity': {
        const [x] = inputs;
        if (!x) throw new Error(`${n.name}: Identity without input`);
        return x;
      }
      case 'Conv2D':
      case '_FusedConv2D':
        return convolution(n, inputs, false);
      case 'DepthwiseConv2dNative':
      case 'FusedDepthwiseConv2dNative':
        return convolution(n, inputs, true);
      case 'MatMul':
      case '_FusedMatMul':
        return matmul(n, inputs);
      case 'BiasAdd':
      case 'Add':
      case 'AddV2':
        return binary(n, inputs, 'Add');
      case 'Sub':
        return binary(n, inputs, 'Sub');
      case 'Mul':
        return binary(n, inputs, 'Mul');
      case 'RealDiv':
      case 'Div':
        return binary(n, inputs, 'Div');
      case 'Minimum':
        return binary(n, inputs, 'Min');
      case 'Maximum':
        return binary(n, inputs, 'Max');
      case 'Relu':
      case 'Relu6':
      case 'Elu':
      case 'LeakyRelu':
      case 'Sigmoid':
      case 'Tanh':
      case 'Exp':
      case 'Sqrt':
      case 'Rsqrt':
      case 'Neg':
      case 'Abs':
      case 'Square':
        return unary(n, inputs, n.op);
      case 'Prelu': {
        const [x, alpha] = inputs;
        if (!x || !alpha) throw new Error(`${n.name}: Prelu needs input and alpha`);
        const an = x.shape.length === 4 ? asNchwOperand(alpha, `${n.name}/alpha`) : asOnnx(alpha, `${n.name}/alpha`);
        return { shape: x.shape, dtype: 'float32', onnx: g.op('PRelu', [asOnnx(x, `${n.name}/x`), an], n.name) };
      }
      case 'Softmax': {
        const [x] = inputs;
        if (!x) throw new Error(`${n.name}: missing input`);
        const axis = physicalAxis(-1, x.shape.length);
        return { shape: x.shape, dtype: 'float32', onnx: g.op('Softmax', [asOnnx(x, `${n.name}/x`)], n.name, { axis }) };
      }
      case 'Mean':
        return reduce(n, inputs, 'ReduceMean');
      case 'Max':
        return reduce(n, inputs, 'ReduceMax');
      case 'Sum':
        return reduce(n, inputs, 'ReduceSum');
      case 'MaxPool':
        return pool(n, inputs, 'MaxPool');
      case 'AvgPool':
        return pool(n, inputs, 'AveragePool');
      case 'ResizeBilinear':
        return resize(n, inputs, 'linear');
      case 'ResizeNearestNeighbor':
        return resize(n, inputs, 'nearest');
      case 'ConcatV2':
        return concat(n, inputs);
      case 'Pad':
      case 'PadV2':
        return pad(n, inputs);
      case 'Reshape':
        return reshape(n, inputs);
      case 'Squeeze':
        return squeeze(n, inputs);
      default:
        throw new UnsupportedTfOpError(n.op, n.name);
    }
  };

  /** Scalar value of a Const node, if `ref` is one. */
  const scalarConst = (ref: string): number | undefined => {
    const n = byName.get(baseName(ref));
    if (n?.op !== 'Const') return undefined;
    const w = model.weights.get(n.name);
    return w && w.data.length === 1 ? (w.data[0] as number) : undefined;
  };

  /**
   * MobileNetV3's hard-swish arrives as Mul(Mul(1/6, x), Relu6(Add(x, 3))). One ONNX HardSwish
   * (x·max(0, min(1, x/6 + 0.5))) times 6·c, where c is the graph's own "1/6" constant, is the
   * same function and saves two passes over the tensor. Returns x and c when `n` is that pattern.
   */
  const hardSwishInput = (n: TfNode): { x: string; scale: number } | undefined => {
    if (n.op !== 'Mul' || (n.input ?? []).length !== 2) return undefined;
    const [p, q] = (n.input ?? []).map((r) => byName.get(baseName(r)));
    for (const [scaled, relu] of [[p, q], [q, p]] as const) {
      if (scaled?.op !== 'Mul' || relu?.op !== 'Relu6') continue;
      const add = byName.get(baseName(relu.input?.[0] ?? ''));
      if (add?.op !== 'Add' && add?.op !== 'AddV2') continue;
      const [s0, s1] = scaled.input ?? [];
      const [a0, a1] = add.input ?? [];
      if (!s0 || !s1 || !a0 || !a1) continue;
      // The 1/6 may be float16-rounded; the exact constant is kept as a separate scale.
      const sixth = (v: number | undefined) => v !== undefined && Math.abs(v - 1 / 6) < 1e-3;
      const c0 = scalarConst(s0);
      const c1 = scalarConst(s1);
      const x = sixth(c0) ? s1 : sixth(c1) ? s0 : undefined;
      const scale = (sixth(c0) ? c0 : c1) as number;
      const addX = scalarConst(a1) === 3 ? a0 : scalarConst(a0) === 3 ? a1 : undefined;
      if (x !== undefined && x === addX) return { x, scale };
    }
    return undefined;
  };

  const visiting = new Set<string>();
  const valueOf = (ref: string): Value => {
    const n = node(ref);
    const outIndex = Number(/:(\d+)$/.exec(ref)?.[1] ?? 0);
    if (outIndex !== 0) throw new Error(`${ref}: multi-output TF ops are not supported`);
    const done = values.get(n.name);
    if (done) return done;
    if (visiting.has(n.name)) throw new Error(`cycle at ${n.name}`);
    visiting.add(n.name);
    let v: Value;
    if (n.op === 'Const') {
      const w = model.weights.get(n.name);
      if (!w) throw new Error(`constant ${n.name} has no weight data`);
      v = { shape: w.shape, dtype: w.dtype, constant: w };
    } else if (n.op === 'Placeholder') {
      const shape = placeholderShape(n);
      if (shape.length !== 4) throw new Error(`input ${n.name} must be rank 4 NHWC, got [${shape.join(',')}]`);
      const [, origH, origW, c] = shape as [number, number, number, number];
      const [h, w] = opts.inputSize ?? [origH, origW];
      resizeScale = [h / origH, w / origW];
      inputShape = [opts.batch, c, h, w];
      g.addInput({ name: opts.inputName, dataType: DataType.FLOAT, shape: inputShape });
      v = { shape: [typeof opts.batch === 'number' ? opts.batch : -1, h, w, c], dtype: 'float32', onnx: opts.inputName };
    } else if (opts.fuseHardSwish !== false && hardSwishInput(n) !== undefined) {
      const hs = hardSwishInput(n) as { x: string; scale: number };
      const x = valueOf(hs.x);
      const swish = g.op('HardSwish', [asOnnx(x, `${n.name}/x`)], `${n.name}/hardswish`);
      const k = g.addFloatInitializer(`${n.name}/scale`, [], new Float32Array([hs.scale * 6]));
      v = { shape: x.shape, dtype: 'float32', onnx: g.op('Mul', [swish, k], n.name) };
    } else {
      const inputs = (n.input ?? []).filter((i) => !i.startsWith('^')).map(valueOf);
      v = convertNode(n, inputs);
    }
    visiting.delete(n.name);
    values.set(n.name, v);
    return v;
  };

  const outputShapes: Record<string, (number | string)[]> = {};
  g.reserve(opts.outputs.map((o) => o.name));
  for (const o of opts.outputs) {
    const v = valueOf(o.tf);
    const keepNchw = v.shape.length === 4 && o.layout === 'NCHW';
    const src = keepNchw ? asOnnx(v, o.name) : asNhwc(v, o.name);
    g.addNode('Identity', [src], o.name, {}, 1, true);
    const logical = keepNchw ? nhwcShapeToNchw(v.shape) : v.shape;
    const shape = logical.map((d, i) => (i === 0 && typeof opts.batch === 'string' ? opts.batch : d));
    g.addOutput({ name: o.name, dataType: DataType.FLOAT, shape });
    outputShapes[o.name] = shape;
  }

  const bytes = g.encode({
    graphName: opts.graphName,
    producerVersion: opts.producerVersion,
    docString: opts.docString,
    metadata: opts.metadata,
  });
  return { bytes, opTypes: g.opTypes(), inputShape, outputShapes };
}
