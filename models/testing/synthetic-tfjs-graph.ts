// Writes small TFJS graph models in memory (model.json topology + weight bytes, optionally
// float16/uint8/uint16-quantized) so converter tests can exercise ops and attributes the
// shipped models do not use, and check them against tfjs itself.
import type { TfNode, WeightEntry } from '../convert/tfjs-graph-model';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export type Quant = 'float16' | 'uint8' | 'uint16' | undefined;

function float32ToFloat16(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp <= 0) return sign | Math.round((mant | 0x800000) / 2 ** (14 - exp));
  if (exp >= 31) return sign | 0x7c00;
  let h = sign | (exp << 10) | (mant >> 13);
  if (mant & 0x1000) h++; // round half up (ties are irrelevant for tests)
  return h;
}

export class SyntheticGraph {
  readonly nodes: TfNode[] = [];
  private readonly specs: WeightEntry[] = [];
  private readonly chunks: Uint8Array[] = [];

  input(name: string, shape: number[]): string {
    this.nodes.push({
      name,
      op: 'Placeholder',
      attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: shape.map((d) => ({ size: String(d) })) } } },
    });
    return name;
  }

  const(
    name: string,
    shape: number[],
    values: ArrayLike<number>,
    dtype: 'float32' | 'int32' = 'float32',
    quant?: Quant,
  ): string {
    this.nodes.push({
      name,
      op: 'Const',
      attr: {
        dtype: { type: dtype === 'float32' ? 'DT_FLOAT' : 'DT_INT32' },
        value: {
          tensor: {
            dtype: dtype === 'float32' ? 'DT_FLOAT' : 'DT_INT32',
            tensorShape: { dim: shape.map((d) => ({ size: String(d) })) },
          },
        },
      },
    });
    const n = values.length;
    if (!quant) {
      const buf = new Uint8Array(n * 4);
      const view = new DataView(buf.buffer);
      for (let i = 0; i < n; i++) {
        if (dtype === 'float32') view.setFloat32(i * 4, values[i] as number, true);
        else view.setInt32(i * 4, values[i] as number, true);
      }
      this.chunks.push(buf);
      this.specs.push({ name, shape, dtype });
    } else if (quant === 'float16') {
      const buf = new Uint8Array(n * 2);
      const view = new DataView(buf.buffer);
      for (let i = 0; i < n; i++) view.setUint16(i * 2, float32ToFloat16(values[i] as number), true);
      this.chunks.push(buf);
      this.specs.push({ name, shape, dtype, quantization: { dtype: 'float16' } });
    } else {
      const levels = quant === 'uint8' ? 255 : 65535;
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < n; i++) {
        min = Math.min(min, values[i] as number);
        max = Math.max(max, values[i] as number);
      }
      const scale = (max - min) / levels || 1;
      const buf = new Uint8Array(n * (quant === 'uint8' ? 1 : 2));
      const view = new DataView(buf.buffer);
      for (let i = 0; i < n; i++) {
        const q = Math.round(((values[i] as number) - min) / scale);
        if (quant === 'uint8') view.setUint8(i, q);
        else view.setUint16(i * 2, q, true);
      }
      this.chunks.push(buf);
      this.specs.push({ name, shape, dtype, quantization: { dtype: quant, min, scale } });
    }
    return name;
  }

  op(name: string, op: string, inputs: string[], attr: Record<string, unknown> = {}): string {
    this.nodes.push({ name, op, input: inputs, attr: { T: { type: 'DT_FLOAT' }, ...attr } as TfNode['attr'] });
    return name;
  }

  /** model.json text and a shard reader, as parseTfjsGraphModel wants them. */
  files(): { json: string; readShard: (p: string) => Uint8Array } {
    const total = this.chunks.reduce((a, c) => a + c.byteLength, 0);
    const bin = new Uint8Array(total);
    let o = 0;
    for (const c of this.chunks) {
      bin.set(c, o);
      o += c.byteLength;
    }
    const json = JSON.stringify({
      format: 'graph-model',
      generatedBy: 'test',
      convertedBy: 'test',
      modelTopology: { node: this.nodes, library: {}, versions: {} },
      weightsManifest: [{ paths: ['weights.bin'], weights: this.specs }],
    });
    return { json, readShard: () => bin };
  }
}

/** Attribute helpers in the TF AttrValue JSON form the tfjs converter writes. */
export const attr = {
  s: (v: string) => ({ s: b64(v) }),
  ints: (v: number[]) => ({ list: { i: v.map(String) } }),
  strs: (v: string[]) => ({ list: { s: v.map(b64) } }),
  i: (v: number) => ({ i: String(v) }),
  b: (v: boolean) => ({ b: v }),
  f: (v: number) => ({ f: v }),
};

/** Deterministic pseudo-random values in [-1, 1). */
export function seeded(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}
