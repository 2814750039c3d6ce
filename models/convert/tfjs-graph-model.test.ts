// Weight decoding as tfjs does it: float16 (incl. subnormal/inf/NaN), uint8/uint16 affine
// dequantisation, and shards that are too short.
import { describe, expect, it } from 'vitest';
import { decodeWeight, float16ToFloat32, parseTfjsGraphModel } from './tfjs-graph-model';
import { SyntheticGraph } from '../testing';

describe('float16ToFloat32', () => {
  it('decodes normal, subnormal and special values', () => {
    expect(float16ToFloat32(0x3c00)).toBe(1);
    expect(float16ToFloat32(0xc000)).toBe(-2);
    expect(float16ToFloat32(0x7bff)).toBe(65504);
    expect(float16ToFloat32(0x0001)).toBeCloseTo(5.960464477539063e-8, 20);
    expect(float16ToFloat32(0x7c00)).toBe(Infinity);
    expect(float16ToFloat32(0xfc00)).toBe(-Infinity);
    expect(Number.isNaN(float16ToFloat32(0x7e00))).toBe(true);
  });
});

describe('decodeWeight', () => {
  it('dequantises uint8 and uint16 as value*scale + min', () => {
    const u8 = decodeWeight(
      { name: 'w', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', min: -1, scale: 0.5 } },
      new Uint8Array([0, 2, 255]),
    );
    expect(Array.from(u8.data)).toEqual([-1, 0, 126.5]);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint16(0, 1000, true);
    new DataView(bytes.buffer).setUint16(2, 3, true);
    const u16 = decodeWeight(
      { name: 'w', shape: [2], dtype: 'float32', quantization: { dtype: 'uint16', min: 2, scale: 0.001 } },
      bytes,
    );
    expect(u16.data[0]).toBeCloseTo(3, 5);
    expect(u16.data[1]).toBeCloseTo(2.003, 5);
  });

  it('rounds quantised integer weights back to integers', () => {
    const w = decodeWeight(
      { name: 'i', shape: [2], dtype: 'int32', quantization: { dtype: 'uint8', min: 0, scale: 0.999 } },
      new Uint8Array([3, 10]),
    );
    expect(w.data).toBeInstanceOf(Int32Array);
    expect(Array.from(w.data)).toEqual([3, 10]);
  });
});

describe('parseTfjsGraphModel', () => {
  it('reads a model and refuses a shard that is too short', () => {
    const g = new SyntheticGraph();
    g.const('a', [2, 2], [1, 2, 3, 4]);
    g.const('b', [3], [0.5, 0.25, 2], 'float32', 'float16');
    const { json, readShard } = g.files();
    const m = parseTfjsGraphModel(json, readShard);
    expect(Array.from(m.weights.get('a')!.data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(m.weights.get('b')!.data)).toEqual([0.5, 0.25, 2]);
    expect(() => parseTfjsGraphModel(json, (p) => readShard(p).subarray(0, 10))).toThrow(/past the end/);
    expect(() => parseTfjsGraphModel('{"modelTopology":{}}', readShard)).toThrow();
  });
});
