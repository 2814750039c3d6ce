// Test fixture: door videos generated at test time. Real people (sprites cut from photos) are
// composited over a drawn shop entrance and moved along keyframed paths; frames are written as
// raw RGB into ffmpeg's stdin and encoded to H.264 MP4. The ground truth (net in/out per
// scenario) comes from the paths, with the same rule the agent uses: bottom-centre anchor,
// crossing point inside the segment.
import { spawn } from 'node:child_process';
import type { Segment } from '../counting';
import { trueCrossings } from './eval-set';
import type { Sprite } from './person-sprites';

/** [frame, centre x, bottom y] */
export type Keyframe = [number, number, number];

export interface Walker {
  sprite: number;
  path: Keyframe[];
}

export interface Scenario {
  name: string;
  frames: number;
  walkers: Walker[];
}

export interface VideoSpec {
  width: number;
  height: number;
  fps: number;
  line: Segment;
}

export const DOOR: VideoSpec = { width: 640, height: 360, fps: 6, line: { x1: 80, y1: 215, x2: 520, y2: 215 } };

function lerpPath(path: Keyframe[], f: number): { x: number; y: number } | null {
  const first = path[0]!;
  const last = path[path.length - 1]!;
  if (f < first[0] || f > last[0]) return null;
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1]!;
    const b = path[i]!;
    if (f <= b[0]) {
      const t = b[0] === a[0] ? 1 : (f - a[0]) / (b[0] - a[0]);
      return { x: a[1] + (b[1] - a[1]) * t, y: a[2] + (b[2] - a[2]) * t };
    }
  }
  return { x: last[1], y: last[2] };
}

/**
 * Ground truth of a scenario: every crossing of the segment by the feet, frame by frame, with a
 * 10 px hysteresis around the line (a U-turn over the line is an in and an out, like the counter).
 */
export function expectedCounts(s: Scenario, line: Segment): { in: number; out: number } {
  let inN = 0;
  let outN = 0;
  for (const w of s.walkers) {
    const feet = Array.from({ length: s.frames + 1 }, (_, f) => lerpPath(w.path, f));
    const t = trueCrossings(feet, line, () => 10 / 0.12);
    inN += t.in;
    outN += t.out;
  }
  return { in: inN, out: outN };
}

/** A shop entrance: wall, door frame, tiled floor, a doormat; a little sensor noise. */
export function drawBackground(width: number, height: number, seed = 1): Uint8Array {
  const bg = new Uint8Array(width * height * 3);
  let r = seed;
  const rnd = () => {
    r = (r * 1103515245 + 12345) & 0x7fffffff;
    return r / 0x7fffffff;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let c: [number, number, number];
      const floor = y > height * 0.35;
      if (!floor) c = x > width * 0.2 && x < width * 0.8 ? [70, 80, 95] : [200, 195, 180];
      else c = (Math.floor(x / 40) + Math.floor(y / 30)) & 1 ? [170, 165, 160] : [150, 146, 140];
      if (floor && y > height * 0.55 && y < height * 0.65 && x > width * 0.25 && x < width * 0.75) c = [90, 50, 40];
      const n = (rnd() - 0.5) * 6;
      const i = (y * width + x) * 3;
      bg[i] = c[0] + n;
      bg[i + 1] = c[1] + n;
      bg[i + 2] = c[2] + n;
    }
  }
  return bg;
}

