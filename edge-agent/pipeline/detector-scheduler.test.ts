// The agent's shared detector scheduler: several cameras on one detector pool, served
// round-robin, each camera's counts its own; a camera that is behind loses its oldest waiting
// frames, counted. Real parts: the converted CenterNet-384 in onnxruntime worker threads on
// generated door videos decoded by ffmpeg, and a tiny real ONNX detector for the exact
// accounting cases.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPersonDetector, type PersonDetector } from '../../models';
import { buildTinyYoloV8 } from '../../models/testing';
import { createDetectorFromConfig } from '../detector-from-config';
import { FrameSource, type VideoFrame } from '../ingest';
import { writeDoorSet, type DoorClip } from '../testing';
import { cameraConfigSchema, detectorConfigSchema } from './camera-config';
import { CameraPipeline } from './camera-pipeline';
import { DetectorScheduler } from './detector-scheduler';

let tiny: PersonDetector;
beforeAll(async () => {
  const bytes = buildTinyYoloV8(64, 1, [{ cx: 32, cy: 32, w: 10, h: 30, scores: [0.9] }]);
  const path = join(mkdtempSync(join(tmpdir(), 'sched-yolo-')), 'tiny.onnx');
  writeFileSync(path, bytes);
  tiny = await createDetectorFromConfig(
    detectorConfigSchema.parse({
      model: {
        path,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        input: { width: 64, height: 64 },
        output: { format: 'yolov8', numClasses: 1 },
      },
      threads: 1,
      poolSize: 1,
    }),
  );
});
afterAll(async () => {
  await tiny?.close();
});

const still = (index: number): VideoFrame => ({
  data: new Uint8Array(96 * 96 * 3).fill(90),
  width: 96,
  height: 96,
  index,
  at: index * 100,
  session: 1,
});
const cam = (id: string) =>
  cameraConfigSchema.parse({
    id,
    input: `rtsp://x/${id}`,
    fps: 10,
    line: { x1: 0, y1: 60, x2: 96, y2: 60 },
    motionGate: false,
  });

describe('DetectorScheduler', () => {
  it('under overload a live camera keeps its newest frames and counts every dropped one', async () => {
    const scheduler = new DetectorScheduler({ workers: 1, queuePerCamera: 2 });
    const p = new CameraPipeline(cam('door1'), tiny, undefined, scheduler.lane('door1'));
    // ten frames at once: one goes to the detector, two may wait, the seven oldest waiting are dropped
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => p.processFrame(still(i))));
    expect(p.stats).toMatchObject({ frames: 10, detected: 3, dropped: 7, badFrames: 0 });
    expect(results.filter((r) => r.people?.length === 1)).toHaveLength(3);
    const lane = scheduler.status().lanes[0]!;
    expect(lane).toMatchObject({ id: 'door1', submitted: 10, completed: 3, dropped: 7, queued: 0, inFlight: 0 });
    expect(scheduler.status().dropped).toBe(7);
    // the frames that ran were the first (already running) and the two newest
    expect(scheduler.startLog).toEqual(['door1', 'door1', 'door1']);
  });

  it('a file replay lane never drops: the caller waits for each frame', async () => {
    const scheduler = new DetectorScheduler({ workers: 1, queuePerCamera: 1 });
    const p = new CameraPipeline(cam('replay'), tiny, undefined, scheduler.lane('replay', { drop: false }));
    await Promise.all(Array.from({ length: 6 }, (_, i) => p.processFrame(still(i))));
    expect(p.stats).toMatchObject({ detected: 6, dropped: 0 });
  });

  it('serves cameras round-robin, so a busy camera does not starve a quiet one', async () => {
    const scheduler = new DetectorScheduler({ workers: 1, queuePerCamera: 10 });
    const a = new CameraPipeline(cam('a'), tiny, undefined, scheduler.lane('a'));
    const b = new CameraPipeline(cam('b'), tiny, undefined, scheduler.lane('b'));
    const c = new CameraPipeline(cam('c'), tiny, undefined, scheduler.lane('c'));
    const jobs = [
      ...Array.from({ length: 6 }, (_, i) => a.processFrame(still(i))),
      ...Array.from({ length: 3 }, (_, i) => b.processFrame(still(i))),
      c.processFrame(still(0)),
    ];
    await Promise.all(jobs);
    // a's first frame started at once; then one frame per waiting camera in turn
    expect(scheduler.startLog).toEqual(['a', 'b', 'c', 'a', 'b', 'a', 'b', 'a', 'a', 'a']);
    expect([a.stats.detected, b.stats.detected, c.stats.detected]).toEqual([6, 3, 1]);
  });

  it('a stopped camera leaves the rotation; its waiting frames are dropped, not run', async () => {
    const scheduler = new DetectorScheduler({ workers: 1, queuePerCamera: 5 });
    const laneA = scheduler.lane('a');
    const a = new CameraPipeline(cam('a'), tiny, undefined, laneA);
    const b = new CameraPipeline(cam('b'), tiny, undefined, scheduler.lane('b'));
    const pending = [0, 1, 2].map((i) => a.processFrame(still(i)));
    scheduler.remove(laneA);
    await Promise.all([...pending, b.processFrame(still(0))]);
    expect(a.stats).toMatchObject({ detected: 1, dropped: 2 });
    expect(b.stats.detected).toBe(1);
    expect(scheduler.status().lanes.map((l) => l.id)).toEqual(['b']);
  });
});

