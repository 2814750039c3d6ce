// Door-counting evaluation (issue 18): `npm run bench -- footfall-eval`. Last line is one JSON object:
//   count_accuracy_heldout  1 − (misses + false counts) ÷ true crossings on the HELD-OUT clips
//   count_accuracy_tuning   the same on the tuning clips (the only ones tracker settings were tuned on)
//   misses_heldout / false_heldout  shares of the held-out true crossings, each
//   per_family              { family: { tuning, heldout } } accuracy per scenario family
// Clips come from a fixed seed (edge-agent/testing/eval-set.ts): 640×360, 10 fps, people matted
// out of the sample photos, varied camera geometry, line, behaviour, light, blur, noise and H.264
// quality. Everything runs end to end: ffmpeg decode → motion gate → CenterNet-384 (the agent's
// default, 1 thread) → tracker → counter, with the agent's default camera settings.
// Videos and the detector's per-frame answers are cached in .bench/footfall-eval/ (gitignored);
// `npx tsx edge-agent/testing/eval-tune.ts` replays the TUNING split's answers to study the tracker.
// FOOTFALL_EVAL_CLIPS=n per split (default EVAL_CLIPS: 120 tuning, 40 held-out). FOOTFALL_EVAL_REPLAY=1 skips decode and detection
// and replays the detector answers recorded by the last end-to-end run (same clips, same model) through
// the current tracker and counter; the JSON says `"detections":"replayed"` then.
// FOOTFALL_EVAL_SPLITS=tuning (or heldout) runs one part only, e.g. to record the tuning part's
// detections for `eval-tune.ts` without scoring the held-out part; the other part's figures are absent.
// FOOTFALL_EVAL_DETS=<folder> records under .bench/footfall-eval/<folder>/ instead of dets/, and
// FOOTFALL_EVAL_CAMERA='{"tracker":{"minHits":4}}' overrides camera settings (to compare a change
// on the tuning part: `eval-tune.ts --dets <folder>`).
// Beside the figures, each part reports its crossings whose walker is mostly hidden near the line
// (never more than half in view within a metre of it: nearer walkers or the occluder cover it) and
// the accuracy with those set aside (`*_seen`; edge-agent/testing/eval-visibility.ts), so a miss
// the camera could not see is told apart from one the counter should have made.
// FOOTFALL_EVAL_MODEL=centernet (or centernet-384) runs another of the product's detector models
// instead of the agent's default, to compare detectors on the same clips; record it under its own
// FOOTFALL_EVAL_DETS folder, and name it again when replaying that folder (the JSON's `model`).
import { join } from 'node:path';
import { detectorConfigSchema, type CameraConfigInput } from '../../edge-agent/pipeline';
import {
  loadEvalPeople,
  evalSplit,
  EVAL_CLIPS,
  FAMILIES,
  type Split,
  ensureClipVideo,
  createRecordingDetector,
  resultLine,
  loadRecording,
  replayEvalClip,
  runEvalClip,
  saveRecording,
  score,
  scoreByFamily,
  scoreSeen,
  viewsAtLine,
  walkerViews,
  type EvalClip,
  type EvalResult,
} from '../../edge-agent/testing';

const clipsEnv = process.env['FOOTFALL_EVAL_CLIPS'];
const clipsIn = (split: Split) => (clipsEnv ? Number(clipsEnv) : EVAL_CLIPS[split]);
const root = join(import.meta.dirname, '../../.bench/footfall-eval');
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
// Checked against the agent's own detector config, so only a model the product can run is accepted.
const modelEnv = process.env['FOOTFALL_EVAL_MODEL'];
const detectorConfig = detectorConfigSchema.safeParse(modelEnv === undefined ? {} : { model: modelEnv });
if (!detectorConfig.success) {
  const names = detectorConfigSchema.shape.model.unwrap().options[0].options;
  throw new Error(`FOOTFALL_EVAL_MODEL=${modelEnv} is not a detector model; use one of ${names.join(', ')}`);
}
const { model, scoreThreshold, nmsIou } = detectorConfig.data;

const replay = process.env['FOOTFALL_EVAL_REPLAY'] === '1';
const detsFolder = process.env['FOOTFALL_EVAL_DETS'] ?? 'dets';
if (!/^[\w.-]+$/.test(detsFolder)) throw new Error('FOOTFALL_EVAL_DETS is a folder name under .bench/footfall-eval');
const camera = JSON.parse(process.env['FOOTFALL_EVAL_CAMERA'] ?? '{}') as Partial<CameraConfigInput>;
const splits = (process.env['FOOTFALL_EVAL_SPLITS'] ?? 'tuning,heldout')
  .split(',')
  .filter((s): s is Split => s === 'tuning' || s === 'heldout');
