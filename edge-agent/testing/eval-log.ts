// What the evaluation tools print per clip: the result line, and for studying a clip the walkers'
// scripted distances to the line and every track frame by frame (eval-tune.ts, eval-study.ts).
import { anchorPoint, signedDistance } from '../counting';
import type { CameraPipeline } from '../pipeline';
import type { EvalResult } from './eval-run';
import type { EvalClip } from './eval-set';

export const isRight = (r: EvalResult): boolean => r.got.in === r.expected.in && r.got.out === r.expected.out;

/** `name  expected {…} got {…}`, marked when wrong. */
export function resultLine(r: EvalResult): string {
  return `${r.name.padEnd(24)} expected ${JSON.stringify(r.expected)} got ${JSON.stringify(r.got)}${isRight(r) ? '' : '  <-- wrong'}`;
}

/** Each walker's true crossings and its feet's signed distance to the line, frame by frame. */
export function walkerLines(clip: EvalClip): string[] {
  return clip.walkers.map((w, i) => {
    const ds = w.feet.flatMap((p, f) => (p ? [`${f}:${signedDistance(clip.line, p).toFixed(0)}`] : []));
    return `  walker ${i} in ${w.in} out ${w.out}: ${ds.join(' ')}`;
  });
}

/** Every track's state, score, distance to the line and box size, frame by frame. */
export class TrackLog {
  private readonly tracks = new Map<number, string[]>();

  constructor(private readonly clip: EvalClip) {}

  /** Call after each frame the pipeline processed. */
  note(p: CameraPipeline, frameIndex: number): void {
    for (const t of p.tracker.all()) {
      const d = signedDistance(this.clip.line, anchorPoint(t.box, p.config.anchor));
      const l = this.tracks.get(t.id) ?? [];
      l.push(
        `${frameIndex}:${t.state[0]}${t.missed ? `-${t.missed}` : ''}@${t.score.toFixed(2)} d=${d.toFixed(0)} h=${t.box.height.toFixed(0)} w=${t.box.width.toFixed(0)}`,
      );
      this.tracks.set(t.id, l);
    }
  }

  lines(): string[] {
    return [...this.tracks].map(([id, l]) => `  track ${id}: ${l.join(' | ')}`);
  }
}