describe('three door cameras on one CenterNet pool', () => {
  let clips: DoorClip[];
  let detector: PersonDetector;
  beforeAll(async () => {
    clips = await writeDoorSet(mkdtempSync(join(tmpdir(), 'three-doors-')), ['single-in', 'single-out', 'pair-in']);
    detector = await createPersonDetector({ model: 'centernet-384', scoreThreshold: 0.2, threads: 1, poolSize: 2 });
  }, 60_000);
  afterAll(async () => {
    await detector?.close();
  });

  it('each camera counts its own door, and the three share the two workers', async () => {
    const scheduler = new DetectorScheduler({ workers: detector.pool.poolSize, queuePerCamera: 2 });
    let maxInFlight = 0;
    let poolBacklog = 0;
    const watch = setInterval(() => {
      maxInFlight = Math.max(maxInFlight, scheduler.status().inFlight);
      poolBacklog = Math.max(poolBacklog, detector.pool.pending);
    }, 5);
    const run = async (clip: DoorClip) => {
      const config = cameraConfigSchema.parse({
        id: clip.name,
        input: clip.path,
        fps: 4, // the clips are 6 fps; 4 keeps the test's CPU time down (as the door-set test does)
        line: clip.spec.line,
      });
      // file replay: every frame is counted (the lane waits instead of dropping)
      const pipeline = new CameraPipeline(config, detector, undefined, scheduler.lane(clip.name, { drop: false }));
      const source = new FrameSource({ input: clip.path, rules: { files: 'anywhere' }, fps: 4 });
      let last = 0;
      for await (const f of source.frames()) {
        last = f.at;
        await pipeline.processFrame(f);
      }
      pipeline.finish(last);
      return { name: clip.name, got: pipeline.totals(), expected: clip.expected, stats: pipeline.stats };
    };
    const results = await Promise.all(clips.map(run));
    clearInterval(watch);
    for (const r of results) expect(r.got, r.name).toEqual(r.expected);
    expect(results.map((r) => r.expected)).toEqual([
      { in: 1, out: 0 },
      { in: 0, out: 1 },
      { in: 2, out: 0 },
    ]);
    const st = scheduler.status();
    expect(st.lanes.map((l) => l.id)).toEqual(['single-in', 'single-out', 'pair-in']);
    for (const l of st.lanes) {
      expect(l.completed).toBeGreaterThan(5);
      expect(l.dropped).toBe(0);
    }
    // never more inferences at once than workers, and the pool's own queue never filled
    expect(maxInFlight).toBeLessThanOrEqual(2);
    expect(poolBacklog).toBe(0);
    // the three cameras interleave on the shared pool (one after the other would switch twice)
    const switches = scheduler.startLog.filter((id, i) => i > 0 && id !== scheduler.startLog[i - 1]).length;
    expect(switches).toBeGreaterThanOrEqual(6);
  }, 60_000);
});
