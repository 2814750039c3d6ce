import { describe, expect, it } from 'vitest';
import { MotionGate } from './motion-gate';

const frame = (w: number, h: number, fill: (x: number, y: number) => number) => {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = fill(x, y);
      data.set([v, v, v], (y * w + x) * 3);
    }
  return { data, width: w, height: h };
};

describe('MotionGate', () => {
  it('sees a moving block and ignores a static scene and sensor noise', () => {
    const g = new MotionGate();
    expect(g.hasMotion(frame(320, 180, () => 100))).toBe(true); // first frame
    expect(g.hasMotion(frame(320, 180, (x, y) => 100 + ((x * 7 + y * 3) % 5)))).toBe(false);
    expect(g.hasMotion(frame(320, 180, (x, y) => (x > 100 && x < 140 && y > 40 && y < 120 ? 230 : 100)))).toBe(true);
    expect(g.hasMotion(frame(320, 180, (x, y) => (x > 100 && x < 140 && y > 40 && y < 120 ? 230 : 100)))).toBe(false);
  });

  it('against the last detected frame, slow change adds up instead of hiding under the per-frame threshold', () => {
    const g = new MotionGate();
    const at = (level: number) => frame(320, 180, (x) => (x < 160 ? 100 + level : 100));
    expect(g.changedSinceReference(at(0))).toBe(true); // first frame
    g.accept();
    // 10 grey levels a frame is below the pixel threshold (18) frame to frame...
    expect(g.hasMotion(at(0))).toBe(true);
    expect(g.hasMotion(at(10))).toBe(false);
    expect(g.changedSinceReference(at(10))).toBe(false);
    // ...but 20 levels since the reference is motion
    expect(g.changedSinceReference(at(20))).toBe(true);
    g.accept();
    expect(g.changedSinceReference(at(20))).toBe(false);
  });
});
