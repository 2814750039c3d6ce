// One detector pool for every camera of the agent, shared fairly. Each camera has a lane with a
// small bounded queue; when a worker is free the scheduler takes the oldest frame of the next lane
// in round-robin order, so a busy door cannot starve a quiet one. A live camera that is behind
// loses its OLDEST queued frame (the tracker wants the newest picture), counted per camera.
// Jobs in flight never exceed the pool's workers, so the pool's own queue stays empty and the
// time measured here is the detector's real latency.
//
// Batching several cameras' frames into one inference was measured (docs/footfall.md, "Several
// cameras"): on onnxruntime-node CPU with the converted CenterNet-384 it saves no CPU per frame
// and adds waiting, so each job is one frame and the parallelism comes from the pool's workers.

export type Scheduled<T> =
  { kind: 'done'; value: T; waitMs: number; runMs: number } | { kind: 'dropped' } | { kind: 'failed'; error: Error };

export interface LaneStatus {
  id: string;
  /** Jobs handed to the lane since it was created. */
  submitted: number;
  /** Jobs the detector finished (ok or failed). */
  completed: number;
  /** Oldest queued jobs given up because the lane was full (the detector was behind). */
  dropped: number;
  queued: number;
  inFlight: number;
  /** Detector time per frame, ms: last and a moving average (α = 0.2). */
  runMsLast: number;
  runMsAvg: number;
  /** Time a frame waited in the lane for a free worker, ms, moving average. */
  waitMsAvg: number;
  /** Frames through the detector per second over the last 10 s. */
  fps: number;
}

export interface SchedulerStatus {
  workers: number;
  queuePerCamera: number;
  inFlight: number;
  queued: number;
  /** Frames through the detector per second, all cameras, last 10 s. */
  fps: number;
  dropped: number;
  lanes: LaneStatus[];
}

export interface DetectorSchedulerOptions {
  /** Jobs at once: the detector pool's workers. */
  workers: number;
  /** Frames a camera may have waiting (not counting those running). Default 2. */
  queuePerCamera?: number;
  /** Moving-window length for fps, ms. Default 10 s. */
  windowMs?: number;
}

interface Job<T> {
  task: () => Promise<T>;
  queuedAt: number;
  resolve: (r: Scheduled<T>) => void;
}

const ALPHA = 0.2;

export class SchedulerLane {
  readonly queue: Job<unknown>[] = [];
  inFlight = 0;
  submitted = 0;
  completed = 0;
  dropped = 0;
  runMsLast = 0;
  runMsAvg = 0;
  waitMsAvg = 0;
  readonly done: number[] = [];
  closed = false;

  constructor(
    readonly id: string,
    private readonly owner: DetectorScheduler,
    /** Live cameras drop; file replays and the CLI wait (the caller awaits each frame). */
    readonly drop: boolean,
  ) {}

  /** Queues one detector job; never rejects (a failure comes back as `failed`). */
  submit<T>(task: () => Promise<T>): Promise<Scheduled<T>> {
    return new Promise<Scheduled<T>>((resolve) => {
      if (this.closed) {
        resolve({ kind: 'dropped' });
        return;
      }
      this.submitted++;
      this.queue.push({ task, queuedAt: performance.now(), resolve } as Job<unknown>);
      if (this.drop) {
        while (this.queue.length > this.owner.queuePerCamera) {
          this.dropped++;
          this.queue.shift()!.resolve({ kind: 'dropped' });
        }
      }
      this.owner.pump();
    });
  }

  /** Drops what is queued (camera stopped); jobs in flight finish. */
  close(): void {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.resolve({ kind: 'dropped' });
  }

  status(now = performance.now()): LaneStatus {
    const since = now - this.owner.windowMs;
    while (this.done.length && this.done[0]! < since) this.done.shift();
    const span = this.done.length > 1 ? (this.done[this.done.length - 1]! - this.done[0]!) / 1000 : 0;
    return {
      id: this.id,
      submitted: this.submitted,
      completed: this.completed,
      dropped: this.dropped,
      queued: this.queue.length,
      inFlight: this.inFlight,
      runMsLast: round1(this.runMsLast),
      runMsAvg: round1(this.runMsAvg),
      waitMsAvg: round1(this.waitMsAvg),
      fps: span > 0 ? Math.round(((this.done.length - 1) / span) * 100) / 100 : 0,
    };
  }
}

