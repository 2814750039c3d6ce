// Evaluation fixture: people cut out of the sample photos that ship with @vladmandic/face-api
// (demo/sample1-6.jpg) and @vladmandic/human (assets/samples.jpg), both MIT, with a soft matte so
// the photo's background does not travel with them (not rectangles).
//
// The matte is MediaPipe Selfie Segmentation (./selfie-segmenter.ts, vendored model, evaluation
// only), run once per person on a square of the photo around the crop. The model marks every
// person, so its mask is split between the crop's person and the neighbours who run out of the
// crop (`personFromMask`). Where the mask is broken for a crop (nearly empty, or no head) the
// older matte stands in: a body-shape prior (head ellipse over a tapering torso/legs column)
// refined by colour (`priorMatte`); today that is h2 (empty mask) and h3 (head lost).
// Matting all 18 takes ~15-30 s of tfjs CPU, next to minutes of evaluation, so it is not cached.
// Crop boxes were found once with CenterNet and are pinned so the fixture is stable.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { createSelfieSegmenter, SELFIE_SIZE, type SelfieSegmenter } from './selfie-segmenter';

export interface MattedPerson {
  /** Which person of the pinned list (stable id, used for the tuning / held-out split). */
  id: string;
  width: number;
  height: number;
  /** RGB, 3 bytes per pixel. */
  rgb: Uint8Array;
  /** 0..1 per pixel. */
  alpha: Float32Array;
  /** Which matte made `alpha`: the segmentation model, or the prior where the model's mask was broken. */
  matte: 'selfie' | 'prior';
}

type Source = 'face-api' | 'human';
interface Cut {
  id: string;
  source: Source;
  file: string;
  box: [number, number, number, number];
}

/** People in the photos; the last part of the list (photos 5, 6 and human's) is for the held-out split only. */
export const EVAL_CUTS: readonly Cut[] = [
  { id: 's1a', source: 'face-api', file: 'sample1.jpg', box: [1207, 171, 676, 1090] },
  { id: 's1b', source: 'face-api', file: 'sample1.jpg', box: [709, 332, 555, 928] },
  { id: 's1c', source: 'face-api', file: 'sample1.jpg', box: [186, 276, 593, 1004] },
  { id: 's2a', source: 'face-api', file: 'sample2.jpg', box: [1202, 70, 687, 1289] },
  { id: 's2b', source: 'face-api', file: 'sample2.jpg', box: [795, 96, 541, 1243] },
  { id: 's2c', source: 'face-api', file: 'sample2.jpg', box: [255, 49, 676, 1318] },
  { id: 's3a', source: 'face-api', file: 'sample3.jpg', box: [62, 241, 950, 1109] },
  { id: 's4a', source: 'face-api', file: 'sample4.jpg', box: [26, 64, 874, 1362] },
  { id: 's4b', source: 'face-api', file: 'sample4.jpg', box: [738, 66, 620, 1368] },
  { id: 's5a', source: 'face-api', file: 'sample5.jpg', box: [956, 259, 909, 1139] },
  { id: 's5b', source: 'face-api', file: 'sample5.jpg', box: [395, 342, 491, 790] },
  { id: 's6a', source: 'face-api', file: 'sample6.jpg', box: [100, 384, 630, 1148] },
  { id: 's6b', source: 'face-api', file: 'sample6.jpg', box: [600, 232, 447, 1288] },
  { id: 's6c', source: 'face-api', file: 'sample6.jpg', box: [1304, 197, 551, 1330] },
  { id: 's6d', source: 'face-api', file: 'sample6.jpg', box: [990, 190, 447, 1347] },
  { id: 'h1', source: 'human', file: 'samples.jpg', box: [240, 468, 153, 664] },
  { id: 'h2', source: 'human', file: 'samples.jpg', box: [386, 450, 140, 660] },
  { id: 'h3', source: 'human', file: 'samples.jpg', box: [1044, 544, 227, 598] },
];

/** People ids of each split: disjoint, so the held-out clips show people the tuning never saw. */
export const PEOPLE_SPLIT = {
  tuning: ['s1a', 's1b', 's1c', 's2a', 's2b', 's2c', 's3a', 's4a', 's4b'],
  heldout: ['s5a', 's5b', 's6a', 's6b', 's6c', 's6d', 'h1', 'h2', 'h3'],
} as const;

