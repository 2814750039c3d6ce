// Pure post-processing: NMS properties, the CenterNet peak/top-k decode, the three custom
// detector output formats, BlazeFace anchors, and mapping boxes back through a letterbox.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iou, nonMaxSuppression, toFrameBox, type RawDetection } from './detection';
import { decodeCenternet } from './decode-centernet';
import { decodeMovenet, decodeMovenetBoxes } from './decode-movenet';
import { decodeDetectorOutput } from './decode-yolo';
import { blazefaceAnchors, decodeBlazeface } from './decode-blazeface';

const detArb = fc
  .record({
    x: fc.integer({ min: 0, max: 90 }),
    y: fc.integer({ min: 0, max: 90 }),
    w: fc.integer({ min: 1, max: 40 }),
    h: fc.integer({ min: 1, max: 40 }),
    score: fc.double({ min: 0, max: 1, noNaN: true }),
    classId: fc.integer({ min: 0, max: 2 }),
  })
  .map((r): RawDetection => ({ x1: r.x, y1: r.y, x2: r.x + r.w, y2: r.y + r.h, score: r.score, classId: r.classId }));

describe('nonMaxSuppression', () => {
  it('keeps a score-ordered subset with no same-class pair above the IoU threshold', () => {
    fc.assert(
      fc.property(
        fc.array(detArb, { maxLength: 40 }),
        fc.double({ min: 0.1, max: 0.9, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        (dets, thr, max) => {
          const kept = nonMaxSuppression(dets, thr, max);
          expect(kept.length).toBeLessThanOrEqual(Math.min(max, dets.length));
          for (const k of kept) expect(dets).toContain(k);
          for (let i = 1; i < kept.length; i++) expect(kept[i - 1]!.score).toBeGreaterThanOrEqual(kept[i]!.score);
          for (let i = 0; i < kept.length; i++)
            for (let j = i + 1; j < kept.length; j++)
              if (kept[i]!.classId === kept[j]!.classId) expect(iou(kept[i]!, kept[j]!)).toBeLessThanOrEqual(thr);
          // The best detection always survives.
          if (dets.length) expect(kept[0]!.score).toBe(Math.max(...dets.map((d) => d.score)));
        },
      ),
    );
  });
});

describe('decodeCenternet', () => {
  it('finds 3×3 peaks, orders by score and builds boxes at stride 4', () => {
    const C = 2;
    const H = 6;
    const W = 8;
    const heat = new Float32Array(C * H * W);
    const wh = new Float32Array(4 * H * W);
    const set = (c: number, y: number, x: number, v: number) => (heat[c * H * W + y * W + x] = v);
    set(0, 2, 3, 0.9); // peak
    set(0, 2, 4, 0.8); // neighbour of a higher cell: not a peak
    set(0, 5, 7, 0.6); // corner peak
    set(1, 2, 4, 0.7); // same cell, other class: its own peak
    for (let k = 0; k < 4; k++) wh[k * H * W + 2 * W + 3] = [4, 8, 12, 16][k]!;
    const out = decodeCenternet(heat, wh, C, H, W, { scoreThreshold: 0.5 });
    expect(out.map((d) => [d.classId, d.score.toFixed(1)])).toEqual([
      [0, '0.9'],
      [1, '0.7'],
      [0, '0.6'],
    ]);
    expect(out[0]).toMatchObject({ x1: 12 - 4, y1: 8 - 8, x2: 12 + 12, y2: 8 + 16 });
    expect(decodeCenternet(heat, wh, C, H, W, { scoreThreshold: 0.5, classes: [1] })).toHaveLength(1);
    expect(decodeCenternet(heat, wh, C, H, W, { scoreThreshold: 0.5, topK: 2 })).toHaveLength(2);
    expect(() => decodeCenternet(heat.subarray(1), wh, C, H, W, { scoreThreshold: 0.5 })).toThrow(/sizes/);
  });
});

describe('decodeDetectorOutput', () => {
  it('reads yolov5 rows as objectness × class score', () => {
    const data = Float32Array.from([50, 40, 20, 10, 0.5, 0.9, 0.1, 10, 10, 4, 4, 0.1, 0.9, 0.9]);
    const out = decodeDetectorOutput('yolov5', data, [1, 2, 7], { numClasses: 2, scoreThreshold: 0.3 });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ x1: 40, y1: 35, x2: 60, y2: 45, classId: 0 });
    expect(out[0]!.score).toBeCloseTo(0.45, 6);
  });

  it('reads xyxy-score-class rows and filters classes', () => {
    const data = Float32Array.from([1, 2, 3, 4, 0.8, 0, 5, 6, 7, 8, 0.9, 3]);
    expect(
      decodeDetectorOutput('xyxy-score-class', data, [1, 2, 6], { numClasses: 4, scoreThreshold: 0.5 }),
    ).toHaveLength(2);
    expect(
      decodeDetectorOutput('xyxy-score-class', data, [1, 2, 6], { numClasses: 4, scoreThreshold: 0.5, classes: [0] }),
    ).toEqual([{ x1: 1, y1: 2, x2: 3, y2: 4, score: 0.800000011920929, classId: 0 }]);
  });

  it('names the expected shape when the output does not fit the format', () => {
    expect(() =>
      decodeDetectorOutput('yolov8', new Float32Array(12), [1, 6, 2], { numClasses: 80, scoreThreshold: 0.5 }),
    ).toThrow(/\[1, 84, N\]/);
    expect(() =>
      decodeDetectorOutput('yolov5', new Float32Array(12), [1, 2, 6], { numClasses: 80, scoreThreshold: 0.5 }),
    ).toThrow(/85/);
    expect(() =>
      decodeDetectorOutput('xyxy-score-class', new Float32Array(12), [12], { numClasses: 1, scoreThreshold: 0.5 }),
    ).toThrow(/\[1, a, b\]/);
  });
});

