// One camera's counting pipeline: frame → motion gate → crop to the door → person detector →
// tracker → line counter / zones. Pure of I/O except the detector call; the service and the
// CLI feed it frames and take its crossing events.
import type { Logger } from 'pino';
import { cropFrame, type Box, type Detection, type PersonDetector } from '../../models';
import { ByteTracker } from '../tracking';
import { LineCounter, Zone, type CrossingEvent, type DwellRecord } from '../counting';
import { MotionGate, type VideoFrame } from '../ingest';
import type { CameraConfig } from './camera-config';

export interface PipelineStats {
  frames: number;
  detected: number;
  skippedNoMotion: number;
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

export class CameraPipeline {
  readonly tracker: ByteTracker;
  readonly counter: LineCounter;
  readonly zones: Zone[];
  private readonly gate: MotionGate | null;
  readonly stats: PipelineStats = {
    frames: 0,
    detected: 0,
    skippedNoMotion: 0,
    badFrames: 0,
    inferenceMsTotal: 0,
    inferenceMsLast: 0,
    tracks: 0,
  };

  constructor(
    readonly config: CameraConfig,
    private readonly detector: PersonDetector,
    private readonly log?: Logger,
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

  async processFrame(frame: VideoFrame): Promise<FrameResult> {
    this.stats.frames++;
    const empty: FrameResult = { crossings: [], dwells: [], zoneAlerts: [] };
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
    empty.dwells = carried;
    const motion = this.gate ? this.gate.hasMotion(frame) : true;
    if (!motion && this.tracker.size === 0) {
      this.stats.skippedNoMotion++;
      return empty;
    }
    let dets: Detection[];
    try {
      const t0 = performance.now();
      dets = await this.detect(frame);
      const ms = performance.now() - t0;
      this.stats.inferenceMsLast = ms;
      this.stats.inferenceMsTotal += ms;
      this.stats.detected++;
    } catch (e) {
      // A frame the detector refuses (wrong size, corrupt) is skipped; the stream goes on.
      this.stats.badFrames++;
      this.log?.warn({ camera: this.config.id, frame: frame.index, err: (e as Error).message }, 'frame skipped');
      return empty;
    }
    const tracks = this.tracker.update(dets.map((d) => ({ box: d.box, score: d.score })));
    const removed = this.tracker.removed;
    this.stats.tracks = tracks.filter((t) => t.state !== 'tentative').length;
    const crossings = this.counter.update(tracks, frame.at, removed);
    const dwells: DwellRecord[] = [...carried];
    const zoneAlerts: FrameResult['zoneAlerts'] = [];
    for (const z of this.zones) {
      const r = z.update(tracks, frame.at, removed);
      dwells.push(...r.dwells);
      if (r.alert) zoneAlerts.push({ zone: z.name, alert: r.alert });
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
