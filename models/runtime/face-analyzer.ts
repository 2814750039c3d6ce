// Face models for the edge agent: BlazeFace detection, FaceRes description (L2-normalised
// 1024-d embedding, age, gender), anti-spoof and liveness scores. One worker pool holds all
// four; each call takes an RGB frame (a whole picture for detectFaces, a face crop otherwise).
import { decodeBlazeface, blazefaceAnchors } from './decode-blazeface';
import { nonMaxSuppression, toFrameBox, type Box } from './detection';
import { ModelError } from './model-error';
import { loadVerifiedModel, MODELS_DIR } from './model-files';
import type { ManifestEntry } from './manifest-schema';
import { cropFrame, prepareFrame, type RgbFrame } from './preprocess';
import { SessionPool, type OutputTensor } from './session-pool';

export interface FaceDetection {
  box: Box;
  score: number;
  /** Frame pixels: right eye, left eye, nose, mouth, right ear, left ear (subject's view). */
  landmarks: [number, number][];
}

export interface FaceDescription {
  /** L2-normalised; compare two faces with a dot product (cosine similarity). */
  embedding: Float32Array;
  /** Expected age in years from the 100-bin age head. */
  age: number;
  gender: 'female' | 'male';
  /** 0–1 confidence in `gender`. */
  genderScore: number;
}

export type FaceModelName = 'blazeface' | 'faceres' | 'antispoof' | 'liveness';

export interface FaceAnalyzerOptions {
  threads?: number;
  poolSize?: number;
  /** Which models to load. Default all four. */
  models?: FaceModelName[];
  scoreThreshold?: number;
  iouThreshold?: number;
  maxFaces?: number;
  modelsDir?: string;
}

export interface FaceAnalyzer {
  detectFaces(frame: RgbFrame): Promise<FaceDetection[]>;
  describe(faceCrop: RgbFrame): Promise<FaceDescription>;
  /** @vladmandic/human's "real" score: higher means a real face rather than a photo/screen. */
  antispoof(faceCrop: RgbFrame): Promise<number>;
  /** @vladmandic/human's "live" score (probability of class 0 of the liveness head). */
  liveness(faceCrop: RgbFrame): Promise<number>;
  /** A square crop around a detected face, enlarged by `scale` (default 1.2), clipped to the frame. */
  cropFace(frame: RgbFrame, face: FaceDetection, scale?: number): Promise<RgbFrame>;
  readonly pool: SessionPool;
  close(): Promise<void>;
}

export function l2Normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s) || 1;
  return v.map((x) => x / n);
}

export async function createFaceAnalyzer(opts: FaceAnalyzerOptions = {}): Promise<FaceAnalyzer> {
  const dir = opts.modelsDir ?? MODELS_DIR;
  const names = opts.models ?? ['blazeface', 'faceres', 'antispoof', 'liveness'];
  const entries = new Map<FaceModelName, ManifestEntry>();
  const pool = new SessionPool({ threads: opts.threads ?? 1, poolSize: opts.poolSize ?? 1 });
  try {
    for (const name of names) {
      const { entry, bytes } = loadVerifiedModel(name, dir);
      entries.set(name, entry);
      await pool.load(name, bytes);
    }
  } catch (e) {
    await pool.close();
    throw e;
  }

  const infer = async (name: FaceModelName, frame: RgbFrame) => {
    const entry = entries.get(name);
    if (!entry)
      throw new ModelError('MODEL_UNKNOWN', `Face model "${name}" was not loaded`, `人脸模型 "${name}" 未加载`);
    const p = entry.preprocessing;
    const input = await prepareFrame(frame, { width: p.width, height: p.height, resize: p.resize, padValue: 0 });
    const outputs = await pool.run(name, {
      pixels: input.pixels,
      width: input.width,
      height: input.height,
      scale: p.scale,
      offset: p.offset,
      layout: p.layout,
      inputName: entry.inputs[0]?.name,
    });
    return { outputs, transform: input.transform, size: p.width };
  };
  const out = (o: Record<string, OutputTensor>, name: string): Float32Array => {
    const t = o[name];
    if (!t) throw new ModelError('INFERENCE_FAILED', `model output ${name} missing`, '模型输出缺失');
    return t.data;
  };

  const anchors = blazefaceAnchors(entries.get('blazeface')?.preprocessing.width ?? 256);
  const scoreThreshold = opts.scoreThreshold ?? 0.5;

  return {
    async detectFaces(frame) {
      const { outputs, transform } = await infer('blazeface', frame);
      const s16 = out(outputs, 'scores_16');
      const s32 = out(outputs, 'scores_32');
      const b16 = out(outputs, 'boxes_16');
      const b32 = out(outputs, 'boxes_32');
      const scores = new Float32Array(s16.length + s32.length);
      scores.set(s16);
      scores.set(s32, s16.length);
      const boxes = new Float32Array(b16.length + b32.length);
      boxes.set(b16);
      boxes.set(b32, b16.length);
      const raw = decodeBlazeface(scores, boxes, anchors, scoreThreshold);
      const kept = nonMaxSuppression(raw, opts.iouThreshold ?? 0.3, opts.maxFaces ?? 20) as typeof raw;
      return kept.map((f) => ({
        box: toFrameBox(f, transform),
        score: f.score,
        landmarks: f.landmarks.map(
          ([x, y]) =>
            [(x - transform.padX) / transform.scaleX, (y - transform.padY) / transform.scaleY] as [number, number],
        ),
      }));
    },
    async describe(faceCrop) {
      const { outputs } = await infer('faceres', faceCrop);
      const gender = out(outputs, 'gender')[0] ?? 0.5;
      const age = out(outputs, 'age');
      let expected = 0;
      age.forEach((p, i) => (expected += p * i));
      return {
        embedding: l2Normalize(out(outputs, 'embedding')),
        age: expected,
        gender: gender > 0.5 ? 'male' : 'female',
        genderScore: Math.abs(gender - 0.5) * 2,
      };
    },
    async antispoof(faceCrop) {
      return out((await infer('antispoof', faceCrop)).outputs, 'score')[0] ?? 0;
    },
    async liveness(faceCrop) {
      return out((await infer('liveness', faceCrop)).outputs, 'probabilities')[0] ?? 0;
    },
    async cropFace(frame, face, scale = 1.2) {
      const side = Math.max(face.box.width, face.box.height) * scale;
      const cx = face.box.x + face.box.width / 2;
      const cy = face.box.y + face.box.height / 2;
      return cropFrame(frame, { x: cx - side / 2, y: cy - side / 2, width: side, height: side });
    },
    pool,
    close: () => pool.close(),
  };
}
