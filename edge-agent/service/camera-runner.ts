// Runs one configured camera in the service: a live FrameSource (reconnecting) into the counting
// pipeline, whose detector calls go through this camera's lane of the agent's shared scheduler
// (fair round-robin between cameras; a live camera that is behind loses its oldest waiting
// frame), events into the recorder. Never throws out: every failure becomes state visible in
// /health and /metrics.
import type { Logger } from 'pino';
import type { Box, PersonDetector } from '../../models';
import {
  FrameSource,
  redactCredentials,
  sourceKind,
  type CameraInputRules,
  type SourceStatus,
  type VideoFrame,
} from '../ingest';
import {
  CameraPipeline,
  type CameraConfig,
  type DetectorScheduler,
  type FrameResult,
  type LaneStatus,
  type PipelineStats,
  type SchedulerLane,
} from '../pipeline';
import type { FootfallRecorder } from '../footfall';
import type { DebugSnapshots } from '../privacy';

export interface CameraStatus {
  id: string;
  input: string;
  source: SourceStatus;
  pipeline: PipelineStats;
  /** The camera's share of the detector: queue, drops, latency, detector fps. */
  detector: LaneStatus;
  /** Frames processed per second, last 10 s (detected + skipped as static; dropped ones are not processed). */
  fps: number;
  /** Frames lost per camera: dropped by the scheduler (behind) + by the source (consumer busy). */
  dropped: number;
  inferenceMs: number;
  totals: { in: number; out: number };
  /** Wall time of the newest processed frame (ISO), null before the first. */
  lastFrameAt: string | null;
}

export class CameraRunner {
  readonly pipeline: CameraPipeline;
  private readonly source: FrameSource;
  private running: Promise<void> | null = null;
  private readonly recent: number[] = [];
  private lastFrameAt: number | null = null;
  /** The newest frame and its person boxes, kept only while the camera page watches (see watch()). */
  private latest: { frame: VideoFrame; people: Box[] } | null = null;
  private watchedUntil = 0;
  private readonly lane: SchedulerLane;
  private readonly drops: boolean;

  constructor(
    readonly config: CameraConfig,
    detector: PersonDetector,
    /** The agent's one detector scheduler, shared by every camera. */
    private readonly scheduler: DetectorScheduler,
    private readonly recorder: FootfallRecorder,
    private readonly log: Logger,
    /** Which inputs this box opens (the media folder for files); FrameSource checks at every launch. */
    rules: CameraInputRules,
    /** Debug snapshots (off unless a technician switched them on); offered every processed frame. */
    private readonly snapshots: DebugSnapshots | null = null,
  ) {
    // live sources keep up with the camera (oldest waiting frame dropped); a file replay waits
    this.drops = sourceKind(config.input) !== 'file' || config.realtime;
    this.lane = scheduler.lane(config.id, { drop: this.drops });
    this.pipeline = new CameraPipeline(config, detector, log, this.lane);
    this.source = new FrameSource({
      input: config.input,
      rules,
      fps: config.fps,
      width: config.width,
      rtspListen: config.rtspListen,
      // live sources reconnect and keep the newest frame; a file (demo, replay) ends
      realtimeFile: config.realtime,
      dropWhenBusy: this.drops,
      log,
    });
  }

  start(): void {
    this.running = this.loop();
  }

  private async loop(): Promise<void> {
    // Frames handed to the pipeline and not finished; beyond this the loop waits (memory bound:
    // the lane queue drops frames, but static frames behind a running detection wait in order).
    const backlog = 2 * (this.scheduler.queuePerCamera + this.scheduler.workers) + 4;
    try {
      for await (const frame of this.source.frames()) {
        const done = this.pipeline.processFrame(frame).then((r) => this.handle(frame, r));
        if (!this.drops || this.pipeline.pending >= backlog) await done;
      }
      await this.pipeline.idle();
    } catch (e) {
      this.log.error({ camera: this.config.id, err: (e as Error).message }, 'camera stopped');
    }
  }

  private async handle(frame: VideoFrame, r: FrameResult): Promise<void> {
    const now = performance.now();
    this.recent.push(now);
    this.lastFrameAt = Date.now();
    // Counting never keeps a frame; the camera page's live view asks for one (watch()), and
    // then only the newest is held in memory, for 30 s after the page last asked.
    if (Date.now() < this.watchedUntil) this.latest = { frame, people: r.people ?? this.latest?.people ?? [] };
    else this.latest = null;
    while (this.recent.length && this.recent[0]! < now - 10_000) this.recent.shift();
    for (const c of r.crossings) this.recorder.onCrossing(this.config.id, c);
    for (const d of r.dwells) this.recorder.onDwell(this.config.id, d);
    for (const a of r.zoneAlerts)
      this.log.warn({ camera: this.config.id, zone: a.zone, alert: a.alert }, 'zone occupancy alert');
    if (this.snapshots?.enabled) {
      await this.snapshots
        .offer(this.config.id, frame, r.people ?? [])
        .catch((e: unknown) =>
          this.log.warn({ camera: this.config.id, err: (e as Error).message }, 'debug snapshot not saved'),
        );
    }
  }

  async stop(): Promise<void> {
    this.source.stop();
    this.scheduler.remove(this.lane);
    await this.running;
    await this.pipeline.idle();
    this.pipeline.finish(Date.now());
  }

  /** The camera page is looking: keep the newest frame for 30 s (returns it, or null before the first one). */
  watch(): { frame: VideoFrame; people: Box[] } | null {
    this.watchedUntil = Date.now() + 30_000;
    return this.latest;
  }

  /** Whether the camera page looked at this camera in the last 30 s (/health shows it). */
  get watched(): boolean {
    return Date.now() < this.watchedUntil;
  }

  status(): CameraStatus {
    const now = performance.now();
    const window = this.recent.filter((t) => t >= now - 10_000);
    const span = window.length > 1 ? (window[window.length - 1]! - window[0]!) / 1000 : 0;
    const source = this.source.status();
    return {
      id: this.config.id,
      input: redactCredentials(this.config.input),
      source,
      pipeline: { ...this.pipeline.stats },
      detector: this.lane.status(),
      fps: span > 0 ? Math.round(((window.length - 1) / span) * 100) / 100 : 0,
      dropped: source.dropped + this.pipeline.stats.dropped,
      inferenceMs: Math.round(this.pipeline.stats.inferenceMsLast),
      totals: this.pipeline.totals(),
      lastFrameAt: this.lastFrameAt === null ? null : new Date(this.lastFrameAt).toISOString(),
    };
  }
}