const people = await loadEvalPeople();
const detector = replay ? null : await createRecordingDetector(model, { scoreThreshold, nmsIou });
const results: Record<Split, EvalResult[]> = { tuning: [], heldout: [] };
const views = new Map<string, { clip: EvalClip; views: number[] }>();
const t0 = performance.now();
let frames = 0;
for (const split of splits) {
  for (const clip of evalSplit(split, clipsIn(split))) {
    let result: EvalResult;
    if (detector) {
      const path = await ensureClipVideo(join(root, 'clips'), clip, people);
      const run = await runEvalClip(detector, clip, path, { scoreThreshold, nmsIou }, camera);
      saveRecording(join(root, detsFolder, split), clip, run.recording);
      result = run.result;
    } else {
      const rec = loadRecording(join(root, detsFolder, split), clip);
      if (!rec) throw new Error(`${clip.name}: no recorded detections; run without FOOTFALL_EVAL_REPLAY first`);
      result = await replayEvalClip(clip, rec, { scoreThreshold, nmsIou }, camera);
    }
    results[split].push(result);
    views.set(clip.name, { clip, views: viewsAtLine(clip, walkerViews(clip, people)) });
    frames += result.frames;
    console.log(resultLine(result));
  }
}
await detector?.close();
const seconds = (performance.now() - t0) / 1000;

const clipCount = results.tuning.length + results.heldout.length;
const famT = scoreByFamily(results.tuning);
const famH = scoreByFamily(results.heldout);
console.log('\nfamily       tuning (acc, misses, false / truth)     held-out (acc, misses, false / truth)');
for (const f of FAMILIES) {
  const a = famT[f];
  const b = famH[f];
  const fmt = (s: typeof a) => (s ? `${s.accuracy.toFixed(3)}  ${s.misses} / ${s.falseCounts} of ${s.truth}` : '-');
  console.log(`${f.padEnd(12)} ${fmt(a).padEnd(40)} ${fmt(b)}`);
}
const t = score(results.tuning);
const h = score(results.heldout);
const overall = (x: typeof t) =>
  x.clips ? `${x.accuracy.toFixed(3)}  ${x.misses} / ${x.falseCounts} of ${x.truth}` : '-';
console.log(`overall      ${overall(t)}`.padEnd(53) + overall(h));
const seenT = scoreSeen(results.tuning, views);
const seenH = scoreSeen(results.heldout, views);
const seenLine = (x: typeof seenT, n: number) =>
  n ? `${x.accuracySeen.toFixed(3)}  ${x.missesOfSeen} / ${x.falseCounts} of ${x.truth - x.hidden}` : '-';
console.log(
  `seen         ${seenLine(seenT, results.tuning.length)}`.padEnd(53) + seenLine(seenH, results.heldout.length),
);
const hiddenParts = splits.map((p) => `${(p === 'tuning' ? seenT : seenH).hidden} ${p}`).join(' and ');
console.log(`(seen: ${hiddenParts} crossings are mostly hidden near the line and set aside)`);
console.log(
  `${clipCount} clips, ${frames} frames in ${round(seconds, 1)} s (model ${String(model)}, detector threshold ${scoreThreshold}, NMS ${nmsIou})`,
);
// A part that was not run (FOOTFALL_EVAL_SPLITS) reports null, never a perfect score.
const ran = (split: Split) => splits.includes(split);
const fig = (split: Split, x: number) => (ran(split) ? x : null);
console.log(
  JSON.stringify({
    count_accuracy_heldout: fig('heldout', round(h.accuracy)),
    count_accuracy_tuning: fig('tuning', round(t.accuracy)),
    misses_heldout: fig('heldout', round(h.misses / Math.max(1, h.truth))),
    false_heldout: fig('heldout', round(h.falseCounts / Math.max(1, h.truth))),
    misses_tuning: fig('tuning', round(t.misses / Math.max(1, t.truth))),
    false_tuning: fig('tuning', round(t.falseCounts / Math.max(1, t.truth))),
    crossings_heldout: fig('heldout', h.truth),
    crossings_tuning: fig('tuning', t.truth),
    hidden_crossings_heldout: fig('heldout', seenH.hidden),
    hidden_crossings_tuning: fig('tuning', seenT.hidden),
    count_accuracy_heldout_seen: fig('heldout', round(seenH.accuracySeen)),
    count_accuracy_tuning_seen: fig('tuning', round(seenT.accuracySeen)),
    per_family: Object.fromEntries(
      FAMILIES.map((f) => [
        f,
        {
          tuning: fig('tuning', round(famT[f]?.accuracy ?? 1, 3)),
          heldout: fig('heldout', round(famH[f]?.accuracy ?? 1, 3)),
        },
      ]),
    ),
    clips: clipCount,
    model,
    detections: replay ? 'replayed' : 'live',
  }),
);
