// The committed match threshold is what the calibration rule picks on the TUNING split, and on
// the HELD-OUT split (people never tuned on) it accepts no impostor and most genuine pictures,
// through the till's real path (ONNX models → frame rules → 1:N index). Figures in
// docs/members-face.md; `npx tsx test/face/face-calibration.ts` prints them all.
import { describe, expect, it } from 'vitest';
import { FACE_MATCH_THRESHOLD } from '../../app/core';
import { chooseThreshold, embeddedDataset, evaluateSplit } from './face-calibration';

describe('face match threshold', () => {
  it('is the tuning split’s choice, and on the held-out split accepts no impostor and ≥ 90 % of genuine pictures', async () => {
    const all = await embeddedDataset();
    const tuning = all.filter((e) => e.shot.split === 'tuning');
    const heldout = all.filter((e) => e.shot.split === 'heldout');
    expect(chooseThreshold(tuning)).toBe(FACE_MATCH_THRESHOLD);
    const r = evaluateSplit(heldout, FACE_MATCH_THRESHOLD);
    expect(r.impostorPairs).toBeGreaterThan(500);
    expect(r.falseAcceptRate).toBe(0);
    expect(r.wrongCandidate).toBe(0);
    expect(r.trueAcceptRate).toBeGreaterThanOrEqual(0.9);
    expect(r.rank1).toBeGreaterThanOrEqual(0.9);
  }, 900_000);
});
