// Takes crossing events from every camera: keeps the store occupancy (nightly reset, alert with
// hysteresis), writes events and interval facts to the agent's SQLite and, when the sync hub
// runs, publishes each camera's 15-minute intervals as sync `ff` ops (LWW per camera+start, so
// re-publishing a grown interval is safe). 1-hour intervals stay local: sync keys intervals by
// start only, and an hour and its first quarter share a start.
import type { Logger } from 'pino';
import type { CrossingEvent, DwellRecord } from '../counting';
import { Occupancy } from '../counting';
import type { AgentStore } from './agent-store';
import { intervalStart } from './intervals';

export interface FootfallPublisher {
  publish(intervals: Array<{ camera: string; start: string; end: string; in: number; out: number }>): void;
}

export interface FootfallRecorderOptions {
  store: AgentStore;
  occupancy: Occupancy;
  publisher?: FootfallPublisher | null;
  log?: Logger;
}

export class FootfallRecorder {
  private readonly dirty = new Map<string, { camera: string; start: number }>();
  readonly crossings = new Map<string, { in: number; out: number }>();
  alerts = 0;

  constructor(private readonly o: FootfallRecorderOptions) {}

  get occupancy(): number {
    return this.o.occupancy.value;
  }

  onCrossing(camera: string, e: CrossingEvent): void {
    const delta = e.direction === 'in' ? 1 : -1;
    const alert = this.o.occupancy.apply(delta, e.at);
    if (alert) {
      this.alerts++;
      this.o.log?.warn(
        { occupancy: this.o.occupancy.value, alert },
        alert === 'raised' ? 'store occupancy above limit' : 'store occupancy back below limit',
      );
    }
    const c = this.crossings.get(camera) ?? { in: 0, out: 0 };
    // metrics count net: a cancelling crossing takes the earlier one back
    if (e.cancels) {
      if (e.direction === 'in') c.out = Math.max(0, c.out - 1);
      else c.in = Math.max(0, c.in - 1);
    } else c[e.direction]++;
    this.crossings.set(camera, c);
    const touched = this.o.store.recordCrossing(camera, e, this.o.occupancy.value);
    for (const t of touched) if (t.period === '15m') this.dirty.set(`${camera}|${t.start}`, { camera, start: t.start });
  }

  /** Counts supplied from outside (PUT /footfall): stored like the cameras' and published on the next flush. */
  putQuarters(camera: string, rows: Array<{ start: number; in: number; out: number }>): void {
    this.o.store.putQuarters(camera, rows);
    for (const r of rows) this.dirty.set(`${camera}|${r.start}`, { camera, start: r.start });
  }

  onDwell(camera: string, d: DwellRecord): void {
    this.o.store.recordDwell(camera, d);
  }

  /** Publishes intervals changed since the last flush; returns how many. */
  flush(): number {
    if (!this.o.publisher || this.dirty.size === 0) {
      this.dirty.clear();
      return 0;
    }
    const rows = [...this.dirty.values()].flatMap(({ camera, start }) => {
      const r = this.o.store.interval(camera, '15m', start);
      return r ? [{ camera, start: r.start, end: r.end, in: r.in, out: r.out }] : [];
    });
    this.dirty.clear();
    try {
      this.o.publisher.publish(rows);
    } catch (e) {
      this.o.log?.error({ err: (e as Error).message }, 'could not publish footfall intervals to the sync hub');
    }
    return rows.length;
  }

  /** Current interval's occupancy max is kept even in quiet periods. */
  tick(cameras: string[], now: number): void {
    this.o.occupancy.tick(now);
    for (const camera of cameras)
      for (const period of ['15m', '1h'] as const)
        this.o.store.noteOccupancy(camera, period, intervalStart(now, period), this.o.occupancy.value);
  }
}
