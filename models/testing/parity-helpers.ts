// Shared by the parity tests and the benchmark: the same photo as an NHWC tensor for tfjs and
// an NCHW tensor for onnxruntime, so both runtimes see identical numbers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { MODELS_DIR } from '../runtime/model-files';
import { sourcePackage } from '../convert/build-models';

export const SAMPLE_DIR = join(MODELS_DIR, '..', 'node_modules/@vladmandic/face-api/demo');
export const samplePath = (i: number): string => join(SAMPLE_DIR, `sample${i}.jpg`);
export const humanModelJson = (file: string): string => join(sourcePackage().dir, 'models', file);

export interface ModelTensors {
  nhwc: Float32Array;
  nchw: Float32Array;
  width: number;
  height: number;
}

/** Stretches an image (or a region of it) to width×height and scales it: v = byte*scale + offset. */
export async function imageTensors(
  path: string,
  width: number,
  height: number,
  scale: number,
  offset: number,
  region?: { left: number; top: number; width: number; height: number },
): Promise<ModelTensors> {
  let img = sharp(readFileSync(path)).removeAlpha();
  if (region) img = img.extract(region);
  const raw = await img.resize(width, height, { fit: 'fill' }).raw().toBuffer();
  const plane = width * height;
  const nhwc = new Float32Array(plane * 3);
  const nchw = new Float32Array(plane * 3);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const v = (raw[i * 3 + c] as number) * scale + offset;
      nhwc[i * 3 + c] = v;
      nchw[c * plane + i] = v;
    }
  }
  return { nhwc, nchw, width, height };
}

/** NCHW [C,H,W] flat → NHWC [H,W,C] flat, to compare with tfjs outputs. */
export function nchwToNhwc(data: Float32Array, c: number, h: number, w: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) out[i * c + ch] = data[ch * h * w + i] as number;
  return out;
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

/** Plain onnxruntime session on the built file (no pool), for tensor-level comparisons. */
export async function onnxSession(name: string, threads = 1): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(readFileSync(join(MODELS_DIR, 'build', `${name}.onnx`)), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  });
}

export async function runOnnx(
  session: ort.InferenceSession,
  t: ModelTensors,
): Promise<Record<string, { dims: readonly number[]; data: Float32Array }>> {
  const out = await session.run({ image: new ort.Tensor('float32', t.nchw, [1, 3, t.height, t.width]) });
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { dims: v.dims, data: v.data as Float32Array }]));
}
