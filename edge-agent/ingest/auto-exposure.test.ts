// Auto-exposure lifts a dim door picture for the detector the way a camera's own auto-exposure
// would, and leaves a normally lit one exactly as it is.
import { describe, expect, it } from 'vitest';
import { applyGain, AutoExposure, exposureGain, lumaPercentile } from './auto-exposure';

/** A grey frame whose level runs from `lo` at the left edge to `hi` at the right. */
const ramp = (lo: number, hi: number, w = 200, h = 100) => {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      data.fill(Math.round(lo + ((hi - lo) * x) / (w - 1)), (y * w + x) * 3, (y * w + x) * 3 + 3);
  return { data, width: w, height: h };
};

describe('auto-exposure', () => {
  it('lifts a dim frame so its bright end reaches a normal level', () => {
    const dim = ramp(5, 60);
    const ae = new AutoExposure();
    const gain = ae.update(dim);
    expect(gain).toBeGreaterThan(2);
    const lifted = applyGain(dim, gain);
    expect(lumaPercentile(lifted, 0.95)).toBeGreaterThan(lumaPercentile(dim, 0.95) * 2);
    // a gain, not a stretch: black stays black-ish and the order of grey levels is kept
    expect(lifted.data[0]).toBe(Math.round(5 * gain));
  });

  it('leaves a normally lit frame untouched (the same pixels, not a copy)', () => {
    const normal = ramp(20, 220);
    const ae = new AutoExposure();
    expect(ae.update(normal)).toBe(1);
    expect(applyGain(normal, 1)).toBe(normal);
  });

  it('never darkens a bright frame and caps the gain on a black one', () => {
    expect(exposureGain(ramp(200, 255))).toBe(1);
    expect(exposureGain(ramp(0, 0))).toBe(3);
  });

  it('rises over a few frames when the door goes dim, and drops at once when it brightens', () => {
    const ae = new AutoExposure();
    expect(ae.update(ramp(20, 240))).toBe(1);
    const rising = [1, 2, 3, 4, 5, 6, 7, 8].map(() => ae.update(ramp(5, 60)));
    expect(rising[0]).toBeGreaterThan(1);
    expect(rising[0]).toBeLessThan(exposureGain(ramp(5, 60)) * 0.7); // not all at once
    for (let i = 1; i < rising.length; i++) expect(rising[i]).toBeGreaterThan(rising[i - 1]!);
    expect(rising.at(-1)).toBeCloseTo(exposureGain(ramp(5, 60)), 0);
    expect(ae.update(ramp(20, 240))).toBe(1); // lights on: no burnt-out frame
    ae.reset();
    expect(ae.update(ramp(5, 60))).toBeCloseTo(exposureGain(ramp(5, 60)), 5); // a new session settles at once
  });

  it('measures the door region only: a bright shop window beside a dark door does not hide it', () => {
    const w = 200;
    const f = ramp(5, 60, w);
    for (let y = 0; y < 100; y++) f.data.fill(250, (y * w + 150) * 3, (y * w + w) * 3); // window on the right
    expect(exposureGain(f)).toBeLessThan(1.1);
    expect(exposureGain(f, {}, { x: 0, y: 0, width: 140, height: 100 })).toBeGreaterThan(2);
  });

  it('keeps the alpha channel of an RGBA frame', () => {
    const data = new Uint8Array(4 * 4 * 4).fill(40);
    const out = applyGain({ data, width: 4, height: 4, channels: 4 }, 2);
    expect(out.data[0]).toBe(80);
    expect(out.data[3]).toBe(40);
  });
});
