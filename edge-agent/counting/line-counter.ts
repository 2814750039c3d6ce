// Counts people crossing the door line. Naive counters double-count when a box jitters around
// the line or someone re-crosses (see supervision issues #2598, #2578); this one only changes a
// track's side after the anchor has been beyond a dead band for N frames in a row, only counts
// crossings that pass through the segment (not the infinite line), and keeps a net count per
// track so a U-turn cancels out.
import type { Track } from '../tracking';
import { anchorPoint, crossingParameter, signedDistance, type Anchor, type Point, type Segment } from './geometry';

export type Direction = 'in' | 'out';

export interface LineCounterOptions {
  line: Segment;
  /** Which point of the box must cross. Default bottom-centre (feet); 'head' for top-down cameras. */
  anchor?: Anchor;
  /** Half-width of the band around the line where the side is undecided, in pixels. Default 8. */
  deadBand?: number;
  /** Frames the anchor must stay on the new side before the change counts. Default 2. */
  confirmFrames?: number;
}

export interface CrossingEvent {
  trackId: number;
  direction: Direction;
  /** Frame time (ms since epoch, or stream ms for files). */
  at: number;
  /** True when this crossing undoes the track's previous one (U-turn): totals go down, not up. */
  cancels: boolean;
  /** When cancelling: the time of the crossing being undone. */
  cancelsAt?: number;
}

interface TrackLineState {
  side: -1 | 1 | 0;
  /** Last anchor seen on the confirmed side, outside the dead band. */
  lastOnSide: Point | null;
  candidate: -1 | 1 | 0;
  candidateFrames: number;
  /** First anchor of the candidate run: the crossing is between lastOnSide and it. */
  candidateStart: Point | null;
  net: number;
  lastCountAt: number[];
  /** Crossings decided while the track was still tentative; counted once it is confirmed. */
  pending: Array<{ direction: Direction; at: number }>;
  confirmed: boolean;
}

export class LineCounter {
  private readonly line: Segment;
  private readonly anchor: Anchor;
  private readonly deadBand: number;
  private readonly confirmFrames: number;
  private readonly states = new Map<number, TrackLineState>();
  private finishedIn = 0;
  private finishedOut = 0;

  constructor(opts: LineCounterOptions) {
    this.line = opts.line;
    this.anchor = opts.anchor ?? 'bottom';
    this.deadBand = opts.deadBand ?? 8;
    this.confirmFrames = Math.max(1, opts.confirmFrames ?? 2);
  }

  /** Feed the tracker's output for one frame; returns the crossings decided on this frame. */
  update(tracks: readonly Track[], at: number, removedIds: readonly number[] = []): CrossingEvent[] {
    const events: CrossingEvent[] = [];
    for (const t of tracks) {
      // Only fresh detections move a track's side (predictions of lost tracks drift). Tentative
      // tracks are followed too, so someone confirmed just after stepping over the line still
      // counts, but their crossings only count once the track is confirmed.
      if (t.missed > 0 || t.state === 'lost') continue;
      events.push(...this.observeAll(t.id, anchorPoint(t.box, this.anchor), at, t.state === 'confirmed'));
    }
    for (const id of removedIds) this.finish(id);
    return events;
  }

  /** Feed one anchor position of a confirmed track directly (tests, replays). */
  observe(trackId: number, p: Point, at: number): CrossingEvent | null {
    return this.observeAll(trackId, p, at, true)[0] ?? null;
  }

  /** One anchor position; `confirmed` false holds crossings back until the track is confirmed. */
  observeAll(trackId: number, p: Point, at: number, confirmed: boolean): CrossingEvent[] {
    let st = this.states.get(trackId);
    const out: CrossingEvent[] = [];
    if (st && confirmed && !st.confirmed) {
      st.confirmed = true;
      for (const c of st.pending.splice(0)) out.push(this.count(trackId, st, c.direction, c.at));
    }
    const decided = this.step(trackId, p, st);
    st = this.states.get(trackId)!;
    if (confirmed) st.confirmed = true;
    if (decided) {
      if (st.confirmed) out.push(this.count(trackId, st, decided, at));
      else st.pending.push({ direction: decided, at });
    }
    return out;
  }

  private count(trackId: number, st: TrackLineState, direction: Direction, at: number): CrossingEvent {
    const delta = direction === 'in' ? 1 : -1;
    const cancels = st.net !== 0 && Math.sign(st.net) !== delta;
    st.net += delta;
    const ev: CrossingEvent = { trackId, direction, at, cancels };
    if (cancels) ev.cancelsAt = st.lastCountAt.pop();
    else st.lastCountAt.push(at);
    return ev;
  }

  /** Side bookkeeping; returns the direction of a decided crossing through the segment. */
  private step(trackId: number, p: Point, existing: TrackLineState | undefined): Direction | null {
    const d = signedDistance(this.line, p);
    const now: -1 | 0 | 1 = d > this.deadBand ? 1 : d < -this.deadBand ? -1 : 0;
    let st = existing;
    if (!st) {
      st = {
        side: now,
        lastOnSide: now ? p : null,
        candidate: 0,
        candidateFrames: 0,
        candidateStart: null,
        net: 0,
        lastCountAt: [],
        pending: [],
        confirmed: false,
      };
      this.states.set(trackId, st);
      return null;
    }
    if (now === 0) return null; // inside the dead band: undecided, keep the run going
    if (st.side === 0) {
      // Track was born on the line: adopt the first side it leaves to, without counting.
      st.side = now;
      st.lastOnSide = p;
      return null;
    }
    if (now === st.side) {
      st.lastOnSide = p;
      st.candidate = 0;
      st.candidateFrames = 0;
      st.candidateStart = null;
      return null;
    }
    if (st.candidate !== now) {
      st.candidate = now;
      st.candidateFrames = 0;
      st.candidateStart = p;
    }
    st.candidateFrames++;
    if (st.candidateFrames < this.confirmFrames) return null;
    const from = st.lastOnSide ?? p;
    const to = st.candidateStart ?? p;
    st.side = now;
    st.lastOnSide = p;
    st.candidate = 0;
    st.candidateFrames = 0;
    st.candidateStart = null;
    const u = crossingParameter(this.line, from, to);
    if (u < 0 || u > 1) return null; // crossed the line's extension, beside the door
    return now === 1 ? 'in' : 'out';
  }

  /** Forget a track that ended; its net crossing stays in the totals. */
  finish(trackId: number): void {
    const st = this.states.get(trackId);
    if (!st) return;
    this.states.delete(trackId);
    if (!st.confirmed) return; // never confirmed: a false positive, its crossings do not count
    if (st.net > 0) this.finishedIn += st.net;
    if (st.net < 0) this.finishedOut -= st.net;
  }

  /** Net entries and exits so far (a U-turn adds nothing). */
  totals(): { in: number; out: number } {
    let inN = this.finishedIn;
    let outN = this.finishedOut;
    for (const st of this.states.values()) {
      if (!st.confirmed) continue;
      if (st.net > 0) inN += st.net;
      if (st.net < 0) outN -= st.net;
    }
    return { in: inN, out: outN };
  }
}
