// `npm run bench -- members-face`: face lookup speed.
//   face_match_100k_ms  p99 of one 1:N search over 100,000 templates that are encrypted at rest
//                       (AES-256-GCM rows in SQLite) and held decrypted in memory (target ≤ 10)
//   face_identify_ms    p99 of frame (JPEG) → candidates after warm-up: decode, BlazeFace,
//                       anti-spoof, liveness, FaceRes, frame rules, 1:N over the same 100k (target ≤ 250)
// Templates are random unit vectors (speed does not depend on faces; see the mix below); each probe is a planted
// near-copy (cosine 0.8) of a random member, so the run also reports the shortlist's recall.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FACE_MATCH_THRESHOLD,
  FaceTemplates,
  judgeFrame,
  loadFaceKey,
  MIGRATIONS,
  openSqlite,
  runMigrations,
} from '../../app/core';
import { createTillFaceEmbedder } from '../../app/till';
import { buildFaceDataset } from '../face/face-dataset';

const COUNT = Number(process.argv[3] ?? 100_000);
const DIMS = 1024;
const TARGETS = { face_match_100k_ms: 10, face_identify_ms: 250 };

let seed = 12345;
const rand = () => {
  // Math.imul: the plain product passes 2^53 and loses bits, and the generator then falls into
  // short cycles (repeated "random" bases, so many members were near-copies of each other).
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
  return seed / 0x7fffffff - 0.5;
};
const unit = (v: Float32Array) => {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  return v.map((x) => x / n);
};
const randomUnit = () => unit(Float32Array.from({ length: DIMS }, rand));
function near(v: Float32Array, cos: number): Float32Array {
  const noise = randomUnit();
  let d = 0;
  for (let i = 0; i < DIMS; i++) d += (noise[i] as number) * (v[i] as number);
  const orth = unit(noise.map((x, i) => x - d * (v[i] as number)));
  return unit(v.map((x, i) => cos * x + Math.sqrt(1 - cos * cos) * (orth[i] as number)));
}
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? NaN;
const round = (x: number) => Math.round(x * 100) / 100;

const dir = mkdtempSync(join(tmpdir(), 'pos-bench-face-'));
try {
  const db = openSqlite(join(dir, 'terminal.db'));
  runMigrations(db, MIGRATIONS);
  const key = loadFaceKey(dir);
  // Enrol COUNT members (sealed rows), then load them the way a till starts: decrypt every row.
  let t0 = performance.now();
  const writer = new FaceTemplates(db, key, 'faceres');
  const sample: { id: string; v: Float32Array }[] = [];
  // Projecting 100k templates costs 13 G multiply-adds; the projection is linear, so templates are
  // built as normalised mixes of 4,000 random bases whose projections are computed once.
  const BASES = 4_000;
  const bases = Array.from({ length: BASES }, randomUnit);
  const baseProj = bases.map((b) => writer.index.projectionOf(b));
  const pick = () => Math.floor((rand() + 0.5) * BASES) % BASES;
  db.transaction(() => {
    for (let i = 0; i < COUNT; i++) {
      const [a, b, c] = [pick(), pick(), pick()];
      const mix = (xs: Float32Array[]) => {
        const out = new Float32Array(xs[0]!.length);
        for (let j = 0; j < out.length; j++) out[j] = xs[0]![j]! + 0.6 * xs[1]![j]! + 0.3 * xs[2]![j]!;
        return out;
      };
      const raw = mix([bases[a]!, bases[b]!, bases[c]!]);
      let n = 0;
      for (const x of raw) n += x * x;
      n = Math.sqrt(n);
      const v = raw.map((x) => x / n);
      const p = mix([baseProj[a]!, baseProj[b]!, baseProj[c]!]).map((x) => x / n);
      writer.put(`M${i}`, v, { chainWide: false, at: '2026-12-05T00:00:00Z', staffId: 'bench' }, p);
      if (i % Math.ceil(COUNT / 200) === 0) sample.push({ id: `M${i}`, v });
    }
  })();
  const enrolMs = performance.now() - t0;
  t0 = performance.now();
  const store = new FaceTemplates(db, key, 'faceres');
  const loadMs = performance.now() - t0;
  if (store.index.size !== COUNT) throw new Error(`loaded ${store.index.size} of ${COUNT}`);

  const times: number[] = [];
  let found = 0;
  for (const [n, s] of sample.entries()) {
    const probe = near(s.v, 0.8);
    const t = performance.now();
    const hits = store.index.search(probe, { threshold: FACE_MATCH_THRESHOLD, limit: 3 });
    const ms = performance.now() - t;
    if (n >= 5) times.push(ms); // first searches warm the JIT
    if (hits[0]?.memberId === s.id) found++;
  }

  // Frame → candidates on a real photo, through the till's ONNX embedder.
  const embedder = createTillFaceEmbedder({ threads: 2 });
  const shots = await buildFaceDataset();
  const frame = shots.find((s) => s.role === 'enrol' && s.person === 'sample1-0')!.jpeg;
  const identify: number[] = [];
  for (let i = 0; i < 23; i++) {
    const t = performance.now();
    const verdict = judgeFrame(await embedder.analyze(frame));
    if (!verdict.ok) throw new Error(`bench frame refused: ${verdict.reason}`);
    store.index.search(verdict.embedding, { threshold: FACE_MATCH_THRESHOLD, limit: 3 });
    if (i >= 3) identify.push(performance.now() - t);
  }
  await embedder.close();
  db.close();

  const mem = process.memoryUsage();
  console.log(
    `${COUNT} templates: enrol ${Math.round(enrolMs)} ms, load (decrypt all) ${Math.round(loadMs)} ms; ${times.length} searches; planted match found ${found}/${sample.length}; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  const out = {
    templates: COUNT,
    face_match_100k_ms: round(pct(times, 99)),
    face_match_p50_ms: round(pct(times, 50)),
    face_match_recall: round(found / sample.length),
    face_identify_ms: round(pct(identify, 99)),
    face_identify_p50_ms: round(pct(identify, 50)),
    templates_load_ms: Math.round(loadMs),
    rss_mb: Math.round(mem.rss / 1e6),
    targets: TARGETS,
    load_average_1m: round(loadavg()[0] ?? 0),
  };
  console.log(JSON.stringify(out));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
