// By hand: how well the detector sees each candidate person cut at door size.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { createPersonDetector } from '../../models';
import { DOOR, drawBackground, renderFrame } from './door-video';
import { photoDir } from './person-sprites';

const cands: Array<[string, number, number, number, number]> = [
  ['sample1.jpg', 1207, 171, 676, 1090],
  ['sample6.jpg', 100, 384, 630, 1148],
  ['sample2.jpg', 1202, 70, 687, 1289],
  ['sample6.jpg', 600, 232, 447, 1288],
  ['sample1.jpg', 709, 332, 555, 928],
  ['sample5.jpg', 956, 259, 909, 1139],
  ['sample2.jpg', 795, 96, 541, 1243],
  ['sample4.jpg', 26, 64, 874, 1362],
  ['sample3.jpg', 62, 241, 950, 1109],
  ['sample6.jpg', 1304, 197, 551, 1330],
  ['sample1.jpg', 186, 276, 593, 1004],
  ['sample4.jpg', 738, 66, 620, 1368],
];
async function run() {
  const det = await createPersonDetector({ model: 'centernet-384', scoreThreshold: 0.1 });
  const bg = drawBackground(640, 360);
  for (const [f, l, t, w, h] of cands) {
    const { data, info } = await sharp(readFileSync(join(photoDir(), f)))
      .extract({ left: l, top: t, width: w, height: h })
      .resize({ height: 150 })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const sp = { data: new Uint8Array(data), width: info.width, height: info.height };
    const scores: number[] = [];
    for (const [x, y] of [
      [200, 130],
      [200, 220],
      [300, 300],
      [420, 355],
      [580, 250],
    ]) {
      const frame = renderFrame(
        bg,
        DOOR,
        [sp],
        {
          name: 'x',
          frames: 1,
          walkers: [
            {
              sprite: 0,
              path: [
                [0, x!, y!],
                [1, x!, y!],
              ],
            },
          ],
        },
        0,
      );
      const d = await det.detect({ data: frame, width: 640, height: 360 });
      scores.push(+(d[0]?.score ?? 0).toFixed(2));
    }
    console.log(f, l, t, w, h, JSON.stringify(scores));
  }
  await det.close();
}
void run();