function sourceDir(source: Source): string {
  const req = createRequire(import.meta.url);
  if (source === 'face-api') return join(dirname(req.resolve('@vladmandic/face-api/package.json')), 'demo');
  // @vladmandic/human does not export package.json; its main entry lives in dist/
  return join(dirname(dirname(req.resolve('@vladmandic/human'))), 'assets');
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
const smooth = (e0: number, e1: number, v: number) => {
  const t = clamp01((v - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
};

/** Body-shape prior in 0..1 for a crop w×h: head ellipse on top of a tapering column. */
function shapePrior(w: number, h: number): Float32Array {
  const p = new Float32Array(w * h);
  const cx = w / 2;
  const headCy = 0.12 * h;
  const headRx = Math.min(0.2 * w, 0.09 * h);
  const headRy = 0.11 * h;
  for (let y = 0; y < h; y++) {
    const fy = y / h;
    // half-width of the body at this height: shoulders ~0.42 w, hips ~0.32 w, feet ~0.22 w
    const half = fy < 0.2 ? 0 : fy < 0.3 ? 0.42 * w * smooth(0.19, 0.3, fy) : w * (0.42 - 0.22 * ((fy - 0.3) / 0.7));
    for (let x = 0; x < w; x++) {
      const dx = Math.abs(x - cx);
      const head = 1 - Math.hypot((x - cx) / headRx, (y - headCy) / headRy);
      const body = half > 0 ? (half - dx) / Math.max(2, 0.08 * w) : -1;
      p[y * w + x] = Math.max(smooth(-0.15, 0.25, head), smooth(-1, 1, body));
    }
  }
  return p;
}

function feather(a: Float32Array, w: number, h: number, r: number): Float32Array {
  const tmp = new Float32Array(a.length);
  const out = new Float32Array(a.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      let n = 0;
      for (let k = -r; k <= r; k++) {
        const xx = x + k;
        if (xx >= 0 && xx < w) {
          s += a[y * w + xx]!;
          n++;
        }
      }
      tmp[y * w + x] = s / n;
    }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      let n = 0;
      for (let k = -r; k <= r; k++) {
        const yy = y + k;
        if (yy >= 0 && yy < h) {
          s += tmp[yy * w + x]!;
          n++;
        }
      }
      out[y * w + x] = s / n;
    }
  return out;
}

/**
 * Fallback matte of a person crop (RGB): the shape prior, with background-coloured rim pixels
 * removed. Cuts hair and arms outside the prior and keeps a neighbour inside it.
 */
export function priorMatte(rgb: Uint8Array, w: number, h: number): Float32Array {
  const prior = shapePrior(w, h);
  // background colour samples: crop pixels where the prior is ~0 (corners and sides)
  const samples: number[][] = [];
  for (let y = 0; y < h; y += 3)
    for (let x = 0; x < w; x += 3) {
      const i = y * w + x;
      if (prior[i]! < 0.02) samples.push([rgb[i * 3]!, rgb[i * 3 + 1]!, rgb[i * 3 + 2]!]);
    }
  // a few colour clusters (k-means, 6 centres, 5 rounds) stand for the background
  const k = Math.min(6, samples.length);
  let centres = Array.from({ length: k }, (_, j) => samples[Math.floor((j * samples.length) / k)]!.slice());
  for (let round = 0; round < 5 && samples.length; round++) {
    const sum = centres.map(() => [0, 0, 0, 0]);
    for (const s of samples) {
      let best = 0;
      let bd = Infinity;
      centres.forEach((c, j) => {
        const d = (c[0]! - s[0]!) ** 2 + (c[1]! - s[1]!) ** 2 + (c[2]! - s[2]!) ** 2;
        if (d < bd) {
          bd = d;
          best = j;
        }
      });
      const acc = sum[best]!;
      acc[0]! += s[0]!;
      acc[1]! += s[1]!;
      acc[2]! += s[2]!;
      acc[3]!++;
    }
    centres = centres.map((c, j) => {
      const acc = sum[j]!;
      return acc[3]! ? [acc[0]! / acc[3]!, acc[1]! / acc[3]!, acc[2]! / acc[3]!] : c;
    });
  }
  const a = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const pr = prior[i]!;
    if (pr <= 0.01) continue;
    let bd = Infinity;
    for (const c of centres) {
      const d = (c[0]! - rgb[i * 3]!) ** 2 + (c[1]! - rgb[i * 3 + 1]!) ** 2 + (c[2]! - rgb[i * 3 + 2]!) ** 2;
      if (d < bd) bd = d;
    }
    const fg = smooth(15, 45, Math.sqrt(bd));
    // the core of the prior is kept whatever its colour; the rim only where it is not background
    a[i] = pr > 0.9 ? 1 : pr * fg;
  }
  return feather(a, w, h, Math.max(1, Math.round(w / 80)));
}

/** Below this share of the crop, the kept mask region is not a person: the mask is broken here. */
const MIN_PERSON_SHARE = 0.12;
/** Below this share of the head zone covered, the mask lost the head: it is broken here. */
const MIN_HEAD_COVER = 0.15;
/** Mask probability above which a pixel counts as person when splitting the mask. */
const REGION_CUT = 0.5;

/** Max of a 0/1 image over a (2r+1)² square (dilation), done as two 1-D passes. */
function dilate(img: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const pass = (src: Uint8Array, horizontal: boolean) => {
    const out = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = -r; k <= r; k++) {
          const xx = horizontal ? x + k : x;
          const yy = horizontal ? y : y + k;
          if (xx >= 0 && xx < w && yy >= 0 && yy < h && src[yy * w + xx]) {
            out[y * w + x] = 1;
            break;
          }
        }
    return out;
  };
  return pass(pass(img, true), false);
}

