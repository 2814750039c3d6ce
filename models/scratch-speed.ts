import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
for (const [name, S] of [['centernet', 512], ['blazeface', 256], ['faceres', 224]] as const) {
  const s = await ort.InferenceSession.create(readFileSync(`models/build/${name}.onnx`), { intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const x = new ort.Tensor('float32', new Float32Array(3 * S * S).fill(100), [1, 3, S, S]);
  const t: number[] = [];
  for (let i = 0; i < 12; i++) { const a = performance.now(); await s.run({ image: x }); t.push(performance.now() - a); }
  t.sort((a, b) => a - b);
  console.log(name, t.map(Math.round).join(' '));
}
