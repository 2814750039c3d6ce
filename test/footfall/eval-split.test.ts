// The evaluation generator (issue 18): the split is fixed by its seeds, the same every run, and
// the tuning and held-out parts share no clip seed, no person and no background; the ground
// truth follows the scripts (a U-turn over the line is in + out, a crossing beside the segment
// counts nothing).
import { describe, expect, it } from 'vitest';
import { EVAL_CLIPS, EVAL_CUTS, PEOPLE_SPLIT, evalSplit, priorMatte, trueCrossings } from '../../edge-agent/testing';

describe('footfall evaluation split', () => {
  it('is deterministic: the same clips, scripts and truth every time', () => {
    const a = evalSplit('tuning', 12);
    const b = evalSplit('tuning', 12);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(evalSplit('heldout', 3).map((c) => c.seed)).toEqual(evalSplit('heldout', 3).map((c) => c.seed));
  });

  it('tuning and held-out share no seed, no person and no background', () => {
    const t = evalSplit('tuning', EVAL_CLIPS.tuning);
    const h = evalSplit('heldout', EVAL_CLIPS.heldout);
    const tSeeds = new Set(t.map((c) => c.seed));
    expect(h.some((c) => tSeeds.has(c.seed))).toBe(false);
    const tBg = new Set(t.map((c) => c.scene.bgSeed));
    expect(h.some((c) => tBg.has(c.scene.bgSeed))).toBe(false);
    const tPeople = new Set(t.flatMap((c) => c.walkers.map((w) => w.person)));
    const hPeople = new Set(h.flatMap((c) => c.walkers.map((w) => w.person)));
    expect([...hPeople].filter((p) => tPeople.has(p))).toEqual([]);
    expect([...tPeople].every((p) => (PEOPLE_SPLIT.tuning as readonly string[]).includes(p))).toBe(true);
    // every pinned person belongs to exactly one part
    const all = [...PEOPLE_SPLIT.tuning, ...PEOPLE_SPLIT.heldout];
    expect(new Set(all).size).toBe(EVAL_CUTS.length);
  });

  it('covers every family in both parts with crossings to count, people 60-250 px tall', () => {
    for (const split of ['tuning', 'heldout'] as const) {
      const clips = evalSplit(split, 40);
      expect(new Set(clips.map((c) => c.family)).size).toBe(9);
      expect(clips.reduce((a, c) => a + c.expected.in + c.expected.out, 0)).toBeGreaterThan(50);
      for (const c of clips) {
        expect(c.scene.hFar).toBeGreaterThanOrEqual(60);
        expect(c.scene.hNear).toBeLessThanOrEqual(250);
        expect(c.frames).toBeLessThanOrEqual(90);
      }
    }
  });

  it('ground truth: a U-turn over the line is in + out, a crossing beside the segment is nothing', () => {
    const line = { x1: 100, y1: 200, x2: 500, y2: 200 };
    const k = () => 100; // 100 px per metre: hysteresis 12 px
    const ys = (x: number, v: number[]) => v.map((y) => ({ x, y }));
    expect(trueCrossings(ys(300, [100, 150, 190, 230, 260, 230, 190, 150, 100]), line, k)).toEqual({ in: 1, out: 1 });
    expect(trueCrossings(ys(300, [100, 150, 195, 205, 195, 150]), line, k)).toEqual({ in: 0, out: 0 });
    expect(trueCrossings(ys(560, [100, 150, 250, 300]), line, k)).toEqual({ in: 0, out: 0 });
    expect(trueCrossings(ys(300, [300, 250, 150, 100]), line, k)).toEqual({ in: 0, out: 1 });
  });

  it('the fallback prior matte is soft and person-shaped: corners transparent, the body centre opaque', () => {
    const w = 60;
    const h = 150;
    const rgb = new Uint8Array(w * h * 3).fill(200);
    for (let y = 20; y < h; y++) for (let x = 15; x < 45; x++) rgb.fill(40, (y * w + x) * 3, (y * w + x) * 3 + 3);
    const a = priorMatte(rgb, w, h);
    expect(a[0]).toBeLessThan(0.05);
    expect(a[w * h - 1]).toBeLessThan(0.05);
    expect(a[Math.floor(h * 0.6) * w + w / 2]).toBeGreaterThan(0.95);
  });
});
