// MobileNetV3's hard-swish subgraph, recognised so it converts to one ONNX HardSwish.
import type { TfjsGraphModel, TfNode } from './tfjs-graph-model';

/** The TF graph by node name, with its weights. */
export interface TfGraphIndex {
  model: TfjsGraphModel;
  byName: Map<string, TfNode>;
}

export function baseName(tfName: string): string {
  return tfName.replace(/:\d+$/, '');
}

/** Scalar value of a Const node, if `ref` is one. */
function scalarConst(graph: TfGraphIndex, ref: string): number | undefined {
  const n = graph.byName.get(baseName(ref));
  if (n?.op !== 'Const') return undefined;
  const w = graph.model.weights.get(n.name);
  return w && w.data.length === 1 ? (w.data[0] as number) : undefined;
}

/**
 * MobileNetV3's hard-swish arrives as Mul(Mul(1/6, x), Relu6(Add(x, 3))). One ONNX HardSwish
 * (x·max(0, min(1, x/6 + 0.5))) times 6·c, where c is the graph's own "1/6" constant, is the
 * same function and saves two passes over the tensor. Returns x and c when `n` is that pattern.
 */
export function hardSwishInput(graph: TfGraphIndex, n: TfNode): { x: string; scale: number } | undefined {
  const { byName } = graph;
  if (n.op !== 'Mul' || (n.input ?? []).length !== 2) return undefined;
  const [p, q] = (n.input ?? []).map((r) => byName.get(baseName(r)));
  for (const [scaled, relu] of [
    [p, q],
    [q, p],
  ] as const) {
    if (scaled?.op !== 'Mul' || relu?.op !== 'Relu6') continue;
    const add = byName.get(baseName(relu.input?.[0] ?? ''));
    if (add?.op !== 'Add' && add?.op !== 'AddV2') continue;
    const [s0, s1] = scaled.input ?? [];
    const [a0, a1] = add.input ?? [];
    if (!s0 || !s1 || !a0 || !a1) continue;
    // The 1/6 may be float16-rounded; the exact constant is kept as a separate scale.
    const sixth = (v: number | undefined) => v !== undefined && Math.abs(v - 1 / 6) < 1e-3;
    const c0 = scalarConst(graph, s0);
    const c1 = scalarConst(graph, s1);
    const x = sixth(c0) ? s1 : sixth(c1) ? s0 : undefined;
    const scale = (sixth(c0) ? c0 : c1) as number;
    const addX = scalarConst(graph, a1) === 3 ? a0 : scalarConst(graph, a0) === 3 ? a1 : undefined;
    if (x !== undefined && x === addX) return { x, scale };
  }
  return undefined;
}