export class DetectorScheduler {
  readonly workers: number;
  readonly queuePerCamera: number;
  readonly windowMs: number;
  private lanes: SchedulerLane[] = [];
  private cursor = -1;
  private inFlight = 0;
  /** Which lane each job came from, in start order (kept short; tests read it to check fairness). */
  readonly startLog: string[] = [];

  constructor(o: DetectorSchedulerOptions) {
    this.workers = Math.max(1, Math.floor(o.workers));
    this.queuePerCamera = Math.max(1, Math.floor(o.queuePerCamera ?? 2));
    this.windowMs = o.windowMs ?? 10_000;
  }

  /** A camera's lane (a new one replaces a closed lane of the same id). */
  lane(id: string, opts: { drop?: boolean } = {}): SchedulerLane {
    const lane = new SchedulerLane(id, this, opts.drop ?? true);
    this.lanes = [...this.lanes.filter((l) => !(l.id === id || (l.closed && l.inFlight === 0))), lane];
    return lane;
  }

  /** Stops a lane: queued frames are dropped, the lane leaves the rotation once idle. */
  remove(lane: SchedulerLane): void {
    lane.close();
    if (lane.inFlight === 0) this.lanes = this.lanes.filter((l) => l !== lane);
  }

  pump(): void {
    while (this.inFlight < this.workers) {
      const lane = this.nextLane();
      if (!lane) return;
      const job = lane.queue.shift()!;
      this.start(lane, job);
    }
  }

  /** Round-robin: the first lane after the last one served that has a frame waiting. */
  private nextLane(): SchedulerLane | null {
    const n = this.lanes.length;
    for (let k = 1; k <= n; k++) {
      const i = (this.cursor + k) % n;
      const lane = this.lanes[i]!;
      if (lane.queue.length > 0) {
        this.cursor = i;
        return lane;
      }
    }
    return null;
  }

  private start(lane: SchedulerLane, job: Job<unknown>): void {
    this.inFlight++;
    lane.inFlight++;
    this.startLog.push(lane.id);
    if (this.startLog.length > 256) this.startLog.splice(0, 128);
    const t0 = performance.now();
    const waitMs = t0 - job.queuedAt;
    const settle = (r: Scheduled<unknown>) => {
      const t1 = performance.now();
      this.inFlight--;
      lane.inFlight--;
      lane.completed++;
      lane.runMsLast = t1 - t0;
      lane.runMsAvg = lane.completed === 1 ? lane.runMsLast : lane.runMsAvg + ALPHA * (lane.runMsLast - lane.runMsAvg);
      lane.waitMsAvg = lane.completed === 1 ? waitMs : lane.waitMsAvg + ALPHA * (waitMs - lane.waitMsAvg);
      lane.done.push(t1);
      if (lane.done.length > 4096) lane.done.splice(0, 2048);
      if (lane.closed && lane.inFlight === 0) this.lanes = this.lanes.filter((l) => l !== lane);
      job.resolve(r.kind === 'done' ? { ...r, runMs: t1 - t0 } : r);
      this.pump();
    };
    let p: Promise<unknown>;
    try {
      p = job.task();
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      (value) => settle({ kind: 'done', value, waitMs, runMs: 0 }),
      (e: unknown) => settle({ kind: 'failed', error: e instanceof Error ? e : new Error(String(e)) }),
    );
  }

  status(): SchedulerStatus {
    const now = performance.now();
    const lanes = this.lanes.filter((l) => !l.closed).map((l) => l.status(now));
    return {
      workers: this.workers,
      queuePerCamera: this.queuePerCamera,
      inFlight: this.inFlight,
      queued: lanes.reduce((a, l) => a + l.queued, 0),
      fps: round1(lanes.reduce((a, l) => a + l.fps, 0)),
      dropped: lanes.reduce((a, l) => a + l.dropped, 0),
      lanes,
    };
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
