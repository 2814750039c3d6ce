// Hybrid logical clock. A stamp is a fixed-width string that sorts in causal-then-node order:
// 9 base-36 chars of wall-clock ms, 3 base-36 chars of counter, then the node id. The stamp is
// unique per op, so it doubles as the op id. Far-future stamps from other replicas are refused
// (never folded into our clock) so one bad clock cannot drag every replica into the future.

export const NODE_ID_PATTERN = /^[A-Za-z0-9_]{1,24}$/;
const WALL_WIDTH = 9;
const COUNTER_WIDTH = 3;
const COUNTER_MAX = 36 ** COUNTER_WIDTH - 1;
export const STAMP_PATTERN = /^[0-9a-z]{12}[A-Za-z0-9_]{1,24}$/;

export interface Stamp {
  wall: number;
  counter: number;
  node: string;
}

export function formatStamp(s: Stamp): string {
  return s.wall.toString(36).padStart(WALL_WIDTH, '0') + s.counter.toString(36).padStart(COUNTER_WIDTH, '0') + s.node;
}

export function parseStamp(text: string): Stamp {
  if (!STAMP_PATTERN.test(text)) throw new Error(`malformed HLC stamp: ${text.slice(0, 40)}`);
  return {
    wall: parseInt(text.slice(0, WALL_WIDTH), 36),
    counter: parseInt(text.slice(WALL_WIDTH, WALL_WIDTH + COUNTER_WIDTH), 36),
    node: text.slice(WALL_WIDTH + COUNTER_WIDTH),
  };
}

/**
 * Stamps for ops minted after the fact from rows that carry their own times (a backfill of rows
 * written while sync was off). Deterministic, so a re-run yields the same op ids: the n-th of the
 * rows sharing one millisecond gets counter n, and past the counter's range the rest spill into
 * the following milliseconds, as HybridClock.tick does. `walls` must be in a stable order.
 */
export function stampsForTimes(walls: readonly number[], node: string): string[] {
  const perMs = COUNTER_MAX + 1;
  const stamps: string[] = [];
  let lastWall = -1;
  let n = 0;
  for (const wall of walls) {
    if (wall === lastWall) n += 1;
    else {
      lastWall = wall;
      n = 0;
    }
    stamps.push(formatStamp({ wall: wall + Math.floor(n / perMs), counter: n % perMs, node }));
  }
  return stamps;
}

/** Wall-clock ms of a stamp without full parsing. */
export function stampWall(text: string): number {
  return parseInt(text.slice(0, WALL_WIDTH), 36);
}

export interface ClockWarning {
  code: 'CLOCK_FUTURE_STAMP';
  stamp: string;
  aheadMs: number;
  message: string;
}

export interface HybridClockOptions {
  nodeId: string;
  /** Physical clock in ms; injected so tests and pure code stay deterministic. */
  now: () => number;
  /** Stamps further ahead of our physical clock than this are refused. Default 10 minutes. */
  maxDriftMs?: number;
  onWarning?: (w: ClockWarning) => void;
  /** Restore the last issued stamp after a restart so stamps never go backwards. */
  last?: string | null;
}

export class HybridClock {
  readonly nodeId: string;
  readonly maxDriftMs: number;
  private wall = 0;
  private counter = 0;
  private offsetMs = 0;
  private readonly now: () => number;
  private readonly onWarning: (w: ClockWarning) => void;

  constructor(opts: HybridClockOptions) {
    if (!NODE_ID_PATTERN.test(opts.nodeId)) throw new Error(`node id must match ${NODE_ID_PATTERN}: ${opts.nodeId}`);
    this.nodeId = opts.nodeId;
    this.now = opts.now;
    this.maxDriftMs = opts.maxDriftMs ?? 10 * 60_000;
    this.onWarning = opts.onWarning ?? (() => {});
    if (opts.last) {
      const s = parseStamp(opts.last);
      this.wall = s.wall;
      this.counter = s.counter;
    }
  }

  /** Physical time corrected by the offset learnt from the time source (the hub or cloud). */
  physical(): number {
    return this.now() + this.offsetMs;
  }

  /**
   * Adopt the server's time as the physical source. Only moves the offset; stamps already issued
   * stay monotonic because tick() never goes below the last stamp.
   */
  observeServerTime(serverMs: number): void {
    const diff = serverMs - this.now();
    if (Math.abs(diff - this.offsetMs) > 1000) this.offsetMs = diff;
  }

  tick(): string {
    const phys = this.physical();
    if (phys > this.wall) {
      this.wall = phys;
      this.counter = 0;
    } else if (this.counter >= COUNTER_MAX) {
      this.wall += 1;
      this.counter = 0;
    } else {
      this.counter += 1;
    }
    return formatStamp({ wall: this.wall, counter: this.counter, node: this.nodeId });
  }

  /** True when the stamp is too far ahead of our physical clock to be trusted. */
  isTooFarAhead(stamp: string): boolean {
    return stampWall(stamp) > this.physical() + this.maxDriftMs;
  }

  /**
   * Fold a remote stamp into our clock. A far-future stamp is refused with a warning and our
   * clock is left untouched, so later local stamps stay close to real time.
   */
  receive(stamp: string): boolean {
    const remote = parseStamp(stamp);
    const phys = this.physical();
    if (remote.wall > phys + this.maxDriftMs) {
      const aheadMs = remote.wall - phys;
      this.onWarning({
        code: 'CLOCK_FUTURE_STAMP',
        stamp,
        aheadMs,
        message: `refused a stamp from node ${remote.node} that is ${Math.round(aheadMs / 1000)} s ahead of this clock (limit ${Math.round(this.maxDriftMs / 1000)} s); check that device's clock`,
      });
      return false;
    }
    if (remote.wall > this.wall && remote.wall > phys) {
      this.wall = remote.wall;
      this.counter = remote.counter;
    } else if (remote.wall === this.wall) {
      this.counter = Math.max(this.counter, remote.counter);
    }
    return true;
  }

  last(): string {
    return formatStamp({ wall: this.wall, counter: this.counter, node: this.nodeId });
  }
}
