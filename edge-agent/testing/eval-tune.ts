// Studies and tunes the tracker and counting rules on the TUNING split only, by replaying the
// detector answers that `npm run bench -- footfall-eval` recorded in .bench/footfall-eval/dets/.
// It cannot read the held-out split: held-out figures come from the bench alone.
//
//   npx tsx edge-agent/testing/eval-tune.ts [--camera '{"tracker":{"newTrackScore":0.3}}']
//       [--score 0.1] [--nms 0.5] [--clips 120] [--log]        (--log: per-track log of wrong clips)
//       [--dets dets-other]   (another detector's tuning answers, recorded in the same format
//                              under .bench/footfall-eval/<dets>/tuning; clips without one are skipped)
//       [--scores]   (the detector's best score per frame with a walker's feet in the picture, per
//                     clip and for dim (light < 0.6) and normal clips: mean and share ≥ 0.25)
//       [--views]    (how much of each walker is in view near the line, eval-visibility.ts: the
//                     detector's recall there per view bucket, each wrong clip's walkers with their
//                     view and frames found, and the accuracy with mostly hidden crossings set aside)
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { detectorConfigSchema, type CameraConfigInput } from '../pipeline';
import { isRight, TrackLog, walkerLines } from './eval-log';
import { loadEvalPeople } from './eval-people';
import { evalSplit, EVAL_CLIPS, FAMILIES, type EvalClip } from './eval-set';
import { detectorRecall, scoreSeen, VIEW_BUCKETS, viewsAtLine, walkerViews } from './eval-visibility';
import { loadRecording, replayEvalClip, score, scoreByFamily, type EvalResult } from './eval-run';

