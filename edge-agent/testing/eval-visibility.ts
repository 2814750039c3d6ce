// How much of each walker the camera sees, from the clip's script (issue 18). The renderer paints
// walkers far to near and the occluder last; this repeats that painting with an owner per pixel
// instead of colour, so a walker's view in a frame is the share of its silhouette (matte ≥ 0.5)
// that is inside the picture and not covered by a nearer walker or the occluder. A crossing's
// view is the walker's best view while its feet are within a metre of the line. It measures the
// clips, not the counter: no threshold here is chosen on counting results.
import { boxIou, type Box } from '../../models';
import { signedDistance } from '../counting';
import type { MattedPerson } from './eval-people';
import { Geometry, spritePixel, spriteRect, type EvalClip } from './eval-set';
import type { EvalResult } from './eval-run';

/** A crossing whose walker is never more than this share in view near the line is "mostly hidden". */
export const HIDDEN_VIEW = 0.5;

export interface WalkerFrame {
  /** Share of the silhouette in view, 0..1. */
  view: number;
  /** The whole silhouette's box inside the picture (pixels), hidden parts included; null when outside. */
  box: { x: number; y: number; width: number; height: number } | null;
}

/** Per walker, per frame: its view and box (null while it is not in the scene). */
export function walkerViews(clip: EvalClip, people: readonly MattedPerson[]): Array<Array<WalkerFrame | null>> {
  const { width: W, height: H } = clip;
  const g = new Geometry(clip.scene, clip.line);
  const byId = new Map(people.map((p) => [p.id, p]));
  const sprites = clip.walkers.map((w) => {
    const p = byId.get(w.person);
    if (!p) throw new Error(`eval person missing: ${w.person}`);
    return p;
  });
  const views = clip.walkers.map(() => new Array<WalkerFrame | null>(clip.frames).fill(null));
  const owner = new Int16Array(W * H);
  for (let f = 0; f < clip.frames; f++) {
    owner.fill(-1);
    const placed = clip.walkers
      .map((w, i) => ({ w, i, p: w.feet[f] ?? null }))
      .filter((x): x is { w: EvalClip['walkers'][number]; i: number; p: { x: number; y: number } } => x.p !== null)
      .sort((a, b) => a.p.y - b.p.y);
    const silhouette = new Map<number, { area: number; box: WalkerFrame['box'] }>();
    for (const { w, i, p } of placed) {
      const sp = sprites[i]!;
      const r = spriteRect(g, w, sp, p);
      let area = 0;
      let [x1, y1, x2, y2] = [W, H, -1, -1];
      for (let y = r.top; y < r.bottom; y++) {
        for (let x = r.left; x < r.right; x++) {
          if (sp.alpha[spritePixel(r, sp, w.flip, x, y)]! < 0.5) continue;
          area++;
          if (x < 0 || y < 0 || x >= W || y >= H) continue;
          owner[y * W + x] = i;
          [x1, y1, x2, y2] = [Math.min(x1, x), Math.min(y1, y), Math.max(x2, x), Math.max(y2, y)];
        }
      }
      const box = x2 >= x1 ? { x: x1, y: y1, width: x2 - x1 + 1, height: y2 - y1 + 1 } : null;
      silhouette.set(i, { area, box });
    }
    const o = clip.scene.occluder;
    if (o)
      for (let y = Math.max(0, o.y); y < Math.min(H, o.y + o.height); y++)
        owner.fill(-2, y * W + Math.max(0, o.x), y * W + Math.min(W, o.x + o.width));
    const seen = new Map<number, number>();
    for (const i of owner) if (i >= 0) seen.set(i, (seen.get(i) ?? 0) + 1);
    for (const [i, { area, box }] of silhouette) views[i]![f] = { view: area ? (seen.get(i) ?? 0) / area : 0, box };
  }
  return views;
}

/** Per walker: its best view (from `walkerViews`) while its feet are within a metre of the line (0 if never). */
export function viewsAtLine(clip: EvalClip, views: ReturnType<typeof walkerViews>): number[] {
  const g = new Geometry(clip.scene, clip.line);
  return clip.walkers.map((w, i) => {
    let best = 0;
    w.feet.forEach((p, f) => {
      if (p && Math.abs(signedDistance(clip.line, p)) <= g.pxPerM(p.y)) best = Math.max(best, views[i]![f]?.view ?? 0);
    });
    return best;
  });
}

export interface SeenScore {
  /** True crossings, and those whose walker is mostly hidden near the line. */
  truth: number;
  hidden: number;
  misses: number;
  falseCounts: number;
  /** Misses left after each clip's misses are first put down to its mostly hidden crossings. */
  missesOfSeen: number;
  /** 1 − (missesOfSeen + false counts) ÷ (truth − hidden): the counter's accuracy on what can be seen. */
  accuracySeen: number;
}

