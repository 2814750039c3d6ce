import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatWeightFrame, parseWeightFrame } from './weight-frame';

describe('CAS-style weight frames', () => {
  it('parses status, mode, sign and units into grams', () => {
    expect(parseWeightFrame('ST,GS,+  1.234kg')).toMatchObject({ stable: true, net: false, grams: 1234, unit: 'kg' });
    expect(parseWeightFrame('US,NT,-0000.050kg')).toMatchObject({ stable: false, net: true, grams: -50 });
    expect(parseWeightFrame('ST,GS,+   250g').grams).toBe(250);
    expect(parseWeightFrame('ST,GS,+  2.000lb').grams).toBe(907);
    expect(parseWeightFrame('OL,GS,+ 99.999kg').overload).toBe(true);
  });
  it('rejects anything else with a clear error', () => {
    for (const bad of ['', 'ST,GS,', 'XX,GS,+1.0kg', 'ST,GS,+1.0stone', 'ST,GS,+1.2.3kg'])
      expect(() => parseWeightFrame(bad)).toThrow(/not a weight frame/);
  });
  it('round-trips any weight (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -999_999, max: 999_999 }), fc.boolean(), fc.boolean(), (g, stable, net) => {
        const f = parseWeightFrame(formatWeightFrame({ grams: g, stable, net }));
        expect([f.grams, f.stable, f.net]).toEqual([g, stable, net]);
      }),
    );
  });
});

describe('weight frame parser robustness', () => {
  it('either parses or throws WeightFrameError on any input (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        try {
          parseWeightFrame(s);
        } catch (e) {
          expect((e as Error).name).toBe('WeightFrameError');
        }
      }),
    );
  });
});
