// Calibrates the face match threshold on the TUNING split of face-dataset.ts and reports the
// HELD-OUT split, through the till's own path (createTillFaceEmbedder → judgeFrame → FaceIndex).
//
//   npx tsx test/face/face-calibration.ts     → JSON: chosen threshold, tuning and held-out figures
//
// Rule (tuning only): the lowest threshold with no false accept among tuning impostor pairs,
// plus a 0.05 margin for people the tuning set does not contain, rounded up to 0.01. The
// committed FACE_MATCH_THRESHOLD (app/core/face/face-policy.ts) is what this printed;
// face-calibration.test.ts re-runs the held-out evaluation with the committed value.
import { FaceIndex, judgeFrame } from '../../app/core';
import { createTillFaceEmbedder } from '../../app/till';
import { buildFaceDataset, type FaceShot, type Split } from './face-dataset';

export interface Embedded {
  shot: FaceShot;
  embedding: Float32Array | null;
  refused: string | null;
}

export interface SplitReport {
  people: number;
  enrolled: number;
  probes: number;
  refusedFrames: Record<string, string>;
  genuinePairs: number;
  impostorPairs: number;
  genuineScores: { min: number; median: number; max: number };
  impostorScores: { min: number; median: number; max: number };
  /** Genuine pairs of two different photos of one person: how many, and accepted at the threshold. */
  differentPhotoPairs: { pairs: number; accepted: number; scores: number[] };
  /** At the threshold: genuine probes accepted / genuine probes compared. */
  trueAcceptRate: number;
  /** At the threshold: impostor pairs accepted / impostor pairs. */
  falseAcceptRate: number;
  /** Probes of people with no usable enrolment picture (their enrolment frame was refused). */
  probesNotEnrolled: number;
  /** Of the probes of enrolled people: own person is the first candidate (1:N over this split's gallery). */
  rank1: number;
  /** Probes with a wrong person among the candidates. */
  wrongCandidate: number;
}

export async function embedShots(shots: FaceShot[]): Promise<Embedded[]> {
  const embedder = createTillFaceEmbedder({ threads: 2 });
  try {
    const out: Embedded[] = [];
    for (const shot of shots) {
      const verdict = judgeFrame(await embedder.analyze(shot.jpeg));
      out.push(
        verdict.ok
          ? { shot, embedding: verdict.embedding, refused: null }
          : { shot, embedding: null, refused: verdict.reason },
      );
    }
    return out;
  } finally {
    await embedder.close();
  }
}

const dot = (a: Float32Array, b: Float32Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
};
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const r = (x: number | undefined) => Math.round((x ?? NaN) * 1000) / 1000;
  return { min: r(s[0]), median: r(s[Math.floor(s.length / 2)]), max: r(s[s.length - 1]) };
};

function pairs(items: Embedded[]) {
  const gallery = items.filter((e) => e.shot.role === 'enrol' && e.embedding);
  const probes = items.filter((e) => e.shot.role === 'probe' && e.embedding);
  const genuine: number[] = [];
  const impostor: number[] = [];
  /** Genuine pairs from two different photos (the man of the face-match mosaic). */
  const genuineOther: number[] = [];
  for (const p of probes)
    for (const g of gallery) {
      const s = dot(p.embedding!, g.embedding!);
      (g.shot.person === p.shot.person ? genuine : impostor).push(s);
      if (g.shot.person === p.shot.person && p.shot.person.startsWith('man-')) genuineOther.push(s);
    }
  return { gallery, probes, genuine, impostor, genuineOther };
}

export function chooseThreshold(tuning: Embedded[]): number {
  const { impostor } = pairs(tuning);
  const worst = Math.max(...impostor);
  return Math.ceil((worst + 0.05) * 100) / 100;
}

export function evaluateSplit(items: Embedded[], threshold: number): SplitReport {
  const { gallery, probes, genuine, impostor, genuineOther } = pairs(items);
  const index = new FaceIndex(1024);
  for (const g of gallery) index.set(g.shot.person, g.embedding!);
  let rank1 = 0;
  let wrong = 0;
  let notEnrolled = 0;
  for (const p of probes) {
    const found = index.search(p.embedding!, { threshold, limit: 3 });
    if (!index.has(p.shot.person)) notEnrolled++;
    else if (found[0]?.memberId === p.shot.person) rank1++;
    if (found.some((f) => f.memberId !== p.shot.person)) wrong++;
  }
  const refusedFrames: Record<string, string> = {};
  for (const e of items) if (e.refused) refusedFrames[e.shot.label] = e.refused;
  return {
    people: new Set(items.map((e) => e.shot.person)).size,
    enrolled: gallery.length,
    probes: probes.length,
    refusedFrames,
    genuinePairs: genuine.length,
    impostorPairs: impostor.length,
    genuineScores: stats(genuine),
    impostorScores: stats(impostor),
    differentPhotoPairs: {
      pairs: genuineOther.length,
      accepted: genuineOther.filter((x) => x >= threshold).length,
      scores: genuineOther.map((x) => Math.round(x * 1000) / 1000),
    },
    trueAcceptRate: Math.round((genuine.filter((s) => s >= threshold).length / genuine.length) * 1000) / 1000,
    falseAcceptRate: Math.round((impostor.filter((s) => s >= threshold).length / impostor.length) * 10000) / 10000,
    probesNotEnrolled: notEnrolled,
    rank1: Math.round((rank1 / (probes.length - notEnrolled)) * 1000) / 1000,
    wrongCandidate: wrong,
  };
}

export async function embeddedDataset(split?: Split): Promise<Embedded[]> {
  const shots = await buildFaceDataset();
  return embedShots(split ? shots.filter((s) => s.split === split) : shots);
}

if (process.argv[1]?.endsWith('face-calibration.ts')) {
  const all = await embeddedDataset();
  const tuning = all.filter((e) => e.shot.split === 'tuning');
  const heldout = all.filter((e) => e.shot.split === 'heldout');
  const threshold = chooseThreshold(tuning);
  console.log(
    JSON.stringify(
      { threshold, tuning: evaluateSplit(tuning, threshold), heldout: evaluateSplit(heldout, threshold) },
      null,
      2,
    ),
  );
}
