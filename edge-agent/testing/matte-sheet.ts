// By hand: a contact sheet of the evaluation's people to judge the matte by eye. Each person
// twice over a flat colour: the fallback prior matte, then the matte the evaluation uses.
// `npx tsx edge-agent/testing/matte-sheet.ts [out.png]` (default .scratch/matte-sheet.png).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';
import { loadEvalPeople, priorMatte, type MattedPerson } from './eval-people';

const BACKDROP = [40, 170, 80];

function over(p: MattedPerson, alpha: Float32Array): Uint8Array {
  const out = new Uint8Array(p.width * p.height * 3);
  for (let i = 0; i < p.width * p.height; i++)
    for (let c = 0; c < 3; c++)
      out[i * 3 + c] = Math.round(p.rgb[i * 3 + c]! * alpha[i]! + BACKDROP[c]! * (1 - alpha[i]!));
  return out;
}

async function run() {
  const out = process.argv[2] ?? '.scratch/matte-sheet.png';
  const t0 = performance.now();
  const people = await loadEvalPeople();
  console.log(`matted ${people.length} people in ${Math.round(performance.now() - t0)} ms`);
  const cellW = Math.max(...people.map((p) => p.width)) * 2 + 12;
  const cellH = people[0]!.height + 24;
  const cols = 6;
  const rows = Math.ceil(people.length / cols);
  const tiles: OverlayOptions[] = [];
  people.forEach((p, k) => {
    const x = (k % cols) * cellW;
    const y = Math.floor(k / cols) * cellH;
    const raw = { width: p.width, height: p.height, channels: 3 as const };
    tiles.push({ input: Buffer.from(over(p, priorMatte(p.rgb, p.width, p.height))), raw, left: x, top: y + 20 });
    tiles.push({ input: Buffer.from(over(p, p.alpha)), raw, left: x + p.width + 4, top: y + 20 });
    const label = `<svg width="${cellW}" height="20"><text x="2" y="15" font-size="14" fill="white">${p.id} ${p.matte}</text></svg>`;
    tiles.push({ input: Buffer.from(label), left: x, top: y });
  });
  mkdirSync(dirname(out), { recursive: true });
  await sharp({ create: { width: cols * cellW, height: rows * cellH, channels: 3, background: '#202020' } })
    .composite(tiles)
    .png()
    .toFile(out);
  console.log(out);
}
void run();
