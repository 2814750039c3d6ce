import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteTracker } from './byte-tracker';
import { LineCounter } from '../counting';

const box = (x: number, y: number, w = 40, h = 100) => ({ x, y, width: w, height: h });

describe('ByteTracker', () => {
  it('confirms a track after minHits and keeps its id while it walks', () => {
    const t = new ByteTracker({ minHits: 3 });
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) {
      const tracks = t.update([{ box: box(100, 50 + i * 10), score: 0.8 }]);
      expect(tracks).toHaveLength(1);
      ids.push(tracks[0]!.id);
      expect(tracks[0]!.state).toBe(i < 2 ? 'tentative' : 'confirmed');
    }
    expect(new Set(ids).size).toBe(1);
  });

  it('a one-frame false positive never becomes confirmed', () => {
    const t = new ByteTracker({ minHits: 3 });
    t.update([{ box: box(10, 10), score: 0.9 }]);
    t.update([]);
    expect(t.all()).toHaveLength(0);
    expect(t.removed).toEqual([1]);
  });

  it('bridges a gap with the Kalman prediction (lost buffer) and keeps the id', () => {
    const t = new ByteTracker({ minHits: 2, maxLost: 5 });
    for (let i = 0; i < 5; i++) t.update([{ box: box(100 + i * 12, 100), score: 0.9 }]);
    for (let i = 5; i < 8; i++) expect(t.update([])[0]!.state).toBe('lost');
    const back = t.update([{ box: box(100 + 8 * 12, 100), score: 0.9 }]);
    expect(back).toHaveLength(1);
    expect(back[0]!.id).toBe(1);
    expect(back[0]!.state).toBe('confirmed');
  });

  it('drops a track after maxLost frames', () => {
    const t = new ByteTracker({ minHits: 1, maxLost: 3 });
    t.update([{ box: box(0, 0), score: 0.9 }]);
    for (let i = 0; i < 3; i++) t.update([]);
    expect(t.all()).toHaveLength(1);
    t.update([]);
    expect(t.all()).toHaveLength(0);
    expect(t.removed).toEqual([1]);
  });

  it('second stage (low-score births off): low-score detections keep an existing track but never start one', () => {
    const t = new ByteTracker({ minHits: 2, highScore: 0.5, lowScore: 0.1, newTrackScore: 0.5, lowBirthScore: 0 });
    t.update([{ box: box(100, 100), score: 0.9 }]);
    t.update([{ box: box(102, 100), score: 0.9 }]);
    const tr = t.update([
      { box: box(104, 100), score: 0.2 },
      { box: box(400, 100), score: 0.3 },
    ]);
    expect(tr).toHaveLength(1);
    expect(tr[0]!.missed).toBe(0);
  });

  it('default settings: a person the detector scores 0.12-0.25 stays one confirmed track; 0.12 alone never starts one', () => {
    const t = new ByteTracker();
    for (let i = 0; i < 3; i++) t.update([{ box: box(100, 50 + i * 10), score: 0.3 }]);
    for (let i = 3; i < 15; i++) {
      const tr = t.update([{ box: box(100, 50 + i * 10), score: i % 2 ? 0.12 : 0.25 }]);
      expect(tr).toHaveLength(1);
      expect(tr[0]!).toMatchObject({ id: 1, state: 'confirmed', missed: 0 });
    }
    const fresh = new ByteTracker();
    for (let i = 0; i < 5; i++) expect(fresh.update([{ box: box(300, 100), score: 0.12 }])).toHaveLength(0);
  });

  it('a walker the detector scores 0.15-0.2 in every frame gets a track, confirmed after 5 hits, not 3', () => {
    const t = new ByteTracker();
    const states: string[] = [];
    for (let i = 0; i < 7; i++) {
      const tr = t.update([{ box: box(100, 50 + i * 10), score: i % 2 ? 0.15 : 0.2 }]);
      expect(tr.map((x) => x.id)).toEqual([1]);
      states.push(tr[0]!.state);
    }
    expect(states).toEqual(['tentative', 'tentative', 'tentative', 'tentative', 'confirmed', 'confirmed', 'confirmed']);
    // ...and one hit at a normal birth score makes it an ordinary track (3 hits)
    const lifted = new ByteTracker();
    lifted.update([{ box: box(100, 50), score: 0.16 }]);
    lifted.update([{ box: box(100, 60), score: 0.4 }]);
    expect(lifted.update([{ box: box(100, 70), score: 0.16 }])[0]!.state).toBe('confirmed');
  });

  it('a low-score flicker in the background (one frame at 0.18) never becomes a confirmed track', () => {
    const t = new ByteTracker();
    t.update([{ box: box(500, 20), score: 0.18 }]);
    for (let i = 0; i < 5; i++) expect(t.update([]).filter((x) => x.state !== 'tentative')).toHaveLength(0);
    expect(t.all()).toHaveLength(0);
  });

  it('head and shoulders of a tracked shopper, scored low, do not start a second track on them', () => {
    const t = new ByteTracker();
    let tr = t.update([]);
    for (let i = 0; i < 10; i++)
      tr = t.update([
        { box: box(100, 50 + i * 10, 60, 160), score: 0.6 },
        { box: box(110, 55 + i * 10, 40, 70), score: 0.18 }, // upper body, inside the shopper's box
      ]);
    expect(tr.map((x) => x.id)).toEqual([1]);
    // a second person beside the first (mostly outside their box) still gets a track
    const pair = new ByteTracker();
    for (let i = 0; i < 10; i++)
      tr = pair.update([
        { box: box(100, 50 + i * 10, 60, 160), score: 0.6 },
        { box: box(150, 50 + i * 10, 60, 160), score: 0.18 },
      ]);
    expect(tr.filter((x) => x.state === 'confirmed').map((x) => x.id)).toEqual([1, 2]);
  });

  it('a shopper two thirds hidden behind another, scored low, still gets their own track', () => {
    const t = new ByteTracker();
    let tr = t.update([]);
    for (let i = 0; i < 10; i++)
      tr = t.update([
        { box: box(100, 50 + i * 10, 60, 160), score: 0.6 },
        { box: box(120, 45 + i * 10, 60, 160), score: 0.18 }, // 2/3 of it inside the front shopper's box
      ]);
    expect(tr.filter((x) => x.state === 'confirmed').map((x) => x.id)).toEqual([1, 2]);
  });

  it('a tentative track born at 0.3 is confirmed by low-score hits (the old tracker dropped it)', () => {
    const t = new ByteTracker({ minHits: 3 });
    t.update([{ box: box(100, 100), score: 0.3 }]);
    t.update([{ box: box(100, 110), score: 0.18 }]);
    const tr = t.update([{ box: box(100, 120), score: 0.14 }]);
    expect(tr).toHaveLength(1);
    expect(tr[0]!.state).toBe('confirmed');
  });

  it('occlusion: a walker hidden for 4 frames coasts on its motion, keeps its id and is counted once', () => {
    const t = new ByteTracker({ minHits: 3, maxLost: 8 });
    const c = new LineCounter({ line: { x1: 0, y1: 250, x2: 600, y2: 250 } });
    let frame = 0;
    const step = (dets: Array<{ box: ReturnType<typeof box>; score: number }>) => {
      const tr = t.update(dets);
      c.update(tr, frame++ * 100, t.removed);
      return tr;
    };
    for (let i = 0; i < 8; i++) step([{ box: box(200, i * 15), score: 0.6 }]); // feet 100 → 205
    for (let i = 8; i < 12; i++) expect(step([])[0]!.state).toBe('lost'); // behind a pillar over the line
    for (let i = 12; i < 18; i++) {
      const tr = step([{ box: box(200, i * 15), score: 0.5 }]); // feet 280 → 355
      expect(tr.map((x) => x.id)).toEqual([1]);
    }
    expect(c.totals()).toEqual({ in: 1, out: 0 });
  });

  it('a fast walker whose boxes no longer overlap is kept by the centre-distance second chance', () => {
    const t = new ByteTracker({ minHits: 2 });
    // 20 px wide, moving 25 px a frame sideways: no IoU between frames after the first ones
    const narrow = (x: number) => ({ x, y: 100, width: 20, height: 60 });
    // walks slowly (boxes overlap) until confirmed, then breaks into a run
    const xs = [0, 4, 8, 12, 37, 62, 87, 112, 137];
    let tr = t.update([]);
    for (const x of xs) tr = t.update([{ box: narrow(x), score: 0.6 }]);
    expect(tr.map((x) => x.id)).toEqual([1]);
    const off = new ByteTracker({ minHits: 2, maxCentreDistance: 0 });
    for (const x of xs) tr = off.update([{ box: narrow(x), score: 0.6 }]);
    expect(Math.max(...tr.map((x) => x.id))).toBeGreaterThan(1);
  });

  it('one wrong match (a neighbour half the size) does not fling the coasting track across the door', () => {
    const t = new ByteTracker({ minHits: 2, maxLost: 10 });
    for (let i = 0; i < 6; i++) t.update([{ box: box(100, 100 + i * 8, 60, 150), score: 0.6 }]);
    // a box 110 px further on and 2/3 the height: the distance second chance takes it
    t.update([{ box: box(100, 258, 40, 100), score: 0.3 }]);
    let tr = t.update([]);
    for (let i = 0; i < 8; i++) {
      const before = tr[0]!.box;
      tr = t.update([]);
      const b = tr[0]!.box;
      // coasting: at most 0.35 of its height a frame, and its size does not collapse
      expect(Math.abs(b.y + b.height / 2 - before.y - before.height / 2)).toBeLessThanOrEqual(0.35 * b.height + 1e-6);
      expect(b.height).toBeGreaterThan(50);
    }
  });

  it('a detection twice the height at the same place is not the same person', () => {
    const t = new ByteTracker({ minHits: 1 });
    t.update([{ box: box(100, 100, 40, 100), score: 0.6 }]);
    const tr = t.update([{ box: box(80, 0, 80, 200), score: 0.6 }]);
    expect(tr.map((x) => x.id).sort()).toEqual([1, 2]);
  });

  it('two people side by side keep distinct ids', () => {
    const t = new ByteTracker({ minHits: 2 });
    let tracks = t.update([]);
    for (let i = 0; i < 12; i++)
      tracks = t.update([
        { box: box(100, i * 10), score: 0.8 },
        { box: box(150, i * 10), score: 0.8 },
      ]);
    expect(tracks.map((x) => x.id).sort()).toEqual([1, 2]);
    const a = tracks.find((x) => x.id === 1)!;
    expect(a.box.x).toBeLessThan(125);
  });

  it('property: N well-separated walkers give N confirmed tracks with stable ids', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 3, max: 15 }),
        fc.integer({ min: 5, max: 20 }),
        (n, speed, frames) => {
          const t = new ByteTracker({ minHits: 3 });
          let tracks = t.update([]);
          for (let f = 0; f < frames; f++)
            tracks = t.update(Array.from({ length: n }, (_, k) => ({ box: box(k * 80, f * speed), score: 0.9 })));
          const confirmed = tracks.filter((x) => x.state === 'confirmed');
          expect(confirmed).toHaveLength(frames >= 3 ? n : 0);
          expect(new Set(tracks.map((x) => x.id)).size).toBe(n);
          expect(Math.max(...tracks.map((x) => x.id))).toBe(n);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('handles 60 people in one frame', () => {
    const t = new ByteTracker({ minHits: 1 });
    const dets = Array.from({ length: 60 }, (_, k) => ({
      box: box((k % 10) * 60, Math.floor(k / 10) * 110),
      score: 0.9,
    }));
    t.update(dets);
    expect(t.update(dets)).toHaveLength(60);
  });
});