const PERSON = 1;
const OTHER = 2;

/**
 * The crop's person from a segmentation mask (w×h, 0..1). The model marks every person, and in a
 * group photo the neighbours touch the crop's person, so one connected region is not enough. The
 * mask (≥ 0.5) is split by distance along the mask itself (breadth-first from two kinds of seed):
 * the core of the body-shape prior is this person; mask pixels on the crop's border outside the
 * prior are someone else (the crop is this person's box, so a body running out of it there is a
 * neighbour). Each mask pixel goes to the nearer seed, ties to the person: an arm or hair reaching
 * out of the prior stays unless it is nearer the border than the body, and mask regions not joined
 * to the body (a separate neighbour, a poster) are never reached. The mask's own soft values are
 * kept within 2 px of the person, except on the neighbours; the edge is feathered.
 * `null` when the mask is broken for this crop: the person is smaller than MIN_PERSON_SHARE of
 * the crop, or covers less than MIN_HEAD_COVER of where the head must be.
 */
export function personFromMask(mask: Float32Array, w: number, h: number): Float32Array | null {
  const prior = shapePrior(w, h);
  const owner = new Uint8Array(w * h);
  let front: number[] = [];
  for (let i = 0; i < w * h; i++) {
    if (mask[i]! < REGION_CUT) continue;
    const x = i % w;
    const y = (i - x) / w;
    const onBorder = x === 0 || x === w - 1 || y === 0 || y === h - 1;
    if (prior[i]! > 0.9) owner[i] = PERSON;
    else if (onBorder && prior[i]! < 0.02) owner[i] = OTHER;
    if (owner[i]) front.push(i);
  }
  // breadth-first in rounds: a pixel claimed by the person in a round is never taken by the other
  while (front.length) {
    const next: number[] = [];
    const claim = new Map<number, number>();
    for (const i of front) {
      const x = i % w;
      for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w])
        if (j >= 0 && j < w * h && !owner[j] && mask[j]! >= REGION_CUT)
          claim.set(j, Math.min(claim.get(j) ?? OTHER, owner[i]!));
    }
    for (const [j, who] of claim) {
      owner[j] = who;
      next.push(j);
    }
    front = next;
  }
  const body = new Uint8Array(w * h);
  let size = 0;
  for (let i = 0; i < w * h; i++)
    if (owner[i] === PERSON) {
      body[i] = 1;
      size++;
    }
  if (size < MIN_PERSON_SHARE * w * h) return null;
  // a standing person's head is in the top fifth of their box, roughly central: a mask with
  // nothing there lost the head (seen on a collage crop with drawn-on skeleton lines)
  let head = 0;
  let headN = 0;
  for (let y = Math.round(0.03 * h); y < Math.round(0.22 * h); y++)
    for (let x = Math.round(0.25 * w); x < Math.round(0.75 * w); x++) {
      head += body[y * w + x]!;
      headN++;
    }
  if (head < MIN_HEAD_COVER * headN) return null;
  // keep the mask's soft edge: pixels within 2 px of the body keep their own probability
  const near = dilate(body, w, h, 2);
  const a = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) a[i] = near[i] && owner[i] !== OTHER ? mask[i]! : 0;
  return feather(a, w, h, Math.max(1, Math.round(w / 120)));
}

