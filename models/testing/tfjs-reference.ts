// Runs the ORIGINAL TFJS graph model with @tensorflow/tfjs (pure-JS CPU backend) so tests and
// the benchmark can compare the converted ONNX models against it. Dev-only: tfjs is a dev
// dependency and is never loaded by the runtime. Loaded on first use (it takes seconds), so tests
// that import models/testing for other helpers do not pay for it.
import type * as Tf from '@tensorflow/tfjs';
import { readTfjsGraphModel, type TfjsGraphModel } from '../convert/tfjs-graph-model';

let backendReady: Promise<typeof Tf> | undefined;
async function cpuBackend(): Promise<typeof Tf> {
  backendReady ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    await tf.ready();
    return tf;
  })();
  return backendReady;
}

export interface TfjsReference {
  /**
   * Runs the model on an NHWC input and returns the named outputs as flat arrays in TF (NHWC)
   * order. `dtype` 'int32' for graphs whose placeholder takes whole pixel values (MoveNet).
   */
  run(
    input: Float32Array,
    shape: [number, number, number, number],
    outputs: string[],
    dtype?: 'float32' | 'int32',
  ): Promise<Float32Array[]>;
  dispose(): void;
}

export async function loadTfjsReference(modelJsonPath: string): Promise<TfjsReference> {
  return loadTfjsReferenceFrom(readTfjsGraphModel(modelJsonPath));
}

export async function loadTfjsReferenceFrom(m: TfjsGraphModel): Promise<TfjsReference> {
  const tf = await cpuBackend();
  const weightData = m.weightData.buffer.slice(
    m.weightData.byteOffset,
    m.weightData.byteOffset + m.weightData.byteLength,
  ) as ArrayBuffer;
  const model = await tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: m.json.modelTopology as unknown as Tf.io.ModelJSON['modelTopology'],
      weightSpecs: m.weightSpecs as Tf.io.WeightsManifestEntry[],
      weightData,
      format: m.json.format,
      generatedBy: m.json.generatedBy,
      convertedBy: m.json.convertedBy,
      signature: m.json.signature as object | undefined,
      userDefinedMetadata: m.json.userDefinedMetadata as Record<string, unknown> | undefined,
    }),
  );
  return {
    async run(input, shape, outputs, dtype = 'float32') {
      const x = dtype === 'int32' ? tf.tensor4d(Int32Array.from(input), shape, 'int32') : tf.tensor4d(input, shape);
      const res = model.execute(x, outputs);
      const list = Array.isArray(res) ? res : [res];
      const data = await Promise.all(list.map(async (t) => Float32Array.from(await t.data())));
      tf.dispose([x, ...list]);
      return data;
    },
    dispose() {
      model.dispose();
    },
  };
}
