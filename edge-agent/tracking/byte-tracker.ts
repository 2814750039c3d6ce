// ByteTrack-style multi-object tracker, motion only (no appearance, no re-identification, no
// face data): Kalman prediction, association on high-score detections first, then the leftover
// confirmed tracks against low-score detections (people half hidden by the door frame, or simply
// scored 0.1-0.3 by the detector), then a centre-distance second chance for tracks whose box
// moved too far for IoU (fast walkers, small people); birth as tentative from detections at or
// above `newTrackScore`, confirmation after N hits (low-score hits count: a person the detector
// scores 0.25 in every frame is a person), and a lost buffer in which a track coasts on its
// Kalman motion through short occlusions before it is dropped.
import { boxInsideShare, type Box } from '../../models';
import { associate, associateByDistance } from './associate';
import { KalmanBox } from './kalman-box';

export interface TrackerDetection {
  box: Box;
  score: number;
}

export interface TrackerOptions {
  /** Detections at or above this are "high" (first stage). Default 0.3. */
  highScore?: number;
  /** Detections below this are ignored entirely. Default 0.1. */
  lowScore?: number;
  /** Minimum score to start a new track. Default 0.25 (tuned on the evaluation's tuning split). */
  newTrackScore?: number;
  /**
   * A detection below `newTrackScore` but at or above this still starts a tentative track, which
   * then needs `lowBirthHits` hits in a row to be confirmed (a person the detector scores 0.15
   * in every frame is a person; clutter that scores 0.15 once is not). 0 = off. Default 0.15.
   */
  lowBirthScore?: number;
  /** Hits a track born from a low score needs before it is confirmed. Default 5. */
  lowBirthHits?: number;
  /** IoU needed to match in the first stage. Default 0.2. */
  matchIou?: number;
  /** IoU needed to match a low-score detection in the second stage. Default 0.4. */
  lowMatchIou?: number;
  /** Hits before a track is confirmed (and may count). Default 3. */
  minHits?: number;
  /** Frames a confirmed track survives without a detection. Default 15. */
  maxLost?: number;
  /**
   * Second chance for tracks IoU could not match: centre distance at most this × the track's
   * height, with a similar height (0 = off). Default 0.5.
   */
  maxCentreDistance?: number;
}

/**
 * A low-score detection whose box lies more than this share inside a live track's box does not
 * start a track: it is usually part of that person (head and shoulders, legs). Between 0.5 and
 * this share it is more often a second person half hidden in a group; if it is a part after all,
 * the line counter counts its crossing once with the person's (its duplicate-crossing rule), which
 * is what allowed raising this from 0.5 (tracker6: 0.75-0.85 scored alike on the tuning part).
 */
const LOW_BIRTH_MAX_OVERLAP = 0.8;

export type TrackState = 'tentative' | 'confirmed' | 'lost';

export interface Track {
  id: number;
  state: TrackState;
  /** Current estimate: the matched detection smoothed by the filter, or the prediction when lost. */
  box: Box;
  score: number;
  hits: number;
  /** Frames since the last matched detection (0 = matched this frame). */
  missed: number;
  age: number;
}

interface InternalTrack extends Track {
  kf: KalmanBox;
  /** Born from a score under `newTrackScore` and no hit at or above it since: needs more hits. */
  bornLow: boolean;
}

export class ByteTracker {
  private readonly o: Required<TrackerOptions>;
  private tracks: InternalTrack[] = [];
  private nextId = 1;
  /** Ids of tracks removed by the last update (the counter finalises them). */
  removed: number[] = [];

  constructor(opts: TrackerOptions = {}) {
    this.o = {
      highScore: opts.highScore ?? 0.3,
      lowScore: opts.lowScore ?? 0.1,
      newTrackScore: opts.newTrackScore ?? 0.25,
      lowBirthScore: opts.lowBirthScore ?? 0.15,
      lowBirthHits: opts.lowBirthHits ?? 5,
      matchIou: opts.matchIou ?? 0.2,
      lowMatchIou: opts.lowMatchIou ?? 0.4,
      minHits: opts.minHits ?? 3,
      maxLost: opts.maxLost ?? 15,
      maxCentreDistance: opts.maxCentreDistance ?? 0.5,
    };
  }

  /** Live tracks (tentative, confirmed and lost). */
  all(): Track[] {
    return this.tracks.map(({ kf: _kf, bornLow: _low, ...t }) => ({ ...t, box: { ...t.box } }));
  }

  /** Tracks that exist and are not tentative: the only ones that count. */
  confirmed(): Track[] {
    return this.all().filter((t) => t.state !== 'tentative');
  }

  get size(): number {
    return this.tracks.length;
  }

