// Study clips: more clips of one scenario family, drawn from the TUNING seed past the clips the
// tuning part uses (indices from EVAL_CLIPS.tuning on), so a weak case the tuning part holds only a
// few of can be studied on forty without looking at the held-out part. Same generator, people,
// renderer and detector as `npm run bench -- footfall-eval`; the detector's answers are recorded
// under .bench/footfall-eval/study/<family>/ and replayed in a second.
//
//   npx tsx edge-agent/testing/eval-study.ts --family stop [--clips 40]    (render, detect, record, score)
//   npx tsx edge-agent/testing/eval-study.ts --family stop --replay [--log tuning-149-stop]
//       [--camera '{"tracker":{"maxLost":20}}'] [--nms 0.5]
//       (replay the recording through the current tracker and counter; --log: per-track log of a
//       clip; --camera, --nms: camera and detector NMS settings to try, as for eval-tune.ts)
//
// The last line is one JSON object: family, clips, accuracy, misses, false counts, true crossings.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPersonDetector } from '../../models';
import { anchorPoint, signedDistance } from '../counting';
import { detectorConfigSchema, type CameraConfigInput } from '../pipeline';
import { loadEvalPeople } from './eval-people';
import {
  ensureClipVideo,
  loadRecording,
  RECORD_NMS,
  RECORD_SCORE,
  replayEvalClip,
  runEvalClip,
  saveRecording,
  score,
  type EvalResult,
} from './eval-run';
import { EVAL_CLIPS, FAMILIES, makeClip, type EvalClip, type Family } from './eval-set';

const { values } = parseArgs({
  options: {
    family: { type: 'string' },
    clips: { type: 'string' },
    replay: { type: 'boolean' },
    log: { type: 'string' },
    camera: { type: 'string' },
    nms: { type: 'string' },
  },
});
const family = values.family as Family;
if (!FAMILIES.includes(family)) throw new Error(`--family is one of ${FAMILIES.join(', ')}`);
const count = Number(values.clips ?? 40);
if (!Number.isInteger(count) || count < 1 || count > 200) throw new Error('--clips is 1-200');

const root = join(import.meta.dirname, '../../.bench/footfall-eval');
const dir = join(root, 'study', family);
const { model, scoreThreshold, nmsIou } = detectorConfigSchema.parse({});
const det = { scoreThreshold, nmsIou: values.nms && values.replay ? Number(values.nms) : nmsIou };
const camera = (values.camera ? JSON.parse(values.camera) : {}) as Partial<CameraConfigInput>;
const clips: EvalClip[] = [];
for (let i = EVAL_CLIPS.tuning; clips.length < count; i++)
  if (FAMILIES[i % FAMILIES.length] === family) clips.push(makeClip('tuning', i));

const people = values.replay ? [] : await loadEvalPeople();
const detector = values.replay
  ? null
  : await createPersonDetector({
      model,
      scoreThreshold: Math.min(RECORD_SCORE, scoreThreshold),
      iouThreshold: Math.max(RECORD_NMS, nmsIou),
      threads: 1,
      poolSize: 1,
    });
const results: EvalResult[] = [];
for (const clip of clips) {
  let r: EvalResult;
  if (detector) {
    const run = await runEvalClip(detector, clip, await ensureClipVideo(join(root, 'clips'), clip, people), det);
    saveRecording(dir, clip, run.recording);
    r = run.result;
  } else {
    const rec = loadRecording(dir, clip);
    if (!rec) throw new Error(`${clip.name}: nothing recorded; run once without --replay`);
    r = await replayEvalClip(clip, rec, det, camera);
  }
  results.push(r);
  const ok = r.got.in === r.expected.in && r.got.out === r.expected.out;
  console.log(
    `${clip.name.padEnd(24)} expected ${JSON.stringify(r.expected)} got ${JSON.stringify(r.got)}${ok ? '' : '  <-- wrong'}`,
  );
}
await detector?.close();

for (const name of values.log?.split(',') ?? []) {
  const clip = clips.find((c) => c.name === name);
  const rec = clip && loadRecording(dir, clip);
  if (!clip || !rec) throw new Error(`--log ${name}: not a recorded clip of this study`);
  console.log(`\n== ${name} line ${JSON.stringify(clip.line)}`);
  clip.walkers.forEach((w, i) => {
    const ds = w.feet.flatMap((p, f) => (p ? [`${f}:${signedDistance(clip.line, p).toFixed(0)}`] : []));
    console.log(`  walker ${i} in ${w.in} out ${w.out}: ${ds.join(' ')}`);
  });
  const tracks = new Map<number, string[]>();
  await replayEvalClip(clip, rec, det, camera, (p, f) => {
    for (const t of p.tracker.all()) {
      const d = signedDistance(clip.line, anchorPoint(t.box, p.config.anchor));
      const l = tracks.get(t.id) ?? [];
      l.push(
        `${f.index}:${t.state[0]}${t.missed ? `-${t.missed}` : ''}@${t.score.toFixed(2)} d=${d.toFixed(0)} h=${t.box.height.toFixed(0)}`,
      );
      tracks.set(t.id, l);
    }
  });
  for (const [id, l] of tracks) console.log(`  track ${id}: ${l.join(' | ')}`);
}

const s = score(results);
console.log(
  JSON.stringify({
    family,
    clips: results.length,
    accuracy: Math.round(s.accuracy * 1e4) / 1e4,
    misses: s.misses,
    false: s.falseCounts,
    truth: s.truth,
  }),
);
