// Door footfall benchmark: `npm run bench -- footfall`. Last line is one JSON object:
//   fps_per_camera   frames per second one camera sustains end to end at 640×360 (ffmpeg decode +
//                    motion gate + person detector + tracker + counter), over the generated set
//   count_accuracy   1 − |count errors| ÷ true crossings on the generated door set (0..1)
//   cpu_ms_per_frame CPU time per frame of the counting process (what an idle box would need)
//   agent_rss_mb     peak resident memory of the agent process (`npm run edge-agent`, node only,
//                    ffmpeg children reported apart) with two cameras streaming
// Model: centernet-384, 1 intra-op thread (the agent's defaults). FOOTFALL_BENCH_MODEL=centernet to compare.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPersonDetector } from '../../models';
import { countAccuracy, countClip, DOOR, lineArg, writeDoorSet, type ClipResult } from '../../edge-agent/testing';
import { detectorConfigSchema } from '../../edge-agent/pipeline';

// The agent's default detector unless FOOTFALL_BENCH_MODEL names another built-in one.
const chosen = detectorConfigSchema.parse(
  process.env['FOOTFALL_BENCH_MODEL'] ? { model: process.env['FOOTFALL_BENCH_MODEL'] } : {},
).model;
if (typeof chosen !== 'string') throw new Error('FOOTFALL_BENCH_MODEL names a built-in detector');
const model = chosen;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const dir = mkdtempSync(join(tmpdir(), 'footfall-bench-'));
const clips = await writeDoorSet(dir);

// 1 + 2: accuracy and end-to-end rate, one camera at a time
const detector = await createPersonDetector({ model, scoreThreshold: 0.2, threads: 1 });
const results: ClipResult[] = [];
const cpu0 = process.cpuUsage();
for (const c of clips) {
  const r = await countClip(detector, c);
  results.push(r);
  console.log(
    `${c.name.padEnd(16)} expected ${JSON.stringify(r.expected)} got ${JSON.stringify(r.got)}  ${r.frames} frames ${round(r.frames / r.seconds)} fps`,
  );
}
const cpu = process.cpuUsage(cpu0);
await detector.close();
const frames = results.reduce((a, r) => a + r.frames, 0);
const seconds = results.reduce((a, r) => a + r.seconds, 0);
const fps_per_camera = round(frames / seconds);
const count_accuracy = round(countAccuracy(results), 4);
// CPU time of this process (main thread + detector worker threads) per frame: on a loaded box
// wall-clock fps says more about the neighbours than about the agent; this does not.
const cpu_ms_per_frame = round((cpu.user + cpu.system) / 1000 / frames, 1);

// 3: the service with two cameras (generated clips played at real speed, looped by ffmpeg)
const loop = join(dir, 'loop.mp4');
execFileSync('ffmpeg', [
  '-hide_banner',
  '-loglevel',
  'error',
  '-y',
  '-stream_loop',
  '8',
  '-i',
  clips.find((c) => c.name === 'in-then-out')!.path,
  '-c',
  'copy',
  loop,
]);
const [x1, y1, x2, y2] = lineArg().split(',').map(Number);
const cam = (id: string) => ({ id, input: loop, fps: DOOR.fps, line: { x1, y1, x2, y2 } });
writeFileSync(
  join(dir, 'edge.json'),
  JSON.stringify({ storeId: 'S1', detector: { model }, cameras: [cam('door1'), cam('door2')] }),
);
const agent = spawn(process.execPath, ['--import', 'tsx', 'edge-agent/main.ts'], {
  cwd: join(import.meta.dirname, '../..'),
  env: {
    ...process.env,
    EDGE_CONFIG: join(dir, 'edge.json'),
    EDGE_PORT: '0',
    EDGE_HOST: '127.0.0.1',
    EDGE_DATA_DIR: join(dir, 'data'),
    EDGE_MEDIA_DIR: dir,
    HUB_PORT: '0',
    HUB_HOST: '127.0.0.1',
    HUB_DATA_DIR: join(dir, 'hub'),
    CLOUD_URL: 'http://127.0.0.1:9',
    ENROLL_CODE: 'BENCH-1',
    LOG_LEVEL: 'error',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let out = '';
agent.stdout!.on('data', (d: Buffer) => {
  out += d.toString();
});
const url = await new Promise<string>((resolve, reject) => {
  const t = setInterval(() => {
    const m = /EDGE_AGENT_READY (.*)/.exec(out);
    if (m) {
      clearInterval(t);
      resolve((JSON.parse(m[1]!) as { url: string }).url);
    }
  }, 200);
  setTimeout(() => {
    clearInterval(t);
    reject(new Error('agent did not start'));
  }, 120_000);
});
let rssPeak = 0;
let serviceFps: number[] = [];
let ffmpegRss = 0;
for (let i = 0; i < 20; i++) {
  await new Promise((r) => setTimeout(r, 1000));
  const text = await (await fetch(`${url}/metrics`)).text();
  const rss = Number(/process_resident_memory_bytes (\d+)/.exec(text)?.[1] ?? 0);
  rssPeak = Math.max(rssPeak, rss);
  serviceFps = [...text.matchAll(/edge_camera_fps\{camera="door\d"\} ([\d.]+)/g)].map((m) => Number(m[1]));
  try {
    const ps = execFileSync('ps', ['-o', 'rss=', '--ppid', String(agent.pid)], { encoding: 'utf8' });
    ffmpegRss = Math.max(
      ffmpegRss,
      ps
        .split('\n')
        .map(Number)
        .filter(Boolean)
        .reduce((a, b) => a + b, 0) / 1024,
    );
  } catch {
    /* no children right now (between reconnects) */
  }
}
agent.kill('SIGTERM');
await new Promise((r) => agent.on('exit', r));
const agent_rss_mb = round(rssPeak / 1024 / 1024, 1);
console.log(
  `service, two cameras: node RSS peak ${agent_rss_mb} MB, ffmpeg children ${round(ffmpegRss, 1)} MB, camera fps ${serviceFps.join(' / ')} (live: newest frame wins, the rest are dropped)`,
);
console.log(`model ${model}; set: ${clips.length} clips, ${frames} frames in ${round(seconds)} s`);
console.log(
  `CPU per frame (node + detector threads, ffmpeg not included): ${cpu_ms_per_frame} ms -> an idle 2-core box could sustain ~${round(2000 / cpu_ms_per_frame, 1)} frames/s in total`,
);
console.log(
  JSON.stringify({
    fps_per_camera,
    count_accuracy,
    agent_rss_mb,
    cpu_ms_per_frame,
    two_camera_service_fps: serviceFps,
    ffmpeg_rss_mb: round(ffmpegRss, 1),
    model,
  }),
);