export function renderFrame(bg: Uint8Array, spec: VideoSpec, sprites: Sprite[], s: Scenario, f: number): Uint8Array {
  const frame = new Uint8Array(bg);
  // draw people further up the image first so nearer people occlude them
  const placed = s.walkers
    .map((w) => ({ w, p: lerpPath(w.path, f) }))
    .filter((x): x is { w: Walker; p: { x: number; y: number } } => x.p !== null)
    .sort((a, b) => a.p.y - b.p.y);
  for (const { w, p } of placed) {
    const sp = sprites[w.sprite % sprites.length]!;
    const left = Math.round(p.x - sp.width / 2);
    const top = Math.round(p.y - sp.height);
    for (let y = 0; y < sp.height; y++) {
      const fy = top + y;
      if (fy < 0 || fy >= spec.height) continue;
      for (let x = 0; x < sp.width; x++) {
        const fx = left + x;
        if (fx < 0 || fx >= spec.width) continue;
        const si = (y * sp.width + x) * 3;
        const di = (fy * spec.width + fx) * 3;
        frame[di] = sp.data[si]!;
        frame[di + 1] = sp.data[si + 1]!;
        frame[di + 2] = sp.data[si + 2]!;
      }
    }
  }
  return frame;
}

/** Encodes a scenario to an MP4 file at `path` (H.264, faststart so a cut file stays playable). */
export async function writeDoorVideo(path: string, spec: VideoSpec, sprites: Sprite[], s: Scenario): Promise<void> {
  const bg = drawBackground(spec.width, spec.height);
  const ff = spawn(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-s',
      `${spec.width}x${spec.height}`,
      '-r',
      String(spec.fps),
      '-i',
      'pipe:0',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-crf',
      '23',
      '-g',
      String(spec.fps),
      '-pix_fmt',
      'yuv420p',
      '-movflags',
      '+faststart',
      path,
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let err = '';
  ff.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const done = new Promise<void>((resolve, reject) => {
    ff.on('error', reject);
    ff.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg encode failed (${code}): ${err}`))));
  });
  for (let f = 0; f < s.frames; f++) {
    if (!ff.stdin.write(renderFrame(bg, spec, sprites, s, f))) await new Promise((r) => ff.stdin.once('drain', r));
  }
  ff.stdin.end();
  await done;
}

const TOP = 100;
const BOTTOM = 355;
const LINE_Y = DOOR.line.y1;

/** The generated set: one scenario per behaviour the counter must get right. */
export function doorScenarios(): Scenario[] {
  const down = (sprite: number, x: number, f0: number, frames = 17): Walker => ({
    sprite,
    path: [
      [f0, x, TOP],
      [f0 + frames, x, BOTTOM],
    ],
  });
  const up = (sprite: number, x: number, f0: number, frames = 17): Walker => ({
    sprite,
    path: [
      [f0, x, BOTTOM],
      [f0 + frames, x, TOP],
    ],
  });
  const jitter = (f0: number, n: number, x: number): Keyframe[] =>
    Array.from({ length: n }, (_, i) => [f0 + i, x + ((i * 7) % 5) - 2, LINE_Y + ((i * 5) % 9) - 4] as Keyframe);
  return [
    { name: 'single-in', frames: 20, walkers: [down(0, 300, 1)] },
    { name: 'single-out', frames: 20, walkers: [up(1, 320, 1)] },
    { name: 'pair-in', frames: 20, walkers: [down(2, 230, 1), down(3, 345, 1)] },
    { name: 'pair-out', frames: 20, walkers: [up(4, 240, 1), up(5, 360, 1)] },
    {
      name: 'u-turn',
      frames: 22,
      walkers: [
        {
          sprite: 0,
          path: [
            [1, 300, TOP],
            [9, 300, LINE_Y + 30],
            [12, 300, LINE_Y + 30],
            [20, 300, TOP],
          ],
        },
      ],
    },
    {
      name: 'linger-in',
      frames: 34,
      walkers: [
        {
          sprite: 1,
          path: [[1, 300, TOP], [7, 300, LINE_Y], ...jitter(8, 14, 300), [22, 300, LINE_Y], [32, 300, BOTTOM]],
        },
      ],
    },
    { name: 'outside-segment', frames: 20, walkers: [down(2, 585, 1)] },
    { name: 'in-then-out', frames: 30, walkers: [down(3, 200, 1), up(4, 420, 11)] },
  ];
}