const { values } = parseArgs({
  options: {
    camera: { type: 'string' },
    score: { type: 'string' },
    nms: { type: 'string' },
    clips: { type: 'string' },
    log: { type: 'boolean' },
    dets: { type: 'string' },
    scores: { type: 'boolean' },
    views: { type: 'boolean' },
  },
});
const defaults = detectorConfigSchema.parse({});
const det = {
  scoreThreshold: values.score ? Number(values.score) : defaults.scoreThreshold,
  nmsIou: values.nms ? Number(values.nms) : defaults.nmsIou,
};
const overrides = (values.camera ? JSON.parse(values.camera) : {}) as Partial<CameraConfigInput>;
const detsName = values.dets ?? 'dets';
if (!/^[\w.-]+$/.test(detsName)) throw new Error('--dets is a folder name under .bench/footfall-eval');
const dir = join(import.meta.dirname, '../../.bench/footfall-eval', detsName, 'tuning');
const results: EvalResult[] = [];
const best: Record<'dim' | 'normal', number[]> = { dim: [], normal: [] };
let missing = 0;
const people = values.views ? await loadEvalPeople() : [];
const seen = new Map<string, { clip: EvalClip; views: number[] }>();
const recallByView = VIEW_BUCKETS.map(() => ({ found: 0, near: 0 }));
for (const clip of evalSplit('tuning', Number(values.clips ?? EVAL_CLIPS.tuning))) {
  const rec = loadRecording(dir, clip);
  if (!rec) {
    missing++;
    continue;
  }
  if (values.scores) {
    const inView = (f: number) =>
      clip.walkers.some((w) => {
        const p = w.feet[f];
        return p && p.x >= 0 && p.x < clip.width && p.y >= 0 && p.y < clip.height;
      });
    const mine = rec.filter((f) => inView(f.index)).map((f) => Math.max(0, ...f.dets.map((d) => d.score)));
    best[clip.scene.light < 0.6 ? 'dim' : 'normal'].push(...mine);
    const mean = mine.reduce((a, b) => a + b, 0) / Math.max(1, mine.length);
    const share = mine.filter((x) => x >= 0.25).length / Math.max(1, mine.length);
    console.log(
      `${clip.name.padEnd(24)} light ${clip.scene.light.toFixed(2)}  best score mean ${mean.toFixed(3)}  ≥0.25 in ${(100 * share).toFixed(0)} % of ${mine.length} frames`,
    );
  }
  const trackLog = new TrackLog(clip);
  const frameLog: string[] = [];
  const r = await replayEvalClip(clip, rec, det, overrides, (p, f) => {
    trackLog.note(p, f.index);
    const fresh = p.tracker.all().filter((t) => t.missed === 0);
    const orphans = f.dets.filter(
      (d) =>
        d.score >= det.scoreThreshold &&
        !fresh.some((t) => Math.abs(t.box.x - d.box.x) < 2 && Math.abs(t.box.y - d.box.y) < 20),
    );
    if (orphans.length)
      frameLog.push(
        `${f.index}: unmatched ${orphans.map((d) => `${d.score.toFixed(2)}@${d.box.x.toFixed(0)},${d.box.y.toFixed(0)},${d.box.height.toFixed(0)}`).join(' ')}`,
      );
  });
  results.push(r);
  const ok = isRight(r);
  if (values.views) {
    const views = walkerViews(clip, people);
    seen.set(clip.name, { clip, views: viewsAtLine(clip, views) });
    const rc = detectorRecall(clip, views, rec, { minScore: det.scoreThreshold, minIou: 0.4 });
    rc.buckets.forEach((b, i) => {
      recallByView[i]!.found += b.found;
      recallByView[i]!.near += b.near;
    });
    if (!ok)
      console.log(
        `${clip.name.padEnd(24)} expected ${JSON.stringify(r.expected)} got ${JSON.stringify(r.got)}  ` +
          rc.walkers
            .map((w, i) => (w.near ? `w${i} view ${w.view.toFixed(2)} found ${w.found}/${w.near}` : null))
            .filter(Boolean)
            .join('  '),
      );
  }
  if (ok || !values.log) continue;
  console.log(
    `\n== ${clip.name} expected ${JSON.stringify(r.expected)} got ${JSON.stringify(r.got)} line ${JSON.stringify(clip.line)}`,
  );
  for (const l of [...walkerLines(clip), ...trackLog.lines()]) console.log(l);
  for (const l of frameLog) console.log(`  ${l}`);
}
for (const [k, v] of Object.entries(best))
  if (v.length)
    console.log(
      `${k} clips: best score mean ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(3)}, ≥0.25 in ${((100 * v.filter((x) => x >= 0.25).length) / v.length).toFixed(0)} % of ${v.length} frames`,
    );
if (values.views) {
  VIEW_BUCKETS.forEach((edge, i) => {
    const b = recallByView[i]!;
    const to = VIEW_BUCKETS[i + 1] ?? 1;
    console.log(
      `view ${edge.toFixed(2)}-${to.toFixed(2)}: detector recall near the line ${(b.found / Math.max(1, b.near)).toFixed(3)} (${b.found} of ${b.near} walker-frames)`,
    );
  });
  const s = scoreSeen(results, seen);
  console.log(
    `mostly hidden crossings: ${s.hidden} of ${s.truth}; with them set aside: accuracy ${s.accuracySeen.toFixed(3)} (misses ${s.missesOfSeen}, false ${s.falseCounts} of ${s.truth - s.hidden})`,
  );
}
if (missing) console.log(`${missing} tuning clips have no recording: run npm run bench -- footfall-eval first`);
const fam = scoreByFamily(results);
for (const f of FAMILIES) {
  const s = fam[f];
  if (s)
    console.log(`${f.padEnd(10)} ${s.accuracy.toFixed(3)}  misses ${s.misses} false ${s.falseCounts} of ${s.truth}`);
}
const s = score(results);
console.log(
  JSON.stringify({
    tuning_accuracy: Number(s.accuracy.toFixed(4)),
    misses: s.misses,
    false: s.falseCounts,
    truth: s.truth,
    clips: s.clips,
  }),
);
