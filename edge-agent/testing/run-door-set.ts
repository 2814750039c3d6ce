// Runs door clips through the counting pipeline in one process (shared detector): used by the
// accuracy test and the footfall bench.
import type { PersonDetector } from '../../models';
import { FrameSource } from '../ingest';
import { CameraPipeline, cameraConfigSchema } from '../pipeline';
import type { DoorClip } from './door-set';

export interface ClipResult {
  name: string;
  expected: { in: number; out: number };
  got: { in: number; out: number };
  frames: number;
  seconds: number;
}

export async function countClip(detector: PersonDetector, clip: DoorClip, fps = clip.spec.fps): Promise<ClipResult> {
  const camera = cameraConfigSchema.parse({ id: clip.name.slice(0, 32), input: clip.path, fps, line: clip.spec.line });
  const pipeline = new CameraPipeline(camera, detector);
  const source = new FrameSource({ input: clip.path, rules: { files: 'anywhere' }, fps });
  const t0 = performance.now();
  let last = 0;
  for await (const f of source.frames()) {
    last = f.at;
    await pipeline.processFrame(f);
  }
  pipeline.finish(last);
  return {
    name: clip.name,
    expected: clip.expected,
    got: pipeline.totals(),
    frames: pipeline.stats.frames,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** 1 − (total absolute count error) ÷ (total true crossings), floored at 0. */
export function countAccuracy(results: readonly ClipResult[]): number {
  let err = 0;
  let truth = 0;
  for (const r of results) {
    err += Math.abs(r.got.in - r.expected.in) + Math.abs(r.got.out - r.expected.out);
    truth += r.expected.in + r.expected.out;
  }
  return truth === 0 ? (err === 0 ? 1 : 0) : Math.max(0, 1 - err / truth);
}
