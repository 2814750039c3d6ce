// TF padding and NHWC↔NCHW bookkeeping: properties over many sizes, plus the odd-total case
// where TF puts the extra row/column at the end.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastShapes, physicalAxis, tfPadding, transposeNhwcToNchw } from './layout';

describe('tfPadding', () => {
  it('SAME gives ceil(in/stride) outputs with the minimal padding, the extra pixel at the end', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        (inp, k, s, d) => {
          const p = tfPadding('SAME', inp, inp, k, k, s, s, d, d);
          expect(p.outH).toBe(Math.ceil(inp / s));
          const [top, , bottom] = p.pads;
          expect(bottom - top === 0 || bottom - top === 1).toBe(true);
          // Every window fits inside the padded input, with no padding wasted on a missing window.
          const eff = (k - 1) * d + 1;
          expect((p.outH - 1) * s + eff).toBeLessThanOrEqual(inp + top + bottom);
          expect(top + bottom).toBe(Math.max((p.outH - 1) * s + eff - inp, 0));
        },
      ),
    );
  });

  it('VALID pads nothing and only counts whole windows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 7, max: 300 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 4 }),
        (inp, k, s) => {
          const p = tfPadding('VALID', inp, inp, k, k, s, s);
          expect(p.pads).toEqual([0, 0, 0, 0]);
          expect(p.outH).toBe(Math.floor((inp - k) / s) + 1);
        },
      ),
    );
  });

  it('puts the odd extra pixel at the bottom/right (TF SAME, ONNX SAME_UPPER)', () => {
    expect(tfPadding('SAME', 512, 512, 3, 3, 2, 2).pads).toEqual([0, 0, 1, 1]);
    expect(tfPadding('SAME', 7, 8, 4, 4, 1, 1).pads).toEqual([1, 1, 2, 2]);
  });

  it('rejects unknown padding', () => {
    expect(() => tfPadding('CAUSAL', 4, 4, 3, 3, 1, 1)).toThrow(/padding/);
  });
});

describe('layout helpers', () => {
  it('maps NHWC axes to NCHW positions', () => {
    expect([0, 1, 2, 3, -1].map((a) => physicalAxis(a, 4))).toEqual([0, 2, 3, 1, 1]);
    expect(physicalAxis(-1, 2)).toBe(1);
    expect(() => physicalAxis(4, 4)).toThrow();
  });

  it('transposes NHWC data to NCHW', () => {
    const nhwc = Float32Array.from({ length: 2 * 3 * 2 }, (_, i) => i); // [1,2,3,2]
    expect(Array.from(transposeNhwcToNchw(nhwc, [1, 2, 3, 2]))).toEqual([0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11]);
  });

  it('broadcasts like numpy and refuses mismatches', () => {
    expect(broadcastShapes([1, 4, 4, 8], [8])).toEqual([1, 4, 4, 8]);
    expect(broadcastShapes([1, 1, 1, 8], [1, 5, 5, 1])).toEqual([1, 5, 5, 8]);
    expect(() => broadcastShapes([3], [4])).toThrow(/broadcast/);
  });
});
