// Reads a TFJS graph model (model.json + weight shards) from disk into plain typed arrays:
// the node list and every weight dequantized to float32 (or int32), exactly as tfjs itself
// would see them. Pure apart from the file reads in `readTfjsGraphModel`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

const attrValue = z.record(z.string(), z.unknown());

const tfNodeSchema = z.object({
  name: z.string(),
  op: z.string(),
  input: z.array(z.string()).optional(),
  attr: z.record(z.string(), attrValue).optional(),
});

const weightEntrySchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int()),
  dtype: z.enum(['float32', 'int32', 'bool']),
  quantization: z
    .object({
      dtype: z.enum(['float16', 'uint8', 'uint16']),
      min: z.number().optional(),
      scale: z.number().optional(),
      original_dtype: z.string().optional(),
    })
    .optional(),
});

const modelJsonSchema = z.object({
  format: z.string().optional(),
  generatedBy: z.string().optional(),
  convertedBy: z.string().optional(),
  signature: z.unknown().optional(),
  userDefinedMetadata: z.unknown().optional(),
  modelTopology: z.object({ node: z.array(tfNodeSchema) }).passthrough(),
  weightsManifest: z.array(z.object({ paths: z.array(z.string()), weights: z.array(weightEntrySchema) })),
});

export type TfNode = z.infer<typeof tfNodeSchema>;
export type TfModelJson = z.infer<typeof modelJsonSchema>;
export type WeightEntry = z.infer<typeof weightEntrySchema>;

export interface TfWeight {
  dtype: 'float32' | 'int32' | 'bool';
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface TfjsGraphModel {
  json: TfModelJson;
  nodes: TfNode[];
  weights: Map<string, TfWeight>;
  /** Raw shard bytes in manifest order, for handing the same model to tfjs in tests. */
  weightData: Uint8Array;
  weightSpecs: WeightEntry[];
}

/** IEEE 754 half → single, including subnormals, infinities and NaN. */
export function float16ToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function bytesPerStoredElement(w: WeightEntry): number {
  if (w.quantization) return w.quantization.dtype === 'uint8' ? 1 : 2;
  return w.dtype === 'bool' ? 1 : 4;
}

/** Decodes one weight from its bytes, dequantizing float16 / uint8 / uint16 as tfjs does. */
export function decodeWeight(w: WeightEntry, bytes: Uint8Array): TfWeight {
  const count = w.shape.reduce((a, b) => a * b, 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const q = w.quantization;
  const out = w.dtype === 'float32' ? new Float32Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let v: number;
    if (q?.dtype === 'float16') v = float16ToFloat32(view.getUint16(i * 2, true));
    else if (q?.dtype === 'uint8') v = view.getUint8(i) * (q.scale ?? 1) + (q.min ?? 0);
    else if (q?.dtype === 'uint16') v = view.getUint16(i * 2, true) * (q.scale ?? 1) + (q.min ?? 0);
    else if (w.dtype === 'float32') v = view.getFloat32(i * 4, true);
    else if (w.dtype === 'int32') v = view.getInt32(i * 4, true);
    else v = view.getUint8(i);
    // Integer weights quantized to uint8/uint16 round back to integers, as tfjs does.
    out[i] = w.dtype === 'float32' ? v : Math.round(v);
  }
  return { dtype: w.dtype, shape: w.shape, data: out };
}

export function parseTfjsGraphModel(jsonText: string, readShard: (path: string) => Uint8Array): TfjsGraphModel {
  const json = modelJsonSchema.parse(JSON.parse(jsonText));
  const weights = new Map<string, TfWeight>();
  const shards: Uint8Array[] = [];
  const weightSpecs: WeightEntry[] = [];
  for (const group of json.weightsManifest) {
    const parts = group.paths.map(readShard);
    const total = parts.reduce((a, p) => a + p.byteLength, 0);
    const buf = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      buf.set(p, o);
      o += p.byteLength;
    }
    shards.push(buf);
    let offset = 0;
    for (const w of group.weights) {
      const count = w.shape.reduce((a, b) => a * b, 1);
      const size = count * bytesPerStoredElement(w);
      if (offset + size > buf.byteLength) throw new Error(`weight ${w.name} runs past the end of its shard`);
      weights.set(w.name, decodeWeight(w, buf.subarray(offset, offset + size)));
      weightSpecs.push(w);
      offset += size;
    }
  }
  const total = shards.reduce((a, s) => a + s.byteLength, 0);
  const weightData = new Uint8Array(total);
  let o = 0;
  for (const s of shards) {
    weightData.set(s, o);
    o += s.byteLength;
  }
  return { json, nodes: json.modelTopology.node, weights, weightData, weightSpecs };
}

export function readTfjsGraphModel(modelJsonPath: string): TfjsGraphModel {
  const dir = dirname(modelJsonPath);
  return parseTfjsGraphModel(readFileSync(modelJsonPath, 'utf8'), (p) => new Uint8Array(readFileSync(join(dir, p))));
}

// --- attribute access (TF AttrValue JSON as written by the tfjs converter) ---

export function attrString(node: TfNode, name: string): string | undefined {
  const v = node.attr?.[name] as { s?: string } | undefined;
  return v?.s === undefined ? undefined : Buffer.from(v.s, 'base64').toString('utf8');
}

export function attrStrings(node: TfNode, name: string): string[] {
  const v = node.attr?.[name] as { list?: { s?: string[] } } | undefined;
  return (v?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}

export function attrInts(node: TfNode, name: string): number[] {
  const v = node.attr?.[name] as { list?: { i?: (string | number)[] } } | undefined;
  return (v?.list?.i ?? []).map(Number);
}

export function attrBool(node: TfNode, name: string): boolean {
  const v = node.attr?.[name] as { b?: boolean } | undefined;
  return v?.b === true;
}

export function attrFloat(node: TfNode, name: string): number | undefined {
  const v = node.attr?.[name] as { f?: number } | undefined;
  return v?.f;
}

export function placeholderShape(node: TfNode): number[] {
  const v = node.attr?.shape as { shape?: { dim?: { size?: string }[] } } | undefined;
  return (v?.shape?.dim ?? []).map((d) => Number(d.size ?? -1));
}
