// Converts a TFJS graph model into an ONNX graph (opset 17). Walks back from the requested
// outputs, so anything past a cut point (e.g. CenterNet's in-graph top-k decode) is never
// converted. Rank-4 activations live in NCHW; constants are materialised lazily in whatever
// form their consumer needs (HWIO→OIHW filters, NCHW broadcast shapes, int64 shape vectors).
// The ops themselves are converted by one table per op family (./ops/); the list of supported
// TF ops is that table's keys.
import { placeholderShape, type TfjsGraphModel, type TfNode } from './tfjs-graph-model';
import { DataType, OnnxGraphBuilder } from './onnx-graph-builder';
import { nhwcShapeToNchw, PERM_NHWC_TO_NCHW } from './layout';
import {
  ConvertContext,
  UnsupportedTfOpError,
  type ConvertOptions,
  type ConvertResult,
  type OpTable,
  type Value,
} from './convert-context';
import { baseName, hardSwishInput, type TfGraphIndex } from './hard-swish';
import { LINEAR_OPS } from './ops/linear-ops';
import { ELEMENTWISE_OPS } from './ops/elementwise-ops';
import { REDUCE_POOL_OPS } from './ops/reduce-pool-ops';
import { SHAPE_OPS } from './ops/shape-ops';

export { UnsupportedTfOpError, type ConvertOptions, type ConvertResult } from './convert-context';

const OP_TABLE: OpTable = { ...SHAPE_OPS, ...LINEAR_OPS, ...ELEMENTWISE_OPS, ...REDUCE_POOL_OPS };

/** Every TF op the converter handles: graph inputs and constants, plus the op table's keys. */
export const SUPPORTED_TF_OPS: readonly string[] = ['Placeholder', 'Const', ...Object.keys(OP_TABLE)].sort();

export function convertGraphModel(model: TfjsGraphModel, opts: ConvertOptions): ConvertResult {
  const g = new OnnxGraphBuilder();
  const cx = new ConvertContext(g, opts);
  const graph: TfGraphIndex = { model, byName: new Map<string, TfNode>(model.nodes.map((n) => [n.name, n])) };
  const values = new Map<string, Value>();
  let inputShape: (number | string)[] = [];

  const node = (name: string): TfNode => {
    const n = graph.byName.get(baseName(name.replace(/^\^/, '')));
    if (!n) throw new Error(`graph refers to missing node ${name}`);
    return n;
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
    } else if (n.op === 'Placeholder' && opts.inputLayout === 'as-is') {
      const shape = placeholderShape(n);
      if (shape.length !== 4) throw new Error(`input ${n.name} must be rank 4, got [${shape.join(',')}]`);
      if (opts.inputSize) throw new Error(`input ${n.name}: inputSize needs an NHWC placeholder`);
      inputShape = [opts.batch, ...shape.slice(1)];
      g.addInput({ name: opts.inputName, dataType: DataType.FLOAT, shape: inputShape });
      // Held internally like every rank-4 value: NCHW of the logical (here: as given) shape.
      const onnx = g.op('Transpose', [opts.inputName], `${n.name}/internal`, { perm: PERM_NHWC_TO_NCHW });
      v = { shape: [typeof opts.batch === 'number' ? opts.batch : -1, ...shape.slice(1)], dtype: 'float32', onnx };
    } else if (n.op === 'Placeholder') {
      const shape = placeholderShape(n);
      if (shape.length !== 4) throw new Error(`input ${n.name} must be rank 4 NHWC, got [${shape.join(',')}]`);
      const [, origH, origW, c] = shape as [number, number, number, number];
      const [h, w] = opts.inputSize ?? [origH, origW];
      if (h < 0 || w < 0) throw new Error(`input ${n.name} has no fixed size: give inputSize`);
      // A placeholder of any size has no fixed Resize targets to scale (they come from Shape).
      cx.resizeScale = origH < 0 || origW < 0 ? [1, 1] : [h / origH, w / origW];
      inputShape = [opts.batch, c, h, w];
      g.addInput({ name: opts.inputName, dataType: DataType.FLOAT, shape: inputShape });
      v = {
        shape: [typeof opts.batch === 'number' ? opts.batch : -1, h, w, c],
        dtype: 'float32',
        onnx: opts.inputName,
      };
    } else if (opts.fuseHardSwish !== false && hardSwishInput(graph, n) !== undefined) {
      const hs = hardSwishInput(graph, n) as { x: string; scale: number };
      const x = valueOf(hs.x);
      const swish = g.op('HardSwish', [cx.asOnnx(x, `${n.name}/x`)], `${n.name}/hardswish`);
      const k = g.addFloatInitializer(`${n.name}/scale`, [], new Float32Array([hs.scale * 6]));
      v = { shape: x.shape, dtype: 'float32', onnx: g.op('Mul', [swish, k], n.name) };
    } else {
      const inputs = (n.input ?? []).filter((i) => !i.startsWith('^')).map(valueOf);
      const convert = OP_TABLE[n.op];
      if (!convert) throw new UnsupportedTfOpError(n.op, n.name, SUPPORTED_TF_OPS);
      v = convert(cx, n, inputs);
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
    const src = keepNchw ? cx.asOnnx(v, o.name) : cx.asNhwc(v, o.name);
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
