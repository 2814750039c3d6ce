// Face pipeline behaviour on real photos: BlazeFace finds the faces, FaceRes embeddings of two
// augmentations of one face are closer than any other person in the same photo, and the
// anti-spoof/liveness heads return probabilities.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceAnalyzer, type FaceAnalyzer } from './face-analyzer';
import { ModelError } from './model-error';
import { decodeImage, type RgbFrame } from './preprocess';
import { samplePath } from '../testing';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] as number), 0);

async function brighten(frame: RgbFrame, factor: number): Promise<RgbFrame> {
  const { data, info } = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .modulate({ brightness: factor })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

describe('createFaceAnalyzer', () => {
  let fa: FaceAnalyzer;
  let sample1: RgbFrame;
  beforeAll(async () => {
    fa = await createFaceAnalyzer({ threads: 1 });
    sample1 = await decodeImage(readFileSync(samplePath(1)));
  });
  afterAll(async () => {
    await fa?.close();
  });

  it('finds the three faces in sample1, each with eyes above the mouth', async () => {
    const faces = await fa.detectFaces(sample1);
    expect(faces).toHaveLength(3);
    for (const f of faces) {
      expect(f.score).toBeGreaterThan(0.5);
      expect(f.box.width).toBeGreaterThan(80);
      expect(f.landmarks).toHaveLength(6);
      const [rightEye, leftEye, , mouth] = f.landmarks;
      expect(mouth![1]).toBeGreaterThan(rightEye![1]);
      expect(mouth![1]).toBeGreaterThan(leftEye![1]);
      for (const [x, y] of f.landmarks) {
        expect(x).toBeGreaterThan(f.box.x - f.box.width * 0.5);
        expect(x).toBeLessThan(f.box.x + f.box.width * 1.5);
        expect(y).toBeGreaterThan(f.box.y - f.box.height * 0.5);
        expect(y).toBeLessThan(f.box.y + f.box.height * 1.5);
      }
    }
  });

  it('finds faces in the other photos', async () => {
    for (const i of [3, 5]) {
      const faces = await fa.detectFaces(await decodeImage(readFileSync(samplePath(i))));
      expect(faces.length, `sample${i}`).toBeGreaterThanOrEqual(3);
    }
  });

  it('embeds two augmentations of one face closer together than other people', async () => {
    const faces = await fa.detectFaces(sample1);
    const [first, ...others] = faces;
    const a = await fa.describe(await fa.cropFace(sample1, first!, 1.2));
    const b = await fa.describe(await brighten(await fa.cropFace(sample1, first!, 1.35), 1.25));
    expect(Math.abs(dot(a.embedding, a.embedding) - 1)).toBeLessThan(1e-5);
    const same = dot(a.embedding, b.embedding);
    for (const o of others) {
      const d = await fa.describe(await fa.cropFace(sample1, o, 1.2));
      expect(same).toBeGreaterThan(dot(a.embedding, d.embedding));
      expect(same).toBeGreaterThan(dot(b.embedding, d.embedding));
    }
    expect(a.age).toBeGreaterThan(10);
    expect(a.age).toBeLessThan(70);
    expect(['female', 'male']).toContain(a.gender);
  });

  it('gives anti-spoof and liveness probabilities for a face crop', async () => {
    const [face] = await fa.detectFaces(sample1);
    const crop = await fa.cropFace(sample1, face!);
    for (const p of [await fa.antispoof(crop), await fa.liveness(crop)]) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });

  it('rejects a bad crop and keeps working', async () => {
    const err = await fa.describe({ data: new Uint8Array(7), width: 3, height: 3 }).catch((e: unknown) => e);
    expect((err as ModelError).code).toBe('FRAME_INVALID');
    const err2 = await fa
      .cropFace(sample1, { box: { x: -500, y: -500, width: 10, height: 10 }, score: 1, landmarks: [] })
      .catch((e: unknown) => e);
    expect((err2 as ModelError).code).toBe('FRAME_INVALID');
    expect((await fa.detectFaces(sample1)).length).toBe(3);
  });
});