  update(detections: readonly TrackerDetection[]): Track[] {
    this.removed = [];
    for (const t of this.tracks) {
      t.box = t.kf.predict();
      t.age++;
    }
    const high = detections.filter((d) => d.score >= this.o.highScore);
    const low = detections.filter((d) => d.score < this.o.highScore && d.score >= this.o.lowScore);

    const established = this.tracks.filter((t) => t.state !== 'tentative');
    const tentative = this.tracks.filter((t) => t.state === 'tentative');
    const matched = new Set<InternalTrack>();
    const hit = (t: InternalTrack, d: TrackerDetection) => {
      t.box = t.kf.update(d.box);
      t.score = d.score;
      t.hits++;
      t.missed = 0;
      if (d.score >= this.o.newTrackScore) t.bornLow = false;
      const needed = t.bornLow ? Math.max(this.o.minHits, this.o.lowBirthHits) : this.o.minHits;
      if (t.state === 'lost' || (t.state === 'tentative' && t.hits >= needed)) t.state = 'confirmed';
      matched.add(t);
    };

    // Stage 1: established tracks vs high-score detections.
    const s1 = associate(
      established.map((t) => t.box),
      high.map((d) => d.box),
      this.o.matchIou,
    );
    for (const m of s1.matches) hit(established[m.track]!, high[m.det]!);
    let restHigh = s1.unmatchedDets.map((i) => high[i]!);
    // Stage 2: what is left of them vs low-score detections (occluded, blurred, dim people).
    let left = s1.unmatchedTracks.map((i) => established[i]!);
    const s2 = associate(
      left.map((t) => t.box),
      low.map((d) => d.box),
      this.o.lowMatchIou,
    );
    for (const m of s2.matches) hit(left[m.track]!, low[m.det]!);
    let restLow = s2.unmatchedDets.map((i) => low[i]!);
    left = s2.unmatchedTracks.map((i) => left[i]!);
    // Stage 2b: second chance by centre distance (moved further than IoU can follow).
    if (this.o.maxCentreDistance > 0 && left.length) {
      const rest = [...restHigh, ...restLow];
      const s2b = associateByDistance(
        left.map((t) => t.box),
        rest.map((d) => d.box),
        this.o.maxCentreDistance,
      );
      for (const m of s2b.matches) hit(left[m.track]!, rest[m.det]!);
      const used = new Set(s2b.matches.map((m) => rest[m.det]!));
      restHigh = restHigh.filter((d) => !used.has(d));
      restLow = restLow.filter((d) => !used.has(d));
    }
    // Stage 3: tentative tracks vs remaining high detections, then vs remaining low ones (a
    // track is born from a high score; once born, a low-score detection still confirms it).
    const s3 = associate(
      tentative.map((t) => t.box),
      restHigh.map((d) => d.box),
      this.o.matchIou,
    );
    for (const m of s3.matches) hit(tentative[m.track]!, restHigh[m.det]!);
    const tentLeft = s3.unmatchedTracks.map((i) => tentative[i]!);
    const s3b = associate(
      tentLeft.map((t) => t.box),
      restLow.map((d) => d.box),
      this.o.lowMatchIou,
    );
    for (const m of s3b.matches) hit(tentLeft[m.track]!, restLow[m.det]!);
    const usedLow = new Set(s3b.matches.map((m) => restLow[m.det]!));
    // (no centre-distance second chance for tentative tracks: on the tuning split it joined
    // strangers into false tracks more often than it kept a small, fast walker)
    const rest = [...s3.unmatchedDets.map((i) => restHigh[i]!), ...restLow.filter((d) => !usedLow.has(d))];
    // Low-score births: only where no live track already is (the leftovers of a person who is
    // tracked would otherwise start a second track on the same person).
    const lowBirth = this.o.lowBirthScore > 0 ? this.o.lowBirthScore : Infinity;
    const births: TrackerDetection[] = [];
    for (const d of [...rest].sort((a, b) => b.score - a.score)) {
      if (d.score >= this.o.newTrackScore) births.push(d);
      else if (
        d.score >= lowBirth &&
        !this.tracks.some((t) => boxInsideShare(d.box, t.box) > LOW_BIRTH_MAX_OVERLAP) &&
        !births.some((b) => boxInsideShare(d.box, b.box) > LOW_BIRTH_MAX_OVERLAP)
      )
        births.push(d);
    }

    const keep: InternalTrack[] = [];
    for (const t of this.tracks) {
      if (matched.has(t)) {
        keep.push(t);
        continue;
      }
      t.missed++;
      if (t.state === 'tentative' || t.missed > this.o.maxLost) {
        this.removed.push(t.id);
        continue;
      }
      t.state = 'lost';
      keep.push(t);
    }
    for (const d of births) {
      const kf = new KalmanBox(d.box);
      const t: InternalTrack = {
        id: this.nextId++,
        state: this.o.minHits <= 1 && d.score >= this.o.newTrackScore ? 'confirmed' : 'tentative',
        box: { ...d.box },
        score: d.score,
        hits: 1,
        missed: 0,
        age: 0,
        kf,
        bornLow: d.score < this.o.newTrackScore,
      };
      keep.push(t);
    }
    this.tracks = keep;
    return this.all();
  }

  /** Drops every track (end of stream); returns their ids. */
  flush(): number[] {
    const ids = this.tracks.map((t) => t.id);
    this.tracks = [];
    this.removed = ids;
    return ids;
  }
}
