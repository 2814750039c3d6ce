// Test fixture: real people cut out of the sample photos that ship with @vladmandic/face-api,
// located with the person detector itself, scaled to the size they appear at a shop door.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

export interface Sprite {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Crop boxes (in the original photo) found once with centernet; pinned so fixtures are stable. */
const CUTS: Array<{ file: string; box: [number, number, number, number] }> = [
  { file: 'sample1.jpg', box: [1207, 171, 676, 1090] },
  { file: 'sample6.jpg', box: [100, 384, 630, 1148] },
  { file: 'sample2.jpg', box: [1202, 70, 687, 1289] },
  { file: 'sample2.jpg', box: [795, 96, 541, 1243] },
  { file: 'sample3.jpg', box: [62, 241, 950, 1109] },
  { file: 'sample1.jpg', box: [186, 276, 593, 1004] },
];

export function photoDir(): string {
  const req = createRequire(import.meta.url);
  return join(dirname(req.resolve('@vladmandic/face-api/package.json')), 'demo');
}

/** People as RGB sprites `height` pixels tall (aspect kept). */
export async function loadSprites(height: number): Promise<Sprite[]> {
  const dir = photoDir();
  const out: Sprite[] = [];
  for (const c of CUTS) {
    const path = join(dir, c.file);
    if (!existsSync(path)) throw new Error(`sample photo missing: ${path}`);
    const [left, top, width, h] = c.box;
    const { data, info } = await sharp(readFileSync(path))
      .extract({ left, top, width, height: h })
      .resize({ height })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    out.push({
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      width: info.width,
      height: info.height,
    });
  }
  return out;
}
