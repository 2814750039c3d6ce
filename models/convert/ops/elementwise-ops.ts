// Element-wise ops: NumPy-broadcast binaries, unary maths and activations, Prelu, Softmax.
import type { TfNode } from '../tfjs-graph-model';
import { broadcastShapes, physicalAxis } from '../layout';
import { FUSED_ACTIVATIONS, type ConvertContext, type OpTable, type Value } from '../convert-context';

function binary(cx: ConvertContext, n: TfNode, inputs: Value[], onnxOp: string): Value {
  const [a, b] = inputs;
  if (!a || !b) throw new Error(`${n.name}: ${n.op} needs two inputs`);
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
