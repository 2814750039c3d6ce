// One camera's counting pipeline: frame → motion gate → crop to the door → person detector
// (through the camera's lane of the agent's shared scheduler) → tracker → line counter / zones.
// Pure of I/O except the detector call; the service and the CLI feed it frames and take its
// crossing events.
import type { Logger } from 'pino';
import { cropFrame, type Box, type Detection, type PersonDetector } from '../../models';
import { ByteTracker } from '../tracking';
import { LineCounter, Zone, type CrossingEvent, type DwellRecord } from '../counting';
import { MotionGate, type VideoFrame } from '../ingest';
import type { CameraConfig } from './camera-config';
import type { SchedulerLane } from './detector-scheduler';

export interface PipelineStats {
  frames: number;
  detected: number;
  skippedNoMotion: number;
  /** Frames the shared detector scheduler gave up on because this camera was behind. */
  dropped: number;
  badFrames: number;
  inferenceMsTotal: number;
  inferenceMsLast: number;
  tracks: number;
}

export interface FrameResult {
  crossings: CrossingEvent[];
  dwells: DwellRecord[];
  zoneAlerts: Array<{ zone: string; alert: 'raised' | 'cleared' }>;
  /** Person boxes detected in this frame (empty when the frame was skipped). */
  people?: Box[];
}

/**
 * While people are tracked, a frame that did not change since the detector last ran is skipped
 * at most this many times in a row (the tracks keep their state, nothing ages them); then the
 * detector looks again. With nobody tracked, static frames are skipped without limit.
 */
export const MAX_STATIC_SKIPS = 4;

type Detected =
  { kind: 'done'; value: Detection[]; runMs: number } | { kind: 'dropped' } | { kind: 'failed'; error: Error };