/**
 * Scores results with mostly hidden crossings set aside. Counts are per clip and direction, not
 * per walker, so a clip's misses are put down to its hidden crossings first: an upper estimate.
 */
export function scoreSeen(
  results: readonly EvalResult[],
  clips: ReadonlyMap<string, { clip: EvalClip; views: readonly number[] }>,
): SeenScore {
  let truth = 0;
  let hidden = 0;
  let misses = 0;
  let falseCounts = 0;
  let missesOfSeen = 0;
  for (const r of results) {
    const c = clips.get(r.name);
    if (!c) throw new Error(`${r.name}: no views`);
    for (const dir of ['in', 'out'] as const) {
      const hid = c.clip.walkers.reduce((n, w, i) => n + (c.views[i]! <= HIDDEN_VIEW ? w[dir] : 0), 0);
      const miss = Math.max(0, r.expected[dir] - r.got[dir]);
      truth += r.expected[dir];
      hidden += hid;
      misses += miss;
      falseCounts += Math.max(0, r.got[dir] - r.expected[dir]);
      missesOfSeen += Math.max(0, miss - hid);
    }
  }
  const seen = truth - hidden;
  return {
    truth,
    hidden,
    misses,
    falseCounts,
    missesOfSeen,
    accuracySeen: seen ? 1 - (missesOfSeen + falseCounts) / seen : 1,
  };
}

/** A detection is a walker's when its height is within this factor of the walker's (and IoU). */
const MATCH_HEIGHT_RATIO = 1.25;

/** Buckets of view for the detector's recall: [0, 0.25), [0.25, 0.5), [0.5, 0.75), [0.75, 0.95), [0.95, 1]. */
export const VIEW_BUCKETS = [0, 0.25, 0.5, 0.75, 0.95] as const;

export interface WalkerRecall {
  /** Frames with the walker's feet within a metre of the line (walkers that cross only). */
  near: number;
  /** ...of which a detection matched the walker's box. */
  found: number;
  /** Mean view over those frames. */
  view: number;
}

/**
 * Did the detector see each crossing walker near the line? Per frame, detections at or above
 * `minScore` are matched one to one with the walkers' boxes, best overlap first (IoU at least
 * `minIou`, height within `MATCH_HEIGHT_RATIO` of the walker's: one box from a back walker's head
 * to the front walker's feet is neither of them). The box is the whole silhouette, hidden parts
 * included. Per walker and per view bucket (found, near).
 */
export function detectorRecall(
  clip: EvalClip,
  views: ReturnType<typeof walkerViews>,
  recording: ReadonlyArray<{ index: number; dets: ReadonlyArray<{ box: Box; score: number }> }>,
  opts: { minScore: number; minIou: number },
): { walkers: WalkerRecall[]; buckets: Array<{ found: number; near: number }> } {
  const g = new Geometry(clip.scene, clip.line);
  const walkers = clip.walkers.map(() => ({ near: 0, found: 0, view: 0 }));
  const buckets = VIEW_BUCKETS.map(() => ({ found: 0, near: 0 }));
  for (const frame of recording) {
    const f = frame.index;
    const here = clip.walkers.flatMap((w, i) => {
      const p = w.feet[f];
      const v = views[i]?.[f];
      if (!p || !v?.box || w.in + w.out === 0) return [];
      return Math.abs(signedDistance(clip.line, p)) <= g.pxPerM(p.y) ? [{ i, v: v.view, box: v.box }] : [];
    });
    if (!here.length) continue;
    const dets = frame.dets.filter((d) => d.score >= opts.minScore);
    const pairs: Array<{ iou: number; w: number; d: number }> = [];
    here.forEach((h, w) =>
      dets.forEach((det, d) => {
        const iou = boxIou(h.box, det.box);
        const r = det.box.height / h.box.height;
        if (iou >= opts.minIou && r <= MATCH_HEIGHT_RATIO && r >= 1 / MATCH_HEIGHT_RATIO) pairs.push({ iou, w, d });
      }),
    );
    pairs.sort((a, b) => b.iou - a.iou);
    const usedW = new Set<number>();
    const usedD = new Set<number>();
    for (const p of pairs)
      if (!usedW.has(p.w) && !usedD.has(p.d)) {
        usedW.add(p.w);
        usedD.add(p.d);
      }
    here.forEach((h, w) => {
      const found = usedW.has(w) ? 1 : 0;
      const r = walkers[h.i]!;
      r.near++;
      r.found += found;
      r.view += h.v;
      const b = buckets[VIEW_BUCKETS.findLastIndex((edge) => h.v >= edge)]!;
      b.near++;
      b.found += found;
    });
  }
  for (const r of walkers) if (r.near) r.view /= r.near;
  return { walkers, buckets };
}
