// Greedy IoU association between predicted track boxes and detections: take the best-overlapping
// pair, remove both, repeat. With people at a door (few, well separated) it matches Hungarian.
import { boxIou, type Box } from '../../models';

export interface Match {
  track: number;
  det: number;
  iou: number;
}

export function associate(
  tracks: readonly Box[],
  dets: readonly Box[],
  minIou: number,
): { matches: Match[]; unmatchedTracks: number[]; unmatchedDets: number[] } {
  const pairs: Match[] = [];
  for (let t = 0; t < tracks.length; t++) {
    for (let d = 0; d < dets.length; d++) {
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
