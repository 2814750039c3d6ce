// MediaPipe Selfie Segmentation (the "general" 256×256 model, vendored in ./selfie/, see its
// README) run with @tensorflow/tfjs' pure-JS CPU backend. Evaluation only: it cuts the
// evaluation's people out of their photos; the product never loads it.
// Preprocessing follows @vladmandic/human's src/segmentation/selfie.ts: RGB resized to 256×256,
// divided by 255 (0..1); the single output channel is the person probability (0..1).
import { join } from 'node:path';
import { loadTfjsReference } from '../../models/testing';

/** Side of the model's square input and output. */
export const SELFIE_SIZE = 256;

export interface SelfieSegmenter {
  /** Person probability, SELFIE_SIZE² values row by row, for a SELFIE_SIZE² RGB image. */
  segment(rgb: Uint8Array): Promise<Float32Array>;
  dispose(): void;
}

export async function createSelfieSegmenter(): Promise<SelfieSegmenter> {
  // The models' TFJS reference runner: loads tfjs (seconds) on first use, CPU backend.
  const model = await loadTfjsReference(join(import.meta.dirname, 'selfie', 'selfie.json'));
  return {
    async segment(rgb) {
      const [mask] = await model.run(
        Float32Array.from(rgb, (v) => v / 255),
        [1, SELFIE_SIZE, SELFIE_SIZE, 3],
        ['activation_10'],
      );
      return mask!;
    },
    dispose() {
      model.dispose();
    },
  };
}
