// Store occupancy from door counts (never below zero, reset each night at a set local time) and
// threshold alerts with hysteresis so a count hovering at the limit does not flap.

export interface HysteresisAlarmOptions {
  /** Raise at or above this. */
  high: number;
  /** Clear at or below this (must be below `high`). */
  low: number;
}

export class HysteresisAlarm {
  active = false;
  constructor(private readonly o: HysteresisAlarmOptions) {
    if (!(o.low < o.high)) throw new Error(`alert low (${o.low}) must be below high (${o.high})`);
  }

  /** Returns 'raised' / 'cleared' on a change, null otherwise. */
  update(value: number): 'raised' | 'cleared' | null {
    if (!this.active && value >= this.o.high) {
      this.active = true;
      return 'raised';
    }
    if (this.active && value <= this.o.low) {
      this.active = false;
      return 'cleared';
    }
    return null;
  }
}

export interface OccupancyOptions {
  /** Local time of the nightly reset, "HH:MM". Default "04:00". */
  resetAt?: string;
  /** Store time zone offset from UTC in minutes (China: 480). Default 480. */
  utcOffsetMinutes?: number;
  alert?: HysteresisAlarmOptions;
}

export class Occupancy {
  value = 0;
  max = 0;
  private lastResetKey: string | null = null;
  private readonly resetMinutes: number;
  private readonly offset: number;
  readonly alarm: HysteresisAlarm | null;

  constructor(opts: OccupancyOptions = {}) {
    const m = /^(\d{1,2}):(\d{2})$/.exec(opts.resetAt ?? '04:00');
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59)
      throw new Error(`occupancy resetAt must be HH:MM (got "${opts.resetAt}")`);
    this.resetMinutes = Number(m[1]) * 60 + Number(m[2]);
    this.offset = opts.utcOffsetMinutes ?? 480;
    this.alarm = opts.alert ? new HysteresisAlarm(opts.alert) : null;
  }

  /** Which "business day" a time belongs to: the day changes at the reset time, local. */
  private dayKey(at: number): string {
    return new Date(at + (this.offset - this.resetMinutes) * 60_000).toISOString().slice(0, 10);
  }

  /** Apply net entries (+) / exits (-) at time `at` (ms since epoch). */
  apply(delta: number, at: number): 'raised' | 'cleared' | null {
    this.tick(at);
    this.value = Math.max(0, this.value + delta);
    this.max = Math.max(this.max, this.value);
    return this.alarm ? this.alarm.update(this.value) : null;
  }

  /** Resets to zero when the business day changed. */
  tick(at: number): void {
    const key = this.dayKey(at);
    if (this.lastResetKey !== null && key !== this.lastResetKey) {
      this.value = 0;
      this.max = 0;
      this.alarm?.update(0);
    }
    this.lastResetKey = key;
  }

  /** Highest occupancy since the last call (for interval facts), then restart from now. */
  takeMax(): number {
    const m = this.max;
    this.max = this.value;
    return m;
  }
}
