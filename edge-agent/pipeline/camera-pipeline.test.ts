// The pipeline with a YOLO-style ONNX detector given as an OnnxDetectorConfig (a tiny real ONNX
// graph built by the models test helper, run by onnxruntime): config pass-through, corrupt frames
// skipped, motion gate, tracks ended on reconnect.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonDetector } from '../../models';
import { buildTinyYoloV8 } from '../../models/testing';
import { createDetectorFromConfig } from '../detector-from-config';
import type { VideoFrame } from '../ingest';
import { cameraConfigSchema, detectorConfigSchema } from './camera-config';
import { CameraPipeline } from './camera-pipeline';

let detector: PersonDetector;
beforeAll(async () => {
  // one person box (class 0) and one chair-like box (class 1) in the middle of a 64×64 input
  const bytes = buildTinyYoloV8(64, 2, [
    { cx: 32, cy: 32, w: 10, h: 30, scores: [0.9, 0] },
    { cx: 10, cy: 10, w: 8, h: 8, scores: [0, 0.9] },
  ]);
  const path = join(mkdtempSync(join(tmpdir(), 'yolo-')), 'tiny.onnx');
  writeFileSync(path, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const cfg = detectorConfigSchema.parse({
    model: {
      path,
      sha256,
      input: { width: 64, height: 64 },
      output: { format: 'yolov8', numClasses: 2 },
      personClasses: [0],
    },
    threads: 1,
  });
  detector = await createDetectorFromConfig(cfg);
});
afterAll(async () => {
  await detector?.close();
});

const frame = (index: number, session = 1, fill = index % 2 ? 200 : 0): VideoFrame => ({
  data: new Uint8Array(128 * 128 * 3).fill(fill),
  width: 128,
  height: 128,
  index,
  at: index * 200,
  session,
});

describe('CameraPipeline', () => {
  it('runs a YOLO-style ONNX detector from the models registry config and tracks its person', async () => {
    const p = new CameraPipeline(
      cameraConfigSchema.parse({
        id: 'c',
        input: 'x.mp4',
        line: { x1: 0, y1: 100, x2: 128, y2: 100 },
        motionGate: false,
      }),
      detector,
    );
    for (let i = 0; i < 4; i++) await p.processFrame(frame(i));
    const tracks = p.tracker.confirmed();
    expect(tracks).toHaveLength(1);
    expect(tracks[0]!.box.x + tracks[0]!.box.width / 2).toBeCloseTo(64, 0);
    expect(p.stats.detected).toBe(4);
  });

  it('skips a corrupt frame with a count and carries on', async () => {
    const p = new CameraPipeline(
      cameraConfigSchema.parse({
        id: 'c',
        input: 'x.mp4',
        line: { x1: 0, y1: 100, x2: 128, y2: 100 },
        motionGate: false,
      }),
      detector,
    );
    await p.processFrame(frame(0));
    await p.processFrame({ ...frame(1), data: new Uint8Array(100) });
    await p.processFrame(frame(2));
    expect(p.stats.badFrames).toBe(1);
    expect(p.stats.detected).toBe(2);
  });

  it('the motion gate skips the detector on a still scene with nobody tracked', async () => {
    const bytes = buildTinyYoloV8(64, 1, [{ cx: 32, cy: 32, w: 10, h: 30, scores: [0.01] }]); // sees nobody
    const path = join(mkdtempSync(join(tmpdir(), 'yolo-empty-')), 'empty.onnx');
    writeFileSync(path, bytes);
    const empty = await createDetectorFromConfig(
      detectorConfigSchema.parse({
        model: {
          path,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          input: { width: 64, height: 64 },
          output: { format: 'yolov8', numClasses: 1 },
        },
        threads: 1,
      }),
    );
    try {
      const p = new CameraPipeline(
        cameraConfigSchema.parse({ id: 'c', input: 'x.mp4', line: { x1: 0, y1: 100, x2: 128, y2: 100 } }),
        empty,
      );
      await p.processFrame(frame(0, 1, 50));
      await p.processFrame(frame(1, 1, 50));
      await p.processFrame(frame(2, 1, 50));
      await p.processFrame(frame(3, 1, 180)); // something moved
      expect(p.stats.detected).toBe(2);
      expect(p.stats.skippedNoMotion).toBe(2);
    } finally {
      await empty.close();
    }
  });

  it('while someone is tracked, static frames are skipped a few at a time and the track is kept as it was', async () => {
    const p = new CameraPipeline(
      cameraConfigSchema.parse({ id: 'c', input: 'x.mp4', line: { x1: 0, y1: 100, x2: 128, y2: 100 } }),
      detector,
    );
    for (let i = 0; i < 3; i++) await p.processFrame(frame(i, 1, i * 60)); // moving: detected, confirmed
    const before = p.tracker.confirmed()[0]!;
    expect(p.stats.detected).toBe(3);
    // the picture stops changing: 4 frames skipped (the track is not aged), then the detector looks again
    for (let i = 3; i < 7; i++) await p.processFrame(frame(i, 1, 120));
    expect(p.stats.skippedNoMotion).toBe(4);
    expect(p.tracker.confirmed()[0]).toMatchObject({ id: before.id, missed: 0, hits: before.hits });
    await p.processFrame(frame(7, 1, 120));
    expect(p.stats.detected).toBe(4);
    expect(p.tracker.confirmed()[0]).toMatchObject({ id: before.id, missed: 0, hits: before.hits + 1 });
  });

  it('ends every track when the source reconnects', async () => {
    const p = new CameraPipeline(
      cameraConfigSchema.parse({
        id: 'c',
        input: 'rtsp://x/y',
        line: { x1: 0, y1: 100, x2: 128, y2: 100 },
        motionGate: false,
      }),
      detector,
    );
    for (let i = 0; i < 4; i++) await p.processFrame(frame(i, 1));
    const before = p.tracker.confirmed()[0]!.id;
    await p.processFrame(frame(4, 2));
    const after = p.tracker.all();
    expect(after).toHaveLength(1);
    expect(after[0]!.id).not.toBe(before);
    expect(after[0]!.state).toBe('tentative');
  });
});
