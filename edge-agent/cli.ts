// `edge-agent` CLI. `count` runs one input (file, rtsp://, /dev/videoN) to its end and prints
// the totals; with --json the LAST line is {"in","out","frames","seconds","fps",...} where
// seconds is wall time and fps the processing rate. `serve` runs the service (same as main.ts).
// The technician runs `count` by hand on their own recordings, so local files are read wherever
// they are; URLs follow the service's rules (rtsp:// and rtsps:// only).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { parseLine } from './counting';
import {
  AgentError,
  agentErrorText,
  FrameSource,
  redactCredentials,
  redactingLogHooks,
  type CameraInputRules,
} from './ingest';
import { CameraPipeline, cameraConfigSchema, detectorConfigSchema } from './pipeline';
import { createDetectorFromConfig } from './detector-from-config';
import { ensureModelsBuilt } from '../app/build';
import { doctorFailed, doctorTable } from '../diagnostics';
import { runAgentDoctor } from './doctor';

/** `edge-agent doctor`: reports, never repairs (no model conversion here). Exit 1 when a check fails. */
async function doctor(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      'data-dir': { type: 'string' },
      model: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    },
  });
  const url = values.url ?? 'http://127.0.0.1:8792';
  const checks = await runAgentDoctor({
    agentUrl: url === 'none' ? null : url,
    dataDir: values['data-dir'] ?? process.cwd(),
    models: values.model,
  });
  console.log(values.json ? JSON.stringify({ checks }) : doctorTable(checks));
  return doctorFailed(checks) ? 1 : 0;
}

