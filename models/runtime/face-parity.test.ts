// BlazeFace, FaceRes, anti-spoof and liveness: converted ONNX vs the original TFJS graphs on the
// same input tensors built from real photos (tfjs CPU backend).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as ort from 'onnxruntime-node';
import { blazefaceAnchors, decodeBlazeface } from './decode-blazeface';
import { iou, nonMaxSuppression } from './detection';
import { loadTfjsReference, type TfjsReference } from '../testing';
import { cosine, humanModelJson, imageTensors, maxAbsDiff, onnxSession, runOnnx, samplePath } from '../testing';

// Face regions (frame pixels) around faces in the sample photos, found once with BlazeFace.
// Pure-JS tfjs on a shared 2-core machine can take tens of seconds per run.
const TFJS_TIMEOUT = 180_000;

const FACES = [
  { photo: 1, region: { left: 380, top: 370, width: 270, height: 270 } },
  { photo: 1, region: { left: 1460, top: 230, width: 220, height: 220 } },
  { photo: 3, region: { left: 1020, top: 210, width: 330, height: 330 } },
];

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

describe('blazeface ONNX vs TFJS', () => {
  let ref: TfjsReference;
  let session: ort.InferenceSession;
  beforeAll(async () => {
    ref = await loadTfjsReference(humanModelJson('blazeface.json'));
    session = await onnxSession('blazeface');
  });
  afterAll(async () => {
    ref?.dispose();
    await session?.release();
  });

  it.each([1, 3, 6])(
    'sample%i: same scores and face boxes',
    async (i) => {
      const t = await imageTensors(samplePath(i), 256, 256, 1 / 127.5, -1);
      const [s16, b16, s32, b32] = await ref.run(
        t.nhwc,
        [1, 256, 256, 3],
        ['Identity', 'Identity_2', 'Identity_1', 'Identity_3'],
      );
      const o = await runOnnx(session, t);
      const anchors = blazefaceAnchors(256);
      const theirs = nonMaxSuppression(decodeBlazeface(concat(s16!, s32!), concat(b16!, b32!), anchors, 0.5), 0.3, 20);
      const ours = nonMaxSuppression(
        decodeBlazeface(
          concat(o.scores_16!.data, o.scores_32!.data),
          concat(o.boxes_16!.data, o.boxes_32!.data),
          anchors,
          0.5,
        ),
        0.3,
        20,
      );
      // Box regressors are pixels at 256×256: agree to a few thousandths of a pixel.
      expect(maxAbsDiff(o.boxes_16!.data, b16!)).toBeLessThan(5e-3);
      expect(maxAbsDiff(o.boxes_32!.data, b32!)).toBeLessThan(5e-3);
      expect(theirs.length).toBeGreaterThan(0);
      expect(ours.length).toBe(theirs.length);
      theirs.forEach((d, k) => {
        expect(iou(ours[k]!, d)).toBeGreaterThanOrEqual(0.99);
        expect(Math.abs(ours[k]!.score - d.score)).toBeLessThanOrEqual(1e-3);
      });
    },
    TFJS_TIMEOUT,
  );
});

describe('faceres ONNX vs TFJS', () => {
  let ref: TfjsReference;
  let session: ort.InferenceSession;
  beforeAll(async () => {
    ref = await loadTfjsReference(humanModelJson('faceres.json'));
    session = await onnxSession('faceres');
  });
  afterAll(async () => {
    ref?.dispose();
    await session?.release();
  });

  it.each(FACES.slice(0, 2))(
    'face in sample$photo: embedding, age and gender agree',
    async ({ photo, region }) => {
      const t = await imageTensors(samplePath(photo), 224, 224, 1, 0, region);
      const [emb, age, gender] = await ref.run(
        t.nhwc,
        [1, 224, 224, 3],
        ['global_pooling/Mean', 'age_pred/Softmax', 'gender_pred/Sigmoid'],
      );
      const o = await runOnnx(session, t);
      expect(cosine(o.embedding!.data, emb!)).toBeGreaterThanOrEqual(0.999);
      expect(maxAbsDiff(o.age!.data, age!)).toBeLessThanOrEqual(1e-3);
      expect(maxAbsDiff(o.gender!.data, gender!)).toBeLessThanOrEqual(1e-3);
    },
    TFJS_TIMEOUT,
  );
});

describe.each([
  { name: 'antispoof', size: 128, tfOut: 'Identity', out: 'score' },
  { name: 'liveness', size: 32, tfOut: 'Identity', out: 'probabilities' },
])('$name ONNX vs TFJS', ({ name, size, tfOut, out }) => {
  it(
    'scores agree within 1e-3 on three face crops',
    async () => {
      const ref = await loadTfjsReference(humanModelJson(`${name}.json`));
      const session = await onnxSession(name);
      try {
        for (const { photo, region } of FACES) {
          const t = await imageTensors(samplePath(photo), size, size, 1 / 255, 0, region);
          const [theirs] = await ref.run(t.nhwc, [1, size, size, 3], [tfOut]);
          const o = await runOnnx(session, t);
          expect(maxAbsDiff(o[out]!.data, theirs!)).toBeLessThanOrEqual(1e-3);
        }
      } finally {
        ref.dispose();
        await session.release();
      }
    },
    TFJS_TIMEOUT,
  );
});
