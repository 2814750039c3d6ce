import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteTracker } from './byte-tracker';

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

  it('second stage: low-score detections keep an existing track but never start one', () => {
    const t = new ByteTracker({ minHits: 2, highScore: 0.5, lowScore: 0.1 });
    t.update([{ box: box(100, 100), score: 0.9 }]);
    t.update([{ box: box(102, 100), score: 0.9 }]);
    const tr = t.update([
      { box: box(104, 100), score: 0.2 },
      { box: box(400, 100), score: 0.3 },
    ]);
    expect(tr).toHaveLength(1);
    expect(tr[0]!.missed).toBe(0);
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
