// How much of each walker the camera sees (issue 18), on hand-made clips with block-shaped people:
// a walker straight behind a nearer one is hidden, one half out of the picture is half in view,
// the occluder hides what it covers; and scoring with the hidden crossings set aside puts a
// clip's misses down to its hidden crossings first, never its false counts.
import { describe, expect, it } from 'vitest';
import {
  detectorRecall,
  evalSplit,
  scoreSeen,
  viewsAtLine,
  walkerViews,
  type EvalClip,
  type EvalResult,
  type MattedPerson,
} from '../../edge-agent/testing';

/** A 10 × 20 block person (matte 1 everywhere). */
const block = (id: string): MattedPerson => ({
  id,
  width: 10,
  height: 20,
  rgb: new Uint8Array(10 * 20 * 3),
  alpha: new Float32Array(10 * 20).fill(1),
  matte: 'prior',
});

/** A clip whose perspective is flat: people are 100 px tall (and 50 wide) everywhere. */
function clip(
  walkers: Array<{ feet: Array<{ x: number; y: number } | null>; in?: number }>,
  occluder = false,
): EvalClip {
  const base = evalSplit('tuning', 1)[0]!;
  return {
    ...base,
    frames: walkers[0]!.feet.length,
    line: { x1: 0, y1: 200, x2: 640, y2: 200 },
    scene: {
      ...base.scene,
      yFar: 0,
      hFar: 100,
      hNear: 100,
      occluder: occluder ? { x: 300, y: 100, width: 25, height: 100, colour: [0, 0, 0] } : null,
    },
    walkers: walkers.map((w, i) => ({
      person: `p${i}`,
      flip: false,
      tint: [1, 1, 1],
      blur: 0,
      size: 1,
      feet: w.feet,
      in: w.in ?? 1,
      out: 0,
    })),
  };
}
const people = [block('p0'), block('p1')];

describe('walker views', () => {
  it('hides a walker behind a nearer one and shows it again once it steps clear', () => {
    const c = clip([
      {
        feet: [
          { x: 300, y: 195 },
          { x: 300, y: 195 },
        ],
      }, // further up the picture: painted first
      {
        feet: [
          { x: 300, y: 205 },
          { x: 400, y: 205 },
        ],
      },
    ]);
    const v = walkerViews(c, people);
    expect(v[1]![0]!.view).toBe(1);
    expect(v[0]![0]!.view).toBeLessThan(0.15); // only its top 10 rows show over the nearer head
    expect(v[0]![1]!.view).toBe(1);
    expect(v[0]![0]!.box).toEqual({ x: 275, y: 95, width: 50, height: 100 });
    expect(viewsAtLine(c, v)).toEqual([1, 1]);
  });

  it('counts the part outside the picture and under the occluder as not in view', () => {
    const out = clip([{ feet: [{ x: 0, y: 200 }] }]);
    expect(walkerViews(out, people)[0]![0]!.view).toBeCloseTo(0.5, 2);
    expect(walkerViews(out, people)[0]![0]!.box).toEqual({ x: 0, y: 100, width: 25, height: 100 });
    const hidden = clip([{ feet: [{ x: 300, y: 200 }] }], true);
    expect(walkerViews(hidden, people)[0]![0]!.view).toBeCloseTo(0.5, 2);
    const gone = clip([{ feet: [null] }]);
    expect(walkerViews(gone, people)[0]![0]).toBeNull();
  });

  it('takes the best view within a metre of the line, not the best anywhere', () => {
    // 100 px tall = 1.7 m, so a metre is about 59 px: feet 150 px from the line do not count
    const c = clip([
      {
        feet: [
          { x: 300, y: 195 },
          { x: 300, y: 50 },
        ],
      },
      {
        feet: [
          { x: 300, y: 205 },
          { x: 300, y: 205 },
        ],
      },
    ]);
    expect(viewsAtLine(c, walkerViews(c, people))[0]).toBeLessThan(0.15);
  });
});

describe("the detector's recall near the line", () => {
  // walker 0 stands 60 px behind walker 1 (further up the picture), both on the line's metre
  const c = clip([
    {
      feet: [
        { x: 300, y: 170 },
        { x: 300, y: 170 },
        { x: 300, y: 170 },
      ],
    },
    {
      feet: [
        { x: 320, y: 230 },
        { x: 320, y: 230 },
        { x: 320, y: 230 },
      ],
    },
  ]);
  const views = walkerViews(c, people);
  const box = (x: number, y: number, width: number, height: number) => ({ box: { x, y, width, height }, score: 0.5 });
  const rec = [
    { index: 0, dets: [box(275, 70, 50, 100), box(295, 130, 50, 100)] }, // both walkers
    { index: 1, dets: [box(280, 70, 65, 160)] }, // one tall box, head of the back walker to feet of the front one
    { index: 2, dets: [box(295, 130, 50, 100), { ...box(275, 70, 50, 100), score: 0.05 }] }, // back one under the floor
  ];

  it('credits a box to one walker only, and not a box spanning two stacked walkers', () => {
    const r = detectorRecall(c, views, rec, { minScore: 0.1, minIou: 0.4 });
    expect(r.walkers.map((w) => [w.found, w.near])).toEqual([
      [1, 3],
      [2, 3],
    ]);
    expect(r.buckets.reduce((n, b) => n + b.near, 0)).toBe(6);
  });
});

describe('scoring with hidden crossings set aside', () => {
  const c = clip([
    { feet: [{ x: 300, y: 195 }], in: 1 },
    { feet: [{ x: 300, y: 205 }], in: 1 },
  ]);
  const views = new Map([[c.name, { clip: c, views: viewsAtLine(c, walkerViews(c, people)) }]]);
  const result = (got: number): EvalResult => ({
    name: c.name,
    family: c.family,
    split: 'tuning',
    expected: { in: 2, out: 0 },
    got: { in: got, out: 0 },
    frames: 1,
    seconds: 0,
  });

  it('puts a miss down to the hidden walker first', () => {
    const s = scoreSeen([result(1)], views);
    expect(s).toMatchObject({ truth: 2, hidden: 1, misses: 1, missesOfSeen: 0, falseCounts: 0, accuracySeen: 1 });
    expect(scoreSeen([result(0)], views)).toMatchObject({ missesOfSeen: 1, accuracySeen: 0 });
  });

  it('keeps every false count', () => {
    expect(scoreSeen([result(3)], views)).toMatchObject({ falseCounts: 1, missesOfSeen: 0, accuracySeen: 0 });
  });
});
