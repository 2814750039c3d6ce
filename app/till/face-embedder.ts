// The till's face models (BlazeFace, anti-spoof, liveness, FaceRes on onnxruntime-node, from
// models/) behind the core's FaceEmbedder interface. Loaded on the first face lookup, not at
// start, so a till whose cashiers never use face lookup spends no memory on it; the models'
// code (sharp, the worker pool) is imported then too, so it costs the till's start-up nothing.
// One worker, one thread: a lookup is one frame, and the till's other work keeps the second core.
import { PosError } from '../contract';
import { MIN_FACE_PX, type FaceAnalysis, type FaceEmbedder } from '../core';
import type { FaceAnalyzer } from '../../models';

type Models = typeof import('../../models');

export interface TillFaceEmbedder extends FaceEmbedder {
  close(): Promise<void>;
}

/** Crop around the detected box handed to FaceRes, anti-spoof and liveness (as in calibration). */
export const FACE_CROP_SCALE = 1.2;
/** Detections below this score are not counted as faces. */
const DETECT_MIN_SCORE = 0.6;

export function createTillFaceEmbedder(opts: { threads?: number; modelsDir?: string } = {}): TillFaceEmbedder {
  let analyzer: Promise<{ fa: FaceAnalyzer; models: Models }> | null = null;
  const load = () => {
    analyzer ??= (async () => {
      const models = await import('../../models');
      try {
        const fa = await models.createFaceAnalyzer({
          threads: opts.threads ?? 1,
          poolSize: 1,
          modelsDir: opts.modelsDir,
        });
        return { fa, models };
      } catch (err) {
        if (err instanceof models.ModelError)
          throw new PosError('FACE_UNAVAILABLE', { reason: 'models', model: err.code });
        throw err;
      }
    })().catch((err: unknown) => {
      analyzer = null;
      throw err;
    });
    return analyzer;
  };
  return {
    async analyze(image): Promise<FaceAnalysis> {
      const { fa, models } = await load();
      let frame;
      try {
        frame = await models.decodeImage(image);
      } catch (err) {
        if (err instanceof models.ModelError) throw new PosError('FACE_UNUSABLE', { reason: 'image' });
        throw err;
      }
      const found = (await fa.detectFaces(frame)).filter(
        (f) => f.score >= DETECT_MIN_SCORE && f.box.width >= MIN_FACE_PX,
      );
      const faces = found.map((f) => ({ box: f.box, score: f.score }));
      const only = found.length === 1 ? found[0] : undefined;
      if (!only) return { faces, model: 'faceres' };
      const crop = await fa.cropFace(frame, only, FACE_CROP_SCALE);
      const [antispoof, liveness, description] = await Promise.all([
        fa.antispoof(crop),
        fa.liveness(crop),
        fa.describe(crop),
      ]);
      return { faces, face: { antispoof, liveness, embedding: description.embedding }, model: 'faceres' };
    },
    async close() {
      const a = analyzer;
      analyzer = null;
      if (a) await (await a.catch(() => null))?.fa.close();
    },
  };
}
