// Builds a tiny ONNX "YOLOv8-style" detector for tests: input images [1,3,H,W], output0
// [1, 4+C, N] whose rows are fixed boxes (plus 0 × mean(input), so the graph really consumes
// its input). Lets the custom-detector path be tested without shipping a third-party model.
import { DataType, OnnxGraphBuilder } from '../convert/onnx-graph-builder';

export interface TinyBox {
  cx: number;
  cy: number;
  w: number;
  h: number;
  scores: number[];
}

export function buildTinyYoloV8(size: number, numClasses: number, boxes: TinyBox[]): Uint8Array {
  const g = new OnnxGraphBuilder();
  g.addInput({ name: 'images', dataType: DataType.FLOAT, shape: [1, 3, size, size] });
  const n = boxes.length;
  const table = new Float32Array((4 + numClasses) * n);
  boxes.forEach((b, i) => {
    table[i] = b.cx;
    table[n + i] = b.cy;
    table[2 * n + i] = b.w;
    table[3 * n + i] = b.h;
    for (let c = 0; c < numClasses; c++) table[(4 + c) * n + i] = b.scores[c] ?? 0;
  });
  const mean = g.op('ReduceMean', ['images'], 'mean', { axes: [1, 2, 3], keepdims: 0 });
  const zero = g.op('Mul', [mean, g.addFloatInitializer('zero', [], new Float32Array([0]))], 'zeroed');
  const out = g.op('Add', [zero, g.addFloatInitializer('table', [1, 4 + numClasses, n], table)], 'output0');
  g.addOutput({ name: out, dataType: DataType.FLOAT, shape: [1, 4 + numClasses, n] });
  return g.encode({ graphName: 'tiny-yolov8', producerVersion: 'test', docString: 'test detector', metadata: {} });
}
