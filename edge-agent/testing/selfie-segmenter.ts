// MediaPipe Selfie Segmentation (the "general" 256×256 model, vendored in ./selfie/, see its
// README) run with @tensorflow/tfjs' pure-JS CPU backend. Evaluation only: it cuts the
// evaluation's people out of their photos; the product never loads it.
// Preprocessing follows @vladmandic/human's src/segmentation/selfie.ts: RGB resized to 256×256,
// divided by 255 (0..1); the single output channel is the person probability (0..1).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Tf from '@tensorflow/tfjs';

/** Side of the model's square input and output. */
export const SELFIE_SIZE = 256;

export interface SelfieSegmenter {
  /** Person probability, SELFIE_SIZE² values row by row, for a SELFIE_SIZE² RGB image. */
  segment(rgb: Uint8Array): Promise<Float32Array>;
  dispose(): void;
}

interface ModelJson {
  modelTopology: Tf.io.ModelJSON['modelTopology'];
  weightsManifest: Array<{ paths: string[]; weights: Tf.io.WeightsManifestEntry[] }>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  signature?: object;
}

export async function createSelfieSegmenter(): Promise<SelfieSegmenter> {
  // loaded here, not at import: tfjs takes seconds to start and most importers never segment
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  await tf.ready();
  const dir = join(import.meta.dirname, 'selfie');
  const json = JSON.parse(readFileSync(join(dir, 'selfie.json'), 'utf8')) as ModelJson;
  const bin = readFileSync(join(dir, 'selfie.bin'));
  const model = await tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((m) => m.weights),
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      signature: json.signature,
    }),
  );
  return {
    async segment(rgb) {
      const x = tf.tidy(() => tf.div(tf.tensor4d(rgb, [1, SELFIE_SIZE, SELFIE_SIZE, 3], 'int32'), 255));
      const y = model.execute(x) as Tf.Tensor;
      const out = Float32Array.from(await y.data());
      tf.dispose([x, y]);
      return out;
    },
    dispose() {
      model.dispose();
    },
  };
}
