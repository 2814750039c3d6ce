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
import { detectorConfigSchema, type CameraConfigInput } from '../pipeline';
import { resultLine, TrackLog, walkerLines } from './eval-log';
import { loadEvalPeople } from './eval-people';
import {
  createRecordingDetector,
  ensureClipVideo,
  loadRecording,
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
const detector = values.replay ? null : await createRecordingDetector(model, det);
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
  console.log(resultLine(r));
}
await detector?.close();

for (const name of values.log?.split(',') ?? []) {
  const clip = clips.find((c) => c.name === name);
  const rec = clip && loadRecording(dir, clip);
  if (!clip || !rec) throw new Error(`--log ${name}: not a recorded clip of this study`);
  const log = new TrackLog(clip);
  await replayEvalClip(clip, rec, det, camera, (p, f) => log.note(p, f.index));
  console.log(`\n== ${name} line ${JSON.stringify(clip.line)}`);
  for (const l of [...walkerLines(clip), ...log.lines()]) console.log(l);
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
