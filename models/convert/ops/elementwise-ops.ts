// Element-wise ops: NumPy-broadcast binaries, unary maths and activations, Prelu, Softmax.
import type { TfNode } from '../tfjs-graph-model';
import { broadcastShapes, physicalAxis } from '../layout';
import { FUSED_ACTIVATIONS, type ConvertContext, type OpTable, type Value } from '../convert-context';

/** Integer arithmetic on shape constants, done here (e.g. a Resize target computed as 2 × Shape). */
const FOLD_INT: Record<string, (x: number, y: number) => number> = {
  Mul: (x, y) => x * y,
  Add: (x, y) => x + y,
  Sub: (x, y) => x - y,
};

function foldInts(a: Value, b: Value, onnxOp: string): Value | undefined {
  const f = FOLD_INT[onnxOp];
  const ca = a.constant;
  const cb = b.constant;
  if (!f || ca?.dtype !== 'int32' || cb?.dtype !== 'int32') return undefined;
  const scalar = (c: typeof ca) => c.data.length === 1;
  if (!scalar(ca) && !scalar(cb) && ca.data.length !== cb.data.length) return undefined;
  const long = scalar(ca) ? cb : ca;
  const data = Int32Array.from(long.data, (_, i) =>
    f(ca.data[scalar(ca) ? 0 : i] ?? 0, cb.data[scalar(cb) ? 0 : i] ?? 0),
  );
  return { shape: long.shape, dtype: 'int32', constant: { dtype: 'int32', shape: long.shape, data } };
}

function binary(cx: ConvertContext, n: TfNode, inputs: Value[], onnxOp: string): Value {
  const [a, b] = inputs;
  if (!a || !b) throw new Error(`${n.name}: ${n.op} needs two inputs`);
  const folded = foldInts(a, b, onnxOp);
  if (folded) return folded;
  const shape = broadcastShapes(a.shape, b.shape);
  const rank4 = shape.length === 4;
  const an = rank4 ? cx.asNchwOperand(a, `${n.name}/a`) : cx.asOnnx(a, `${n.name}/a`);
  const bn = rank4 ? cx.asNchwOperand(b, `${n.name}/b`) : cx.asOnnx(b, `${n.name}/b`);
  return { shape, dtype: a.dtype, onnx: cx.g.op(onnxOp, [an, bn], n.name) };
}

function unary(cx: ConvertContext, n: TfNode, inputs: Value[], act: string): Value {
  const [x] = inputs;
  if (!x) throw new Error(`${n.name}: missing input`);
  const xn = cx.asOnnx(x, `${n.name}/x`);
  let out: string;
  if (act === 'Rsqrt') out = cx.g.op('Reciprocal', [cx.g.op('Sqrt', [xn], `${n.name}/sqrt`)], n.name);
  else if (act === 'Square') out = cx.g.op('Mul', [xn, xn], n.name);
  else if (FUSED_ACTIVATIONS.has(act) && act !== 'Prelu') out = cx.applyActivation(xn, act, n, [], 0, n.name);
  else out = cx.g.op(act, [xn], n.name);
  return { shape: x.shape, dtype: x.dtype, onnx: out };
}

function prelu(cx: ConvertContext, n: TfNode, inputs: Value[]): Value {
  const [x, alpha] = inputs;
  if (!x || !alpha) throw new Error(`${n.name}: Prelu needs input and alpha`);
  const an = x.shape.length === 4 ? cx.asNchwOperand(alpha, `${n.name}/alpha`) : cx.asOnnx(alpha, `${n.name}/alpha`);
  return { shape: x.shape, dtype: 'float32', onnx: cx.g.op('PRelu', [cx.asOnnx(x, `${n.name}/x`), an], n.name) };
}

function softmax(cx: ConvertContext, n: TfNode, inputs: Value[]): Value {
  const [x] = inputs;
  if (!x) throw new Error(`${n.name}: missing input`);
  const axis = physicalAxis(-1, x.shape.length);
  return {
    shape: x.shape,
    dtype: 'float32',
    onnx: cx.g.op('Softmax', [cx.asOnnx(x, `${n.name}/x`)], n.name, { axis }),
  };
}

const binaryAs = (onnxOp: string) => (cx: ConvertContext, n: TfNode, inputs: Value[]) => binary(cx, n, inputs, onnxOp);
const unaryOp = (cx: ConvertContext, n: TfNode, inputs: Value[]) => unary(cx, n, inputs, n.op);

export const ELEMENTWISE_OPS: OpTable = {
  BiasAdd: binaryAs('Add'),
  Add: binaryAs('Add'),
  AddV2: binaryAs('Add'),
  Sub: binaryAs('Sub'),
  Mul: binaryAs('Mul'),
  RealDiv: binaryAs('Div'),
  Div: binaryAs('Div'),
  Minimum: binaryAs('Min'),
  Maximum: binaryAs('Max'),
  Relu: unaryOp,
  Relu6: unaryOp,
  Elu: unaryOp,
  LeakyRelu: unaryOp,
  Sigmoid: unaryOp,
  Tanh: unaryOp,
  Exp: unaryOp,
  Sqrt: unaryOp,
  Rsqrt: unaryOp,
  Neg: unaryOp,
  Abs: unaryOp,
  Square: unaryOp,
  Prelu: prelu,
  Softmax: softmax,
};
