// Runs evaluation clips through the real counting pipeline (ffmpeg decode → motion gate → person
// detector → tracker → line counter) and scores them per scenario family, misses and false counts
// apart. The detector's answers are recorded per frame (down to score 0.1) so the tracker and the
// counting rules can be replayed on the tuning split in milliseconds (`eval-tune.ts`).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  boxIou,
  createPersonDetector,
  type Detection,
  type PersonDetector,
  type PersonDetectorOptions,
  type RgbFrame,
} from '../../models';
import { FrameSource, type VideoFrame } from '../ingest';
import { CameraPipeline, cameraConfigSchema, type CameraConfigInput } from '../pipeline';
import type { MattedPerson } from './eval-people';
import { writeEvalClip, type EvalClip, type Family } from './eval-set';

/**
 * Bump when the rendering changes without the clip scripts changing (invalidates cached videos and
 * the detections recorded on them). 2: people matted by the selfie segmentation, not the prior.
 */
const RENDER_VERSION = 2;
/** Detections are recorded down to this score; the pipeline then applies its own threshold. */
export const RECORD_SCORE = 0.1;
/** ...and with this loose NMS; the agent's own `nmsIou` is applied on top (greedy NMS composes). */
export const RECORD_NMS = 0.8;

/** The detector that records a clip's answers: one thread, down to RECORD_SCORE and RECORD_NMS. */
export function createRecordingDetector(
  model: PersonDetectorOptions['model'],
  det: DetectorSettings,
): Promise<PersonDetector> {
  return createPersonDetector({
    model,
    scoreThreshold: Math.min(RECORD_SCORE, det.scoreThreshold),
    iouThreshold: Math.max(RECORD_NMS, det.nmsIou),
    threads: 1,
    poolSize: 1,
  });
}

export interface DetectorSettings {
  scoreThreshold: number;
  nmsIou: number;
}

type Det = { box: Detection['box']; score: number };

/** What the agent's detector would have returned: score floor, then greedy NMS, best first. */
function applyDetector(dets: readonly Det[], s: DetectorSettings): Det[] {
  const kept: Det[] = [];
  for (const d of [...dets].sort((a, b) => b.score - a.score)) {
    if (d.score < s.scoreThreshold) continue;
    if (kept.some((k) => boxIou(k.box, d.box) > s.nmsIou)) continue;
    kept.push(d);
  }
  return kept;
}

export interface RecordedFrame {
  index: number;
  at: number;
  session: number;
  dets: Array<{ box: Detection['box']; score: number }>;
}

export interface EvalResult {
  name: string;
  family: Family;
  split: EvalClip['split'];
  expected: { in: number; out: number };
  got: { in: number; out: number };
  frames: number;
  seconds: number;
}

function clipKey(clip: EvalClip): string {
  return createHash('sha1')
    .update(`${RENDER_VERSION}:${JSON.stringify(clip)}`)
    .digest('hex')
    .slice(0, 12);
}

