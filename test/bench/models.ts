// `npm run bench -- models`: latency of the converted models through the production path
// (sharp preprocessing → worker pool → decode), raw onnxruntime session time, the original
// TFJS CenterNet on the tfjs CPU backend for comparison, and pool throughput.
import { readFileSync } from 'node:fs';
import { createFaceAnalyzer, createPersonDetector, decodeImage, type RgbFrame } from '../../models/index';
import { loadTfjsReference } from '../../models/testing';
import { humanModelJson, imageTensors, onnxSession, runOnnx, samplePath } from '../../models/testing';
import sharp from 'sharp';

const ITER = Number(process.env.BENCH_ITER ?? 15);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function timeIt(n: number, fn: () => Promise<unknown>, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = performance.now();
    await fn();
    t.push(performance.now() - a);
  }
  return Math.round(median(t) * 10) / 10;
}

async function resized(path: string, w: number, h: number): Promise<RgbFrame> {
  const { data, info } = await sharp(readFileSync(path))
    .removeAlpha()
    .resize(w, h, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

const photo = samplePath(1);
const full = await decodeImage(readFileSync(photo));
const f512 = await resized(photo, 512, 512);
const f384 = await resized(photo, 384, 384);

const det = await createPersonDetector({ model: 'centernet', threads: 2 });
const centernet_ms = await timeIt(ITER, () => det.detect(f512));
const centernet_frame_ms = await timeIt(5, () => det.detect(full));
await det.close();

const det384 = await createPersonDetector({ model: 'centernet-384', threads: 2 });
const centernet_384_ms = await timeIt(ITER, () => det384.detect(f384));
await det384.close();

const session = await onnxSession('centernet', 2);
const t512 = await imageTensors(photo, 512, 512, 1, 0);
const centernet_session_ms = await timeIt(ITER, () => runOnnx(session, t512));
await session.release();

/**
 * CPU time (all threads of this process) per inference of a 1-thread session. On a busy
 * machine wall time mostly measures waiting for a core; this is roughly the latency one idle
 * core would give, so it is comparable between runs.
 */
async function cpuPerRun(name: string, size: number, scale: number, offset: number): Promise<number> {
  const s = await onnxSession(name, 1);
  const t = await imageTensors(photo, size, size, scale, offset);
  await runOnnx(s, t);
  const n = Math.max(5, Math.floor(ITER / 2));
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) await runOnnx(s, t);
  const used = process.cpuUsage(before);
  await s.release();
  return Math.round(((used.user + used.system) / 1000 / n) * 10) / 10;
}
const centernet_cpu_ms = await cpuPerRun('centernet', 512, 1, 0);
const centernet_384_cpu_ms = await cpuPerRun('centernet-384', 384, 1, 0);
const blazeface_cpu_ms = await cpuPerRun('blazeface', 256, 1 / 127.5, -1);
const faceres_cpu_ms = await cpuPerRun('faceres', 224, 1, 0);

const fa = await createFaceAnalyzer({ threads: 2, models: ['blazeface', 'faceres'] });
const f256 = await resized(photo, 256, 256);
const blazeface_ms = await timeIt(ITER, () => fa.detectFaces(f256));
const [face] = await fa.detectFaces(full);
const crop = await fa.cropFace(full, face!);
const crop224 = await resized(photo, 224, 224);
crop224.data.set(
  await sharp(crop.data, { raw: { width: crop.width, height: crop.height, channels: 3 } })
    .resize(224, 224, { fit: 'fill' })
    .raw()
    .toBuffer(),
);
const faceres_ms = await timeIt(ITER, () => fa.describe(crop224));
await fa.close();

// Throughput: two workers × one thread each, many frames in flight.
const pool = await createPersonDetector({ model: 'centernet', threads: 1, poolSize: 2 });
await pool.detect(f512);
const N = 24;
const t0 = performance.now();
await Promise.all(Array.from({ length: N }, () => pool.detect(f512)));
const pool_throughput_fps = Math.round((N / ((performance.now() - t0) / 1000)) * 100) / 100;
await pool.close();

const ref = await loadTfjsReference(humanModelJson('centernet.json'));
const tfjs_centernet_ms = await timeIt(
  Number(process.env.BENCH_TFJS_ITER ?? 3),
  () => ref.run(t512.nhwc, [1, 512, 512, 3], ['tower_0/detections']),
  1,
);
ref.dispose();

console.log(
  `load average ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(
  JSON.stringify({
    centernet_ms,
    blazeface_ms,
    faceres_ms,
    tfjs_centernet_ms,
    pool_throughput_fps,
    centernet_384_ms,
    centernet_session_ms,
    centernet_frame_ms,
    centernet_cpu_ms,
    centernet_384_cpu_ms,
    blazeface_cpu_ms,
    faceres_cpu_ms,
  }),
);
