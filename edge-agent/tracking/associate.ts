// Greedy IoU association between predicted track boxes and detections: take the best-overlapping
// pair, remove both, repeat. With people at a door (few, well separated) it matches Hungarian.
import { boxIou, type Box } from '../../models';

export interface Match {
  track: number;
  det: number;
  iou: number;
}

/** Heights differing by more than this factor are never the same person from one frame to the next. */
const MAX_HEIGHT_RATIO = 1.5;

const similarHeight = (a: Box, b: Box) => {
  const r = b.height / a.height;
  return r <= MAX_HEIGHT_RATIO && r >= 1 / MAX_HEIGHT_RATIO;
};

export function associate(
  tracks: readonly Box[],
  dets: readonly Box[],
  minIou: number,
): { matches: Match[]; unmatchedTracks: number[]; unmatchedDets: number[] } {
  const pairs: Match[] = [];
  for (let t = 0; t < tracks.length; t++) {
    for (let d = 0; d < dets.length; d++) {
      if (!similarHeight(tracks[t]!, dets[d]!)) continue;
      const iou = boxIou(tracks[t]!, dets[d]!);
      if (iou >= minIou) pairs.push({ track: t, det: d, iou });
    }
  }
  pairs.sort((a, b) => b.iou - a.iou || a.track - b.track || a.det - b.det);
  const usedT = new Set<number>();
  const usedD = new Set<number>();
  const matches: Match[] = [];
  for (const p of pairs) {
    if (usedT.has(p.track) || usedD.has(p.det)) continue;
    usedT.add(p.track);
    usedD.add(p.det);
    matches.push(p);
  }
  return {
    matches,
    unmatchedTracks: tracks.map((_, i) => i).filter((i) => !usedT.has(i)),
    unmatchedDets: dets.map((_, i) => i).filter((i) => !usedD.has(i)),
  };
}

/**
 * Greedy matching by centre distance, for pairs IoU could not match: a detection within
 * `maxDistance` × the track box's height of its centre, of a height within a factor 1.5.
 */
export function associateByDistance(
  tracks: readonly Box[],
  dets: readonly Box[],
  maxDistance: number,
): { matches: Match[]; unmatchedTracks: number[]; unmatchedDets: number[] } {
  const pairs: Array<{ track: number; det: number; d: number }> = [];
  for (let t = 0; t < tracks.length; t++) {
    const a = tracks[t]!;
    for (let d = 0; d < dets.length; d++) {
      const b = dets[d]!;
      if (!similarHeight(a, b)) continue;
      const dist =
        Math.hypot(a.x + a.width / 2 - b.x - b.width / 2, a.y + a.height / 2 - b.y - b.height / 2) / a.height;
      if (dist <= maxDistance) pairs.push({ track: t, det: d, d: dist });
    }
  }
  pairs.sort((a, b) => a.d - b.d || a.track - b.track || a.det - b.det);
  const usedT = new Set<number>();
  const usedD = new Set<number>();
  const matches: Match[] = [];
  for (const p of pairs) {
    if (usedT.has(p.track) || usedD.has(p.det)) continue;
    usedT.add(p.track);
    usedD.add(p.det);
    matches.push({ track: p.track, det: p.det, iou: boxIou(tracks[p.track]!, dets[p.det]!) });
  }
  return {
    matches,
    unmatchedTracks: tracks.map((_, i) => i).filter((i) => !usedT.has(i)),
    unmatchedDets: dets.map((_, i) => i).filter((i) => !usedD.has(i)),
  };
}