/** Bilinear sample of a square SELFIE_SIZE² grid at (u, v) in grid pixels, clamped to the edge. */
function sampleGrid(grid: Float32Array, u: number, v: number): number {
  const n = SELFIE_SIZE;
  const cu = Math.min(n - 1, Math.max(0, u));
  const cv = Math.min(n - 1, Math.max(0, v));
  const x0 = Math.floor(cu);
  const y0 = Math.floor(cv);
  const x1 = Math.min(n - 1, x0 + 1);
  const y1 = Math.min(n - 1, y0 + 1);
  const fx = cu - x0;
  const fy = cv - y0;
  const top = grid[y0 * n + x0]! * (1 - fx) + grid[y0 * n + x1]! * fx;
  const bottom = grid[y1 * n + x0]! * (1 - fx) + grid[y1 * n + x1]! * fx;
  return top * (1 - fy) + bottom * fy;
}

/**
 * The segmentation mask of one crop, w×h. The model sees a square of the photo centred on the
 * crop (real surroundings, not padding, so it is not stretched; beyond the photo's edge the edge
 * pixels repeat), and its 256×256 answer is resampled onto the crop's pixels.
 */
async function cropMask(
  segmenter: SelfieSegmenter,
  photo: Buffer,
  box: readonly [number, number, number, number],
  w: number,
  h: number,
): Promise<Float32Array> {
  const [left, top, bw, bh] = box;
  const side = Math.max(bw, bh);
  const sx = Math.round(left + bw / 2 - side / 2);
  const sy = Math.round(top + bh / 2 - side / 2);
  // pad every side by `side` so the square always lies inside the padded photo
  const padded = await sharp(photo)
    .removeAlpha()
    .extend({ top: side, bottom: side, left: side, right: side, extendWith: 'copy' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { data } = await sharp(padded.data, { raw: padded.info })
    .extract({ left: sx + side, top: sy + side, width: side, height: side })
    .resize(SELFIE_SIZE, SELFIE_SIZE, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const grid = await segmenter.segment(new Uint8Array(data.buffer, data.byteOffset, data.length));
  const mask = new Float32Array(w * h);
  const k = SELFIE_SIZE / side;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const px = left + ((x + 0.5) * bw) / w;
      const py = top + ((y + 0.5) * bh) / h;
      mask[y * w + x] = sampleGrid(grid, (px - sx) * k - 0.5, (py - sy) * k - 0.5);
    }
  return mask;
}

/** Every pinned person (or the `only` ones), matted, `height` pixels tall. */
export async function loadEvalPeople(height = 260, only?: readonly string[]): Promise<MattedPerson[]> {
  const segmenter = await createSelfieSegmenter();
  try {
    const out: MattedPerson[] = [];
    for (const c of EVAL_CUTS) if (!only || only.includes(c.id)) out.push(await mattePerson(segmenter, c, height));
    return out;
  } finally {
    segmenter.dispose();
  }
}

async function mattePerson(segmenter: SelfieSegmenter, c: Cut, height: number): Promise<MattedPerson> {
  const path = join(sourceDir(c.source), c.file);
  if (!existsSync(path)) throw new Error(`sample photo missing: ${path}`);
  const photo = readFileSync(path);
  const [left, top, width, h] = c.box;
  const { data, info } = await sharp(photo)
    .extract({ left, top, width, height: h })
    .resize({ height })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rgb = new Uint8Array(data.buffer, data.byteOffset, data.length);
  const mask = await cropMask(segmenter, photo, c.box, info.width, info.height);
  const person = personFromMask(mask, info.width, info.height);
  // a nearly empty mask means the model failed on this crop: the older prior matte stands in
  const base = { id: c.id, width: info.width, height: info.height, rgb };
  return person
    ? { ...base, alpha: person, matte: 'selfie' }
    : { ...base, alpha: priorMatte(rgb, info.width, info.height), matte: 'prior' };
}