export class CameraPipeline {
  readonly tracker: ByteTracker;
  readonly counter: LineCounter;
  readonly zones: Zone[];
  private readonly gate: MotionGate | null;
  readonly stats: PipelineStats = {
    frames: 0,
    detected: 0,
    skippedNoMotion: 0,
    dropped: 0,
    badFrames: 0,
    inferenceMsTotal: 0,
    inferenceMsLast: 0,
    tracks: 0,
  };
  /** Frames handed in whose result is not out yet (queued, detecting, or waiting for an earlier one). */
  private pendingFrames = 0;
  private staticSkips = 0;
  /** Results are applied strictly in frame order, whatever order the detector finishes in. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly config: CameraConfig,
    private readonly detector: PersonDetector,
    private readonly log?: Logger,
    /** This camera's lane of the agent's shared detector scheduler; without one, frames go straight to the detector. */
    private readonly lane?: SchedulerLane,
  ) {
    this.tracker = new ByteTracker(config.tracker);
    this.counter = new LineCounter({
      line: config.line,
      anchor: config.anchor,
      deadBand: config.deadBand,
      confirmFrames: config.confirmFrames,
    });
    this.zones = config.zones.map((z) => new Zone({ ...z, anchor: config.anchor }));
    this.gate = config.motionGate ? new MotionGate() : null;
  }

  private lastSession: number | null = null;
  private lastAt: number | null = null;

  /** Frames handed in and not finished. */
  get pending(): number {
    return this.pendingFrames;
  }

  /**
   * Hands a frame in. The motion gate decides at once (in arrival order) whether the detector
   * runs; detection goes through the camera's scheduler lane; tracking and counting happen in
   * frame order. A caller may hand in the next frame before this one's result is out (the
   * service does, for live cameras) or await each (CLI, file replays).
   */
  processFrame(frame: VideoFrame): Promise<FrameResult> {
    this.stats.frames++;
    const motion = this.gate ? this.gate.changedSinceReference(frame) : true;
    const tracking = this.tracker.size > 0 || this.pendingFrames > 0;
    let detection: Promise<Detected> | null = null;
    if (motion || (tracking && this.staticSkips >= MAX_STATIC_SKIPS)) {
      this.staticSkips = 0;
      this.gate?.accept();
      detection = this.runDetector(frame);
    } else if (tracking) this.staticSkips++;
    this.pendingFrames++;
    const step = this.chain
      .then(() => this.apply(frame, detection))
      .finally(() => {
        this.pendingFrames--;
      });
    this.chain = step.catch(() => undefined);
    return step;
  }

  /** Resolves once every frame handed in so far has its result. */
  async idle(): Promise<void> {
    await this.chain;
  }

  private runDetector(frame: VideoFrame): Promise<Detected> {
    if (this.lane) return this.lane.submit(() => this.detect(frame));
    const t0 = performance.now();
    return this.detect(frame).then(
      (value): Detected => ({ kind: 'done', value, runMs: performance.now() - t0 }),
      (e: unknown): Detected => ({ kind: 'failed', error: e instanceof Error ? e : new Error(String(e)) }),
    );
  }

  private async apply(frame: VideoFrame, detection: Promise<Detected> | null): Promise<FrameResult> {
    // After a reconnect or a long gap the people on screen are not the ones we were tracking:
    // end every track (keeping its counted crossings) instead of matching strangers to it.
    const gapMs = Math.max(2000, ((this.config.tracker.maxLost ?? 15) * 1000) / this.config.fps);
    const carried: DwellRecord[] = [];
    if (
      (this.lastSession !== null && frame.session !== this.lastSession) ||
      (this.lastAt !== null && frame.at - this.lastAt > gapMs)
    ) {
      carried.push(...this.finish(this.lastAt ?? frame.at));
    }
    this.lastSession = frame.session;
    this.lastAt = frame.at;
    const empty: FrameResult = { crossings: [], dwells: carried, zoneAlerts: [] };
    if (!detection) {
      // Nothing moved: the tracks stay as they are (no update, so nothing ages them).
      this.stats.skippedNoMotion++;
      return empty;
    }
    const r = await detection;
    if (r.kind === 'dropped') {
      this.stats.dropped++;
      return empty;
    }
    if (r.kind === 'failed') {
      // A frame the detector refuses (wrong size, corrupt) is skipped; the stream goes on.
      this.stats.badFrames++;
      this.log?.warn({ camera: this.config.id, frame: frame.index, err: r.error.message }, 'frame skipped');
      return empty;
    }
    const dets = r.value;
    this.stats.inferenceMsLast = r.runMs;
    this.stats.inferenceMsTotal += r.runMs;
    this.stats.detected++;
    const tracks = this.tracker.update(dets.map((d) => ({ box: d.box, score: d.score })));
    const removed = this.tracker.removed;
    this.stats.tracks = tracks.filter((t) => t.state !== 'tentative').length;
    const crossings = this.counter.update(tracks, frame.at, removed);
    const dwells: DwellRecord[] = [...carried];
    const zoneAlerts: FrameResult['zoneAlerts'] = [];
    for (const z of this.zones) {
      const zr = z.update(tracks, frame.at, removed);
      dwells.push(...zr.dwells);
      if (zr.alert) zoneAlerts.push({ zone: z.name, alert: zr.alert });
    }
    return { crossings, dwells, zoneAlerts, people: dets.map((d) => d.box) };
  }

  private async detect(frame: VideoFrame): Promise<Detection[]> {
    const roi = this.config.roi;
    if (!roi) return this.detector.detect(frame);
    const x = Math.min(roi.x, frame.width - 1);
    const y = Math.min(roi.y, frame.height - 1);
    const box = { x, y, width: Math.min(roi.width, frame.width - x), height: Math.min(roi.height, frame.height - y) };
    const crop = await cropFrame(frame, box);
    return (await this.detector.detect(crop)).map((d) => ({
      ...d,
      box: { ...d.box, x: d.box.x + box.x, y: d.box.y + box.y },
    }));
  }

  /** End of stream: every track ends, its net crossing stays counted. */
  finish(at: number): DwellRecord[] {
    const ids = this.tracker.flush();
    for (const id of ids) this.counter.finish(id);
    return this.zones.flatMap((z) => z.update([], at, ids).dwells);
  }

  totals(): { in: number; out: number } {
    return this.counter.totals();
  }
}
