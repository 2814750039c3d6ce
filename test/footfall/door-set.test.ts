// Count accuracy on the generated door videos (real people composited over a drawn entrance,
// encoded with ffmpeg at test time), through ffmpeg decode, the real detector, tracker and
// counter. Ground truth comes from the generator's paths.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPersonDetector, type PersonDetector } from '../../models';
import { countAccuracy, countClip, writeDoorSet, type ClipResult, type DoorClip } from '../../edge-agent/testing';

let clips: DoorClip[];
let detector: PersonDetector;
const results: ClipResult[] = [];

beforeAll(async () => {
  clips = await writeDoorSet(mkdtempSync(join(tmpdir(), 'door-set-')));
  detector = await createPersonDetector({ model: 'centernet-384', scoreThreshold: 0.2, threads: 1 });
});
afterAll(async () => {
  await detector?.close();
});

describe('generated door set', () => {
  const expected: Record<string, { in: number; out: number }> = {
    'single-in': { in: 1, out: 0 },
    'single-out': { in: 0, out: 1 },
    'pair-in': { in: 2, out: 0 },
    'pair-out': { in: 0, out: 2 },
    'u-turn': { in: 1, out: 1 }, // over the line and back: both legs count
    'linger-in': { in: 1, out: 0 },
    'outside-segment': { in: 0, out: 0 },
    'in-then-out': { in: 1, out: 1 },
  };

  it('the generator ground truth is what each scenario means', () => {
    expect(Object.fromEntries(clips.map((c) => [c.name, c.expected]))).toEqual(expected);
  });

  for (const name of Object.keys(expected)) {
    it(`${name}: counts ${JSON.stringify(expected[name])}`, async () => {
      const clip = clips.find((c) => c.name === name)!;
      // sampled at 4 fps (the clips are 6 fps) to keep the suite's CPU time down; the bench runs 6
      const r = await countClip(detector, clip, 4);
      results.push(r);
      expect(r.got).toEqual(expected[name]);
    });
  }

  it('overall count accuracy is at least 95 %', () => {
    expect(results).toHaveLength(Object.keys(expected).length);
    expect(countAccuracy(results)).toBeGreaterThanOrEqual(0.95);
  });
});
