// The labelled face set for calibrating and checking face lookup, built from photos that ship
// in npm packages (nothing is downloaded):
//
// - @vladmandic/face-api/demo/sample1..6.jpg: 22 faces of 22 different people (group photos).
//   One photo per person, so a person's "second visit" is a different framing of the same photo:
//   another crop and offset, darker light, a small low-quality (JPEG q40) picture, a mirror
//   image. That measures robustness to the camera, not to ageing or a new hairstyle.
// - @vladmandic/human/assets/screenshot-facematch.jpg: the first row of human's face-match demo
//   shows one man in 11 different photos (cells 0–10, cell 9 with face paint is left out); these
//   are the only real "different photo, same person" pairs available.
//
// Split by PERSON, fixed: tuning = sample1–3 (9 people) + the man's cells 0–4; held-out =
// sample4–6 (13 people) + his cells 5–8 and 10 (enrolled from cell 6). The man is the one
// person in both splits (different photos of him): the 22 others are person-disjoint. The threshold is chosen on tuning only; the
// held-out numbers are reported and checked, never tuned on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { createFaceAnalyzer, decodeImage, MODELS_DIR, type FaceAnalyzer, type RgbFrame } from '../../models';

const FACE_API_DEMO = join(MODELS_DIR, '..', 'node_modules/@vladmandic/face-api/demo');
const HUMAN_ASSETS = join(MODELS_DIR, '..', 'node_modules/@vladmandic/human/assets');

export type Split = 'tuning' | 'heldout';

/** One picture of one person, as JPEG bytes the till's embedder would receive from the camera. */
export interface FaceShot {
  person: string;
  split: Split;
  /** 'enrol' pictures become the gallery; 'probe' pictures are looked up. */
  role: 'enrol' | 'probe';
  label: string;
  jpeg: Buffer;
}

const SPLIT_OF_SAMPLE = (i: number): Split => (i <= 3 ? 'tuning' : 'heldout');
const MAN_TUNING = [0, 1, 2, 3, 4];
const MAN_HELDOUT = [6, 5, 7, 8, 10];

async function jpegOf(frame: RgbFrame, region: { x: number; y: number; width: number; height: number }) {
  const left = Math.max(0, Math.round(region.x));
  const top = Math.max(0, Math.round(region.y));
  const width = Math.min(frame.width - left, Math.round(region.width));
  const height = Math.min(frame.height - top, Math.round(region.height));
  return sharp(Buffer.from(frame.data), { raw: { width: frame.width, height: frame.height, channels: 3 } }).extract({
    left,
    top,
    width,
    height,
  });
}

/** Five framings of one detected face: enrol + four probes (offset crop, dark, small+q40, mirror). */
async function shotsOfFace(frame: RgbFrame, box: { x: number; y: number; width: number; height: number }) {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const side = Math.max(box.width, box.height);
  const around = (scale: number, dx = 0, dy = 0) => ({
    x: cx - (side * scale) / 2 + dx * side,
    y: cy - (side * scale) / 2 + dy * side,
    width: side * scale,
    height: side * scale,
  });
  const enrol = await (await jpegOf(frame, around(1.8))).resize(320, 320).jpeg({ quality: 90 }).toBuffer();
  const offset = await (
    await jpegOf(frame, around(1.6, 0.12, -0.08))
  )
    .resize(300, 300)
    .jpeg({ quality: 85 })
    .toBuffer();
  const dark = await (
    await jpegOf(frame, around(1.8))
  )
    .resize(320, 320)
    .modulate({ brightness: 0.7 })
    .jpeg({ quality: 85 })
    .toBuffer();
  const small = await (await jpegOf(frame, around(1.8))).resize(150, 150).jpeg({ quality: 40 }).toBuffer();
  const mirror = await (
    await jpegOf(frame, around(1.9, -0.05, 0.05))
  )
    .resize(320, 320)
    .flop()
    .jpeg({ quality: 85 })
    .toBuffer();
  return { enrol, probes: { offset, dark, small, mirror } };
}

/** A 96-px cell of the face-match mosaic, padded so the face does not fill the picture, enlarged. */
async function mosaicCell(mosaic: Buffer, col: number): Promise<Buffer> {
  const cell = await sharp(mosaic)
    .extract({ left: col * 96 + 3, top: 287, width: 90, height: 90 })
    .toBuffer();
  return sharp(cell)
    .extend({ top: 30, bottom: 30, left: 30, right: 30, background: { r: 128, g: 128, b: 128 } })
    .resize(300, 300)
    .jpeg({ quality: 90 })
    .toBuffer();
}

export async function buildFaceDataset(analyzer?: FaceAnalyzer): Promise<FaceShot[]> {
  const fa = analyzer ?? (await createFaceAnalyzer({ threads: 2, models: ['blazeface'] }));
  const shots: FaceShot[] = [];
  try {
    for (let i = 1; i <= 6; i++) {
      const frame = await decodeImage(readFileSync(join(FACE_API_DEMO, `sample${i}.jpg`)));
      const faces = (await fa.detectFaces(frame)).filter((f) => f.score >= 0.6);
      faces.sort((a, b) => a.box.x - b.box.x);
      for (const [n, face] of faces.entries()) {
        const person = `sample${i}-${n}`;
        const split = SPLIT_OF_SAMPLE(i);
        const { enrol, probes } = await shotsOfFace(frame, face.box);
        shots.push({ person, split, role: 'enrol', label: `${person}/enrol`, jpeg: enrol });
        for (const [k, jpeg] of Object.entries(probes))
          shots.push({ person, split, role: 'probe', label: `${person}/${k}`, jpeg });
      }
    }
  } finally {
    if (!analyzer) await fa.close();
  }
  const mosaic = readFileSync(join(HUMAN_ASSETS, 'screenshot-facematch.jpg'));
  for (const [split, cells] of [
    ['tuning', MAN_TUNING],
    ['heldout', MAN_HELDOUT],
  ] as const) {
    for (const [n, col] of cells.entries()) {
      shots.push({
        person: `man-${split}`,
        split,
        role: n === 0 ? 'enrol' : 'probe',
        label: `man/cell${col}`,
        jpeg: await mosaicCell(mosaic, col),
      });
    }
  }
  return shots;
}