/** The clip's video in `dir`, rendered and encoded unless a file for exactly this clip is there. */
export async function ensureClipVideo(dir: string, clip: EvalClip, people: readonly MattedPerson[]): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${clip.name}-${clipKey(clip)}.mp4`);
  if (!existsSync(path)) await writeEvalClip(path, clip, people);
  return path;
}

function evalCamera(clip: EvalClip, overrides: Partial<CameraConfigInput> = {}) {
  return cameraConfigSchema.parse({
    id: clip.name.slice(0, 32),
    input: 'eval.mp4',
    fps: clip.fps,
    line: clip.line,
    ...overrides,
  });
}

/**
 * One clip through the real pipeline. `detector` must run at RECORD_SCORE / RECORD_NMS; the
 * pipeline gets what the agent's detector settings (`det`) leave of its answers.
 */
export async function runEvalClip(
  detector: PersonDetector,
  clip: EvalClip,
  path: string,
  det: DetectorSettings,
  overrides: Partial<CameraConfigInput> = {},
): Promise<{ result: EvalResult; recording: RecordedFrame[] }> {
  const recording: RecordedFrame[] = [];
  const recorder = {
    detect: async (f: RgbFrame) => {
      const v = f as VideoFrame;
      const dets = await detector.detect(f);
      recording.push({
        index: v.index,
        at: v.at,
        session: v.session,
        dets: dets.filter((d) => d.score >= RECORD_SCORE).map((d) => ({ box: d.box, score: d.score })),
      });
      return applyDetector(dets, det).map((d) => ({ ...d, classId: 0, label: 'person' }));
    },
  } as unknown as PersonDetector;
  const pipeline = new CameraPipeline(evalCamera(clip, overrides), recorder);
  const source = new FrameSource({ input: path, rules: { files: 'anywhere' }, fps: clip.fps, startAt: 0 });
  const t0 = performance.now();
  let last = 0;
  for await (const f of source.frames()) {
    last = f.at;
    await pipeline.processFrame(f);
  }
  pipeline.finish(last);
  return {
    result: {
      name: clip.name,
      family: clip.family,
      split: clip.split,
      expected: clip.expected,
      got: pipeline.totals(),
      frames: pipeline.stats.frames,
      seconds: (performance.now() - t0) / 1000,
    },
    recording,
  };
}

/**
 * Replays recorded detections through a fresh pipeline (tracker + counter with the given camera
 * settings). Frames the motion gate skipped were never recorded and are skipped here too.
 */
export async function replayEvalClip(
  clip: EvalClip,
  recording: readonly RecordedFrame[],
  det: DetectorSettings,
  overrides: Partial<CameraConfigInput> = {},
  onFrame?: (p: CameraPipeline, f: RecordedFrame) => void,
): Promise<EvalResult> {
  let i = 0;
  const replay = {
    detect: async () => applyDetector(recording[i - 1]!.dets, det).map((d) => ({ ...d, classId: 0, label: 'person' })),
  } as unknown as PersonDetector;
  const pipeline = new CameraPipeline(evalCamera(clip, { ...overrides, motionGate: false }), replay);
  const empty = new Uint8Array(0);
  for (const r of recording) {
    i++;
    await pipeline.processFrame({
      data: empty,
      width: clip.width,
      height: clip.height,
      index: r.index,
      at: r.at,
      session: r.session,
    });
    onFrame?.(pipeline, r);
  }
  pipeline.finish(recording.at(-1)?.at ?? 0);
  return {
    name: clip.name,
    family: clip.family,
    split: clip.split,
    expected: clip.expected,
    got: pipeline.totals(),
    frames: recording.length,
    seconds: 0,
  };
}

export function saveRecording(dir: string, clip: EvalClip, recording: readonly RecordedFrame[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${clip.name}.json`), JSON.stringify({ key: clipKey(clip), recording }));
}

/** A recording made for exactly this clip, or null. */
export function loadRecording(dir: string, clip: EvalClip): RecordedFrame[] | null {
  const path = join(dir, `${clip.name}.json`);
  if (!existsSync(path)) return null;
  const j = JSON.parse(readFileSync(path, 'utf8')) as { key: string; recording: RecordedFrame[] };
  return j.key === clipKey(clip) ? j.recording : null;
}

export interface Score {
  clips: number;
  truth: number;
  misses: number;
  falseCounts: number;
  accuracy: number;
}

/** Misses = true crossings not counted; false counts = counts with no crossing; per direction. */
export function score(results: readonly EvalResult[]): Score {
  let truth = 0;
  let misses = 0;
  let falseCounts = 0;
  for (const r of results) {
    truth += r.expected.in + r.expected.out;
    for (const k of ['in', 'out'] as const) {
      misses += Math.max(0, r.expected[k] - r.got[k]);
      falseCounts += Math.max(0, r.got[k] - r.expected[k]);
    }
  }
  const accuracy = truth === 0 ? (misses + falseCounts === 0 ? 1 : 0) : Math.max(0, 1 - (misses + falseCounts) / truth);
  return { clips: results.length, truth, misses, falseCounts, accuracy };
}

export function scoreByFamily(results: readonly EvalResult[]): Record<string, Score> {
  const fams = [...new Set(results.map((r) => r.family))];
  return Object.fromEntries(fams.map((f) => [f, score(results.filter((r) => r.family === f))]));
}
