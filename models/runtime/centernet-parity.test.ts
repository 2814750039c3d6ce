// CenterNet: the converted ONNX model against the original TFJS graph (tfjs CPU backend) on
// real photos. Tensor outputs must agree, and the TypeScript decode must reproduce the graph's
// own in-graph decode ('tower_0/detections': x1, y1, x2, y2, score, class).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as ort from 'onnxruntime-node';
import { decodeCenternet } from './decode-centernet';
import { iou, type RawDetection } from './detection';
import { loadTfjsReference, type TfjsReference } from '../testing';
import { humanModelJson, imageTensors, maxAbsDiff, nchwToNhwc, onnxSession, runOnnx, samplePath } from '../testing';

// tfjs CPU needs several seconds per CenterNet frame here, so two photos.
const PHOTOS = [1, 5];
// Pure-JS tfjs is slow and this machine is shared: one frame has taken over a minute.
const TFJS_TIMEOUT = 300_000;

describe('centernet ONNX vs TFJS', () => {
  let ref: TfjsReference;
  let session: ort.InferenceSession;
  beforeAll(async () => {
    ref = await loadTfjsReference(humanModelJson('centernet.json'));
    session = await onnxSession('centernet', 2);
  });
  afterAll(async () => {
    ref?.dispose();
    await session?.release();
  });

  it.each(PHOTOS)(
    'sample%i: same heatmap, wh and detections',
    async (i) => {
      const t = await imageTensors(samplePath(i), 512, 512, 1, 0);
      const [heatTf, whTf, detTf] = await ref.run(
        t.nhwc,
        [1, 512, 512, 3],
        ['tower_0/keypoints', 'tower_0/wh', 'tower_0/detections'],
      );
      const out = await runOnnx(session, t);
      const heat = out.heatmap!;
      const wh = out.wh!;
      expect(heat.dims).toEqual([1, 80, 128, 128]);
      expect(wh.dims).toEqual([1, 4, 128, 128]);
      // Sigmoid scores: float32 rounding only. wh is in pixels (up to ~500): allow 0.01 px.
      expect(maxAbsDiff(nchwToNhwc(heat.data, 80, 128, 128), heatTf!)).toBeLessThan(1e-4);
      expect(maxAbsDiff(nchwToNhwc(wh.data, 4, 128, 128), whTf!)).toBeLessThan(1e-2);

      const ours = decodeCenternet(heat.data, wh.data, 80, 128, 128, { scoreThreshold: 0.05, topK: 100 });
      const theirs: RawDetection[] = [];
      for (let k = 0; k < 100; k++) {
        const r = detTf!.subarray(k * 6, k * 6 + 6);
        if ((r[4] as number) >= 0.1)
          theirs.push({ x1: r[0]!, y1: r[1]!, x2: r[2]!, y2: r[3]!, score: r[4]!, classId: r[5]! });
      }
      expect(theirs.length).toBeGreaterThan(0);
      for (const d of theirs) {
        const match = ours.filter((o) => o.classId === d.classId).sort((a, b) => iou(b, d) - iou(a, d))[0];
        expect(match, `no match for class ${d.classId} score ${d.score}`).toBeDefined();
        expect(iou(match!, d)).toBeGreaterThanOrEqual(0.99);
        expect(Math.abs(match!.score - d.score)).toBeLessThanOrEqual(1e-3);
      }
    },
    TFJS_TIMEOUT,
  );
});
