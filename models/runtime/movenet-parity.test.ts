// MoveNet MultiPose: the converted ONNX model (cut at its six heads) against the original TFJS
// graph (tfjs CPU backend) on a real photo. The heads must agree, and the TypeScript decode must
// put every person the graph reports (its best six) where the graph puts them: the same box and
// the same 17 keypoints.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as ort from 'onnxruntime-node';
import { decodeMovenet } from './decode-movenet';
import { loadTfjsReference, type TfjsReference } from '../testing';
import { imageTensors, maxAbsDiff, nchwToNhwc, onnxSession, runOnnx, samplePath } from '../testing';

const H = 256;
const W = 448;
const GH = H / 4;
const GW = W / 4;
const TFJS_TIMEOUT = 300_000;
const HEADS = [
  ['center', 'center_0/conv2d_4', 1],
  ['box_scale', 'box_scale_0/conv2d_5', 2],
  ['box_offset', 'box_offset_0/conv2d_6', 2],
  ['kpt_heatmap', 'kpt_heatmap_0/conv2d_7', 17],
  ['kpt_regress', 'kpt_regress_0/conv2d_8', 34],
  ['kpt_offset', 'kpt_offset_0/conv2d_9', 34],
] as const;

describe('movenet-multipose ONNX vs TFJS', () => {
  let ref: TfjsReference;
  let session: ort.InferenceSession;
  beforeAll(async () => {
    ref = await loadTfjsReference(join(import.meta.dirname, '../vendor/movenet-multipose/movenet-multipose.json'));
    session = await onnxSession('movenet-multipose', 2);
  });
  afterAll(async () => {
    ref?.dispose();
    await session?.release();
  });

  it(
    'sample1: same heads, and the decode finds the graph own people at the same box and keypoints',
    async () => {
      // Whole pixel values, as the graph's int32 input takes them.
      const t = await imageTensors(samplePath(1), W, H, 1, 0);
      const tfOut = await ref.run(
        t.nhwc,
        [1, H, W, 3],
        [...HEADS.map(([, tf]) => `StatefulPartitionedCall/${tf}/BiasAdd`), 'Identity'],
        'int32',
      );
      const out = await runOnnx(session, t);
      HEADS.forEach(([name, , c], i) => {
        expect(out[name]!.dims, name).toEqual([1, c, GH, GW]);
        expect(maxAbsDiff(nchwToNhwc(out[name]!.data, c, GH, GW), tfOut[i]!), name).toBeLessThan(2e-3);
      });

      const poses = decodeMovenet(
        {
          center: out.center!.data,
          boxScale: out.box_scale!.data,
          boxOffset: out.box_offset!.data,
          kptHeatmap: out.kpt_heatmap!.data,
          kptRegress: out.kpt_regress!.data,
          kptOffset: out.kpt_offset!.data,
        },
        GH,
        GW,
        { scoreThreshold: 0.05 },
      );
      const graph = tfOut[HEADS.length]!;
      let checked = 0;
      for (let p = 0; p < 6; p++) {
        const r = graph.subarray(p * 56, p * 56 + 56);
        if ((r[55] as number) < 0.2) continue; // the graph's own person score
        const box = { x1: r[52]! * W, y1: r[51]! * H, x2: r[54]! * W, y2: r[53]! * H };
        const match = poses.find(
          (d) =>
            Math.abs(d.x1 - box.x1) + Math.abs(d.y1 - box.y1) + Math.abs(d.x2 - box.x2) + Math.abs(d.y2 - box.y2) < 0.5,
        );
        expect(match, `graph person ${p} at ${JSON.stringify(box)}`).toBeDefined();
        match!.keypoints.forEach((k, j) => {
          expect(Math.abs(k.x - r[j * 3 + 1]! * W), `person ${p} keypoint ${j} x`).toBeLessThan(0.5);
          expect(Math.abs(k.y - r[j * 3]! * H), `person ${p} keypoint ${j} y`).toBeLessThan(0.5);
        });
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(2);
    },
    TFJS_TIMEOUT,
  );
});