describe('blazeface decode', () => {
  it('has 896 anchors: 512 at stride 16 then 384 at stride 32', () => {
    const a = blazefaceAnchors(256);
    expect(a.length).toBe(896 * 2);
    expect([a[0], a[1], a[2], a[3]]).toEqual([8, 8, 8, 8]);
    expect([a[512 * 2], a[512 * 2 + 1]]).toEqual([16, 16]);
  });

  it('turns logits into probabilities and offsets into boxes and landmarks', () => {
    const anchors = Float32Array.from([8, 8, 24, 8]);
    const scores = Float32Array.from([3, -3]);
    const boxes = new Float32Array(32);
    boxes.set([2, -2, 10, 6, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
    const out = decodeBlazeface(scores, boxes, anchors, 0.5);
    expect(out).toHaveLength(1);
    expect(out[0]!.score).toBeCloseTo(1 / (1 + Math.exp(-3)), 6);
    expect(out[0]).toMatchObject({ x1: 5, y1: 3, x2: 15, y2: 9 });
    expect(out[0]!.landmarks[0]).toEqual([9, 9]);
  });
});

describe('toFrameBox', () => {
  it('undoes a letterbox and clips to the frame', () => {
    const t = { scaleX: 0.5, scaleY: 0.5, padX: 0, padY: 16, frameWidth: 128, frameHeight: 64 };
    expect(toFrameBox({ x1: 22, y1: 27, x2: 42, y2: 37, score: 1, classId: 0 }, t)).toEqual({
      x: 44,
      y: 22,
      width: 40,
      height: 20,
    });
    expect(toFrameBox({ x1: -10, y1: 0, x2: 100, y2: 70, score: 1, classId: 0 }, t)).toEqual({
      x: 0,
      y: 0,
      width: 128,
      height: 64,
    });
  });
});

describe('decodeMovenet', () => {
  const GH = 8;
  const GW = 10;
  const P = GH * GW;
  const logit = (p: number) => Math.log(p / (1 - p));
  function heads() {
    return {
      center: new Float32Array(P).fill(logit(0.01)),
      boxScale: new Float32Array(2 * P),
      boxOffset: new Float32Array(2 * P),
      kptHeatmap: new Float32Array(17 * P).fill(logit(0.01)),
      kptRegress: new Float32Array(34 * P),
      kptOffset: new Float32Array(34 * P),
    };
  }

  it('makes a person of each centre peak: box from offset and scale, keypoints snapped to their heatmap', () => {
    const h = heads();
    const at = (y: number, x: number) => y * GW + x;
    h.center[at(4, 3)] = logit(0.9);
    h.center[at(4, 4)] = logit(0.5); // beside the peak: not a peak itself
    h.center[at(2, 8)] = logit(0.6);
    // Person at (4,3): centre moved by (0.5, 0.25), box 6 cells high, 2 wide.
    h.boxOffset[at(4, 3)] = 0.5;
    h.boxOffset[P + at(4, 3)] = 0.25;
    h.boxScale[at(4, 3)] = 6;
    h.boxScale[P + at(4, 3)] = 2;
    // Its left ankle (15) is regressed to (6.6, 3.2); the ankle heatmap is strongest at (7, 3).
    h.kptRegress[30 * P + at(4, 3)] = 2.6;
    h.kptRegress[31 * P + at(4, 3)] = 0.2;
    h.kptHeatmap[15 * P + at(7, 3)] = logit(0.8);
    h.kptHeatmap[15 * P + at(7, 9)] = logit(0.99); // stronger, but outside the person's box
    h.kptOffset[30 * P + at(7, 3)] = 0.1;
    const out = decodeMovenet(h, GH, GW, { scoreThreshold: 0.3, stride: 4 });
    expect(out.map((d) => d.score.toFixed(1))).toEqual(['0.9', '0.6']);
    const p = out[0]!;
    expect([p.x1, p.y1, p.x2, p.y2]).toEqual([(3.25 - 1) * 4, (4.5 - 3) * 4, (3.25 + 1) * 4, (4.5 + 3) * 4]);
    expect(p.keypoints).toHaveLength(17);
    expect(p.keypoints[15]!.x).toBe(3 * 4);
    expect(p.keypoints[15]!.y).toBeCloseTo(7.1 * 4, 5); // float32 offset
    expect(p.keypoints[15]!.score).toBeCloseTo(0.8, 5);
    // The person detector's boxes-only decode gives the same boxes from the centre and box heads.
    expect(decodeMovenetBoxes(h.center, h.boxScale, h.boxOffset, GH, GW, { scoreThreshold: 0.3 })).toEqual(
      out.map(({ keypoints: _, ...box }) => box),
    );
    expect(decodeMovenet(h, GH, GW, { scoreThreshold: 0.7 })).toHaveLength(1);
    expect(decodeMovenet(h, GH, GW, { scoreThreshold: 0.3, topK: 1 })).toHaveLength(1);
    expect(() => decodeMovenet({ ...h, kptOffset: h.kptOffset.subarray(1) }, GH, GW, { scoreThreshold: 0.3 })).toThrow(
      /kptOffset/,
    );
  });
});