const USAGE = `usage:
  edge-agent count --input <file|rtsp://…|/dev/videoN> --line x1,y1,x2,y2 [--fps N] [--json] [--lang zh-CN|en]
      [--anchor bottom|center|head] [--dead-band PX] [--confirm N] [--roi x,y,w,h] [--width PX]
      [--model centernet-384|centernet|movenet-multipose|detector.json] [--score 0.2] [--nms 0.5] [--threads N]
      [--rtsp-listen] [--idle-exit SECONDS] [--no-motion-gate]
  edge-agent serve          (the service; configure with EDGE_CONFIG, see docs/footfall.md)
  edge-agent doctor [--url http://127.0.0.1:8792 | none] [--data-dir DIR] [--model NAME]… [--json]
"in" = crossing to the right-hand side of the line x1,y1 → x2,y2 (image y points down).`;

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'doctor') return doctor(argv.slice(1));
  // A fresh clone has only the TFJS weights: convert them once (≈3 s) before the first count.
  ensureModelsBuilt();
  const [cmd, ...rest] = argv;
  if (cmd === 'serve') {
    const { runService } = await import('./service');
    await runService(process.env);
    return 0;
  }
  if (cmd !== 'count') {
    process.stderr.write(`${USAGE}\n`);
    return cmd === undefined || cmd === '--help' || cmd === 'help' ? 0 : 1;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        input: { type: 'string' },
        line: { type: 'string' },
        fps: { type: 'string' },
        json: { type: 'boolean' },
        anchor: { type: 'string' },
        'dead-band': { type: 'string' },
        confirm: { type: 'string' },
        roi: { type: 'string' },
        width: { type: 'string' },
        model: { type: 'string' },
        score: { type: 'string' },
        nms: { type: 'string' },
        threads: { type: 'string' },
        'rtsp-listen': { type: 'boolean' },
        'idle-exit': { type: 'string' },
        'no-motion-gate': { type: 'boolean' },
        'min-hits': { type: 'string' },
        lang: { type: 'string' },
      },
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 1;
  }
  const json = values.json === true;
  // Error words for a person in their language (--lang, else EDGE_LANG, else LANG); JSON stays English.
  const lang = (values.lang ?? process.env['EDGE_LANG'] ?? process.env['LANG'] ?? '').toLowerCase().startsWith('zh')
    ? 'zh-CN'
    : 'en';
  const fail = (code: string, raw: string, exit = 1) => {
    const message = redactCredentials(raw);
    if (json) console.log(JSON.stringify({ error: { code, message } }));
    else process.stderr.write(`error ${code}: ${agentErrorText({ code, message }, lang)}\n`);
    return exit;
  };
  if (!values.input || !values.line) return fail('BAD_ARGS', `--input and --line are required\n${USAGE}`);
  const log = pino(
    { name: 'edge-agent', level: process.env['LOG_LEVEL'] ?? 'warn', hooks: redactingLogHooks },
    pino.destination(2),
  );
  const rules: CameraInputRules = { files: 'anywhere' };
  const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  let camera;
  let detectorCfg;
  try {
    const line = parseLine(values.line);
    const roi = values.roi ? values.roi.split(',').map(Number) : undefined;
    camera = cameraConfigSchema.parse({
      id: 'cli',
      input: values.input,
      fps: num(values.fps) ?? 6,
      line,
      width: num(values.width),
      anchor: values.anchor,
      deadBand: num(values['dead-band']),
      confirmFrames: num(values.confirm),
      roi: roi ? { x: roi[0], y: roi[1], width: roi[2], height: roi[3] } : undefined,
      motionGate: values['no-motion-gate'] ? false : true,
      rtspListen: values['rtsp-listen'] === true,
      tracker: values['min-hits'] ? { minHits: num(values['min-hits']) } : {},
    });
    const model =
      values.model && /\.json$/i.test(values.model)
        ? (JSON.parse(readFileSync(values.model, 'utf8')) as unknown)
        : values.model;
    // one camera, one frame at a time: a single worker is enough
    detectorCfg = detectorConfigSchema.parse({
      model,
      scoreThreshold: num(values.score),
      nmsIou: num(values.nms),
      threads: num(values.threads),
      poolSize: 1,
    });
  } catch (e) {
    const issues =
      e instanceof Error && 'issues' in e
        ? (e as { issues: Array<{ path: PropertyKey[]; message: string; params?: { agentCode?: string } }> }).issues
        : null;
    const msg = issues ? issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (e as Error).message;
    return fail(
      issues?.some((i) => i.params?.agentCode === 'INPUT_NOT_ALLOWED') ? 'INPUT_NOT_ALLOWED' : 'BAD_ARGS',
      msg,
    );
  }

  const source = new FrameSource({
    input: camera.input,
    rules,
    fps: camera.fps,
    width: camera.width,
    rtspListen: camera.rtspListen,
    // Live sources in count mode: reconnect through drops, stop once the camera stays quiet.
    idleExitMs: (num(values['idle-exit']) ?? 5) * 1000,
    log,
  });
  let detector;
  try {
    source.status(); // nothing yet; ffmpeg is checked when frames start
    detector = await createDetectorFromConfig(detectorCfg);
  } catch (e) {
    return fail((e as { code?: string }).code ?? 'DETECTOR_FAILED', (e as Error).message);
  }
  const pipeline = new CameraPipeline(camera, detector, log);
  const t0 = performance.now();
  let error: { code: string; message: string } | null = null;
  let lastAt = 0;
  try {
    for await (const frame of source.frames()) {
      lastAt = frame.at;
      const r = await pipeline.processFrame(frame);
      for (const c of r.crossings)
        process.stderr.write(
          `${new Date(c.at).toISOString()} track ${c.trackId} ${c.direction}${c.cancels ? ' (cancels earlier crossing)' : ''}\n`,
        );
    }
  } catch (e) {
    error =
      e instanceof AgentError
        ? { code: e.code, message: e.message }
        : { code: 'SOURCE_FAILED', message: redactCredentials((e as Error).message) };
  } finally {
    await detector.close();
  }
  pipeline.finish(lastAt);
  const st = source.status();
  if (!error && st.lastError && st.state !== 'ended') error = st.lastError;
  if (!error && st.lastError && st.lastError.code === 'INPUT_TRUNCATED') error = st.lastError;
  const seconds = (performance.now() - t0) / 1000;
  const totals = pipeline.totals();
  const frames = pipeline.stats.frames;
  const out: Record<string, unknown> = {
    in: totals.in,
    out: totals.out,
    frames,
    seconds: Math.round(seconds * 100) / 100,
    fps: Math.round((frames / Math.max(seconds, 1e-3)) * 100) / 100,
    video_seconds: Math.round((frames / camera.fps) * 100) / 100,
    detected_frames: pipeline.stats.detected,
    inference_ms_avg: pipeline.stats.detected
      ? Math.round(pipeline.stats.inferenceMsTotal / pipeline.stats.detected)
      : 0,
    reconnects: st.reconnects,
    dropped: st.dropped,
    decode_errors: st.decodeErrors,
  };
  if (error) out['error'] = error;
  if (json) console.log(JSON.stringify(out));
  else {
    console.log(`in ${totals.in}  out ${totals.out}  (${frames} frames in ${out['seconds']} s, ${out['fps']} fps)`);
    if (error) process.stderr.write(`error ${error.code}: ${agentErrorText(error, lang)}\n`);
  }
  return error ? 2 : 0;
}
