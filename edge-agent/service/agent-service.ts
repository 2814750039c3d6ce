// The edge agent as a library: shared person detector, one CameraRunner per enabled camera,
// footfall recorder, HTTP API (/health, /metrics, /cameras, /footfall, /conversion,
// /transactions, PUT /footfall for counts from another counter) and the technician's camera
// page (/setup/cameras, camera-page-routes.ts). Composed with the sync hub by run-service.ts; tests start it directly.
import type { IncomingMessage } from 'node:http';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { z } from 'zod';
import { createFaceAnalyzer, type FaceAnalyzer, type PersonDetector } from '../../models';
import { DebugSnapshots } from '../privacy';
import { secretMatches } from '../../sync';
import {
  answerErrors,
  bearer,
  closeServer,
  createKitServer,
  HttpError,
  listenOn,
  readBytes,
  type KitEnv,
} from '../../http-kit';
import { Occupancy } from '../counting';
import {
  AgentStore,
  conversionForDate,
  FootfallRecorder,
  PERIOD_MS,
  type FootfallPublisher,
  type Period,
  type SaleTimesReader,
} from '../footfall';
import {
  AgentError,
  agentHttpStatus,
  checkCameraInput,
  checkFfmpeg,
  redactCredentials,
  redactDeep,
  type CameraInputRules,
} from '../ingest';
import { cameraConfigSchema, DetectorScheduler, type AgentConfig, type CameraConfig } from '../pipeline';
import { createDetectorFromConfig } from '../detector-from-config';
import { CameraRunner, type CameraStatus } from './camera-runner';
import { renderMetrics } from './metrics';
import { cameraPageFiles, cameraPageRoutes } from './camera-page-routes';

export interface AgentServiceOptions {
  config: AgentConfig;
  store: AgentStore;
  log: Logger;
  port: number;
  host?: string;
  publisher?: FootfallPublisher | null;
  readSales?: SaleTimesReader;
  hubStatus?: () => Promise<unknown>;
  /** How often dirty intervals are published to the hub (ms). Default 10 s. */
  flushMs?: number;
  /**
   * Bearer token for the technician routes (PUT /cameras, /footfall, /transactions,
   * /debug-snapshot; GET /cameras, /audit). Null refuses those routes altogether.
   */
  adminToken: string | null;
  /**
   * The only folder whose video files may be camera inputs (EDGE_MEDIA_DIR); other inputs must
   * be rtsp://, rtsps:// or /dev/videoN (see ingest/camera-input.ts).
   */
  mediaDir: string;
  /** Where debug snapshots are written when a technician switches them on (default: none — refused). */
  snapshotsDir?: string;
  /** Face detector for blurring snapshots; loaded on first use when absent. */
  faces?: Pick<FaceAnalyzer, 'detectFaces'>;
}

export interface AgentService {
  url: string;
  port: number;
  recorder: FootfallRecorder;
  cameras(): CameraConfig[];
  /** Each running camera's status (as /health shows it). */
  cameraStatus(): ReturnType<CameraRunner['status']>[];
  setCameras(cams: CameraConfig[]): Promise<void>;
  close(): Promise<void>;
}

const footfallBody = z.object({
  camera: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  intervals: z
    .array(
      z.object({
        start: z.string().max(40),
        in: z.number().int().min(0).max(100_000),
        out: z.number().int().min(0).max(100_000),
      }),
    )
    .min(1)
    .max(2000),
});
const transactionsBody = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  hours: z.record(z.string().regex(/^([01]?\d|2[0-3])$/), z.number().int().min(0)),
});

// Every answer goes through the credential filter, whatever route built it: /health carries
// ffmpeg's error text, which repeats camera URLs with their passwords.
function send(status: number, body: unknown, type = 'application/json; charset=utf-8'): Response {
  const text = typeof body === 'string' ? redactCredentials(body) : JSON.stringify(redactDeep(body));
  return new Response(text, { status, headers: { 'content-type': type, 'cache-control': 'no-store' } });
}

// The agent's error-to-status table is agentHttpStatus (edge-agent/ingest): a 4xx code never answers 500.
function agentErrorReply(e: AgentError): Response {
  return send(agentHttpStatus(e.code), { ok: false, error: e.toJSON() });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readBytes(req, 1_000_000);
  } catch (e) {
    if (e instanceof HttpError) throw new AgentError('BAD_REQUEST', 'request body too large');
    throw e;
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new AgentError('BAD_REQUEST', 'request body is not valid JSON');
  }
}

/**
 * GET /cameras shows passwords masked, so a technician who edits that list and PUTs it back
 * sends "user:***@": keep the saved password for that camera when the rest of the URL is
 * unchanged; a masked password on anything else cannot be guessed back and is refused.
 */
function keepMaskedPasswords(next: CameraConfig[], current: CameraConfig[]): void {
  for (const c of next) {
    if (!c.input.includes('***')) continue;
    const was = current.find((p) => p.id === c.id);
    if (was && redactCredentials(was.input) === c.input) c.input = was.input;
    else throw new AgentError('CONFIG_INVALID', `camera ${c.id}: the password is masked (***); type it again`);
  }
}

/** The shared detector in /health: workers, queue, totals over every camera. */
function detectorSummary(cameras: CameraStatus[], scheduler: DetectorScheduler, model: string) {
  const st = scheduler.status();
  const busy = cameras.filter((c) => c.detector.completed > 0);
  return {
    model,
    workers: st.workers,
    queuePerCamera: st.queuePerCamera,
    inFlight: st.inFlight,
    queued: st.queued,
    fps: Math.round(cameras.reduce((a, c) => a + c.fps, 0) * 100) / 100,
    detectorFps: st.fps,
    dropped: cameras.reduce((a, c) => a + c.dropped, 0),
    detectorMs: busy.length
      ? Math.round((busy.reduce((a, c) => a + c.detector.runMsAvg, 0) / busy.length) * 10) / 10
      : null,
  };
}

function zodMessage(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}

export async function startAgentService(o: AgentServiceOptions): Promise<AgentService> {
  const { log, store } = o;
  try {
    checkFfmpeg();
  } catch (e) {
    log.error({ err: (e as Error).message }, 'ffmpeg missing: cameras cannot run');
  }
  const detector: PersonDetector = await createDetectorFromConfig(o.config.detector);
  // One detector pool for every camera, shared round-robin (see pipeline/detector-scheduler.ts).
  const scheduler = new DetectorScheduler({
    workers: detector.pool.poolSize,
    queuePerCamera: o.config.detector.queuePerCamera,
  });
  const occupancy = new Occupancy({
    resetAt: o.config.occupancyResetAt,
    utcOffsetMinutes: o.config.utcOffsetMinutes,
    alert: o.config.occupancyAlert,
  });
  const recorder = new FootfallRecorder({ store, occupancy, publisher: o.publisher ?? null, log });
  let cams: CameraConfig[] = [];
  let runners: CameraRunner[] = [];
  // Loaded on first use; the promise is shared, so two cameras starting together load it once.
  let faceAnalyzer: Promise<FaceAnalyzer> | null = null;
  const faces = o.faces ?? {
    detectFaces: async (frame: Parameters<FaceAnalyzer['detectFaces']>[0]) => {
      // A failed load is forgotten, so the next snapshot tries again.
      faceAnalyzer ??= createFaceAnalyzer({ models: ['blazeface'], threads: 1 }).catch((e: unknown) => {
        faceAnalyzer = null;
        throw e;
      });
      return (await faceAnalyzer).detectFaces(frame);
    },
  };
  const snapshots = o.snapshotsDir
    ? new DebugSnapshots({
        faces,
        dir: o.snapshotsDir,
        audit: (e) => store.audit({ at: e.at, action: e.action, by: e.by, detail: { reason: e.reason } }),
      })
    : null;
  const requireTechnician = (req: IncomingMessage) => {
    if (!o.adminToken)
      throw new AgentError('FORBIDDEN', 'technician routes are switched off on this agent (no admin token)');
    if (!secretMatches(bearer(req.headers.authorization), o.adminToken)) {
      throw new AgentError('UNAUTHENTICATED', 'this route needs the agent admin token (Authorization: Bearer …)');
    }
  };

  const rules: CameraInputRules = { files: { under: o.mediaDir } };
  // Checked in full before anything stops, so a refused list leaves the running cameras alone.
  const setCameras = async (next: CameraConfig[]) => {
    const ids = new Set<string>();
    for (const c of next) {
      if (ids.has(c.id)) throw new AgentError('CONFIG_INVALID', `camera id ${c.id} is used twice`);
      ids.add(c.id);
      checkCameraInput(c.input, rules);
    }
    await Promise.all(runners.map((r) => r.stop()));
    recorder.flush();
    cams = next;
    runners = next
      .filter((c) => c.enabled)
      .map((c) => new CameraRunner(c, detector, scheduler, recorder, log.child({ camera: c.id }), rules, snapshots));
    for (const r of runners) r.start();
    log.info({ cameras: runners.map((r) => r.config.id) }, 'cameras configured');
  };
  await setCameras(o.config.cameras);

  const timer = setInterval(() => {
    recorder.tick(
      cams.map((c) => c.id),
      Date.now(),
    );
    recorder.flush();
  }, o.flushMs ?? 10_000);

  const app = new Hono<KitEnv>()
    .get('/health', async () => {
      const cameras = runners.map((r) => r.status());
      const degraded = cameras
        .filter((c) => c.source.state !== 'streaming' && c.source.state !== 'ended')
        .map((c) => c.id);
      return send(200, {
        ok: degraded.length === 0,
        role: 'edge-agent',
        storeId: o.config.storeId,
        degraded,
        cameras: cameras.map((c) => ({
          id: c.id,
          state: c.source.state,
          lastError: c.source.lastError,
          reconnects: c.source.reconnects,
          fps: c.fps,
          frames: c.source.frames,
          detected: c.pipeline.detected,
          skippedStatic: c.pipeline.skippedNoMotion,
          dropped: c.dropped,
          detectorFps: c.detector.fps,
          detectorMs: c.detector.runMsAvg,
          queueWaitMs: c.detector.waitMsAvg,
          queued: c.detector.queued,
          totals: c.totals,
        })),
        detector: detectorSummary(cameras, scheduler, detector.modelName),
        occupancy: recorder.occupancy,
        occupancyAlert: occupancy.alarm?.active ?? false,
        hub: o.hubStatus ? await o.hubStatus().catch((e: Error) => ({ error: e.message })) : null,
        privacy: {
          framesStored: snapshots?.enabled ?? false,
          framesSent: false,
          // Cameras the technician's camera page shows (blurred pictures to that browser only).
          liveView: runners.filter((r) => r.watched).map((r) => r.config.id),
          debugSnapshots: snapshots?.status ?? { enabled: false, by: null, since: null },
        },
      });
    })
    .get('/metrics', () =>
      send(
        200,
        renderMetrics(
          runners.map((r) => r.status()),
          {
            occupancy: recorder.occupancy,
            occupancyAlert: occupancy.alarm?.active ?? false,
            crossings: recorder.crossings,
            hubUp: o.hubStatus ? true : null,
          },
        ),
        'text/plain; version=0.0.4',
      ),
    )
    // The camera page's shell (no data in it; its calls below need the token).
    .route('/', cameraPageFiles())
    // Everything below is for technicians and the back office's integrations: token required
    // (unknown routes too, so the route list is not probed without it).
    .use('*', async (c, next) => {
      if (!(c.req.method === 'GET' && (c.req.path === '/footfall' || c.req.path === '/conversion')))
        requireTechnician(c.env.incoming);
      await next();
    })
    .get('/debug-snapshot', () =>
      send(200, {
        ok: true,
        ...(snapshots?.status ?? { enabled: false, by: null, since: null }),
        available: snapshots !== null,
      }),
    )
    .put('/debug-snapshot', async (c) => {
      const parsed = z
        .object({
          enabled: z.boolean(),
          by: z.string().trim().min(1).max(80),
          reason: z.string().trim().min(1).max(200),
        })
        .safeParse(await readJson(c.env.incoming));
      if (!parsed.success)
        throw new AgentError(
          'BAD_REQUEST',
          `debug snapshot switch needs enabled, by and reason: ${zodMessage(parsed.error)}`,
        );
      if (!snapshots)
        throw new AgentError('FORBIDDEN', 'debug snapshots are not available on this agent (no snapshot directory)');
      snapshots.set(parsed.data.enabled, parsed.data.by, parsed.data.reason);
      log.warn({ enabled: parsed.data.enabled, by: parsed.data.by }, 'debug snapshots switched');
      return send(200, { ok: true, ...snapshots.status });
    })
    .get('/audit', (c) => {
      const limit = Math.trunc(Number(c.req.query('limit') ?? 100));
      if (!Number.isFinite(limit) || limit < 1) throw new AgentError('BAD_REQUEST', 'limit is a whole number from 1');
      return send(200, { ok: true, entries: store.auditLog(Math.min(1000, limit)) });
    })
    .route(
      '/',
      cameraPageRoutes({
        runners: () => runners,
        rules,
        faces,
        detector,
        store,
        log,
        readJson,
        send: (status, body) => send(status, body),
      }),
    )
    .get('/cameras', () => send(200, { cameras: cams }))
    .put('/cameras', async (c) => {
      const body = await readJson(c.env.incoming);
      const parsed = z.object({ cameras: z.array(cameraConfigSchema) }).safeParse(body);
      if (!parsed.success) {
        const refused = parsed.error.issues.some(
          (i) =>
            i.code === 'custom' && (i.params as { agentCode?: string } | undefined)?.agentCode === 'INPUT_NOT_ALLOWED',
        );
        throw new AgentError(
          refused ? 'INPUT_NOT_ALLOWED' : 'CONFIG_INVALID',
          `camera config invalid: ${zodMessage(parsed.error)}`,
        );
      }
      keepMaskedPasswords(parsed.data.cameras, cams);
      await setCameras(parsed.data.cameras);
      store.setSetting('cameras', JSON.stringify(parsed.data.cameras));
      store.audit({
        at: new Date().toISOString(),
        action: 'cameras.set',
        by: 'admin-token',
        detail: { cameras: parsed.data.cameras.map((c) => c.id) },
      });
      return send(200, { ok: true, cameras: cams });
    })
    .get('/footfall', (c) => {
      const from = Date.parse(c.req.query('from') ?? '');
      const to = Date.parse(c.req.query('to') ?? '');
      const period = (c.req.query('period') ?? '15m') as Period;
      if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from)
        throw new AgentError('BAD_REQUEST', 'from and to must be ISO times with from < to');
      if (period !== '15m' && period !== '1h') throw new AgentError('BAD_REQUEST', 'period is 15m or 1h');
      const intervals = store.intervals(from, to, period, c.req.query('camera') ?? undefined);
      const total = intervals.reduce((a, r) => ({ in: a.in + r.in, out: a.out + r.out }), { in: 0, out: 0 });
      return send(200, {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        period,
        total,
        intervals,
        factsSyncedVia: o.publisher ? 'sync ff ops (15m)' : 'local only',
      });
    })
    .put('/footfall', async (c) => {
      const parsed = footfallBody.safeParse(await readJson(c.env.incoming));
      if (!parsed.success) throw new AgentError('BAD_REQUEST', `footfall invalid: ${zodMessage(parsed.error)}`);
      const rows = parsed.data.intervals.map((r) => ({ start: Date.parse(r.start), in: r.in, out: r.out }));
      const bad = rows.find((r) => !Number.isFinite(r.start) || r.start % PERIOD_MS['15m'] !== 0);
      if (bad)
        throw new AgentError(
          'BAD_REQUEST',
          'each interval start must be an ISO time on a quarter hour (:00, :15, :30, :45 UTC)',
        );
      recorder.putQuarters(parsed.data.camera, rows);
      recorder.flush();
      return send(200, { ok: true, intervals: rows.length });
    })
    .get('/conversion', async (c) => {
      const date = c.req.query('date') ?? '';
      try {
        return send(200, await conversionForDate(store, date, o.config.utcOffsetMinutes, o.readSales));
      } catch (e) {
        if (e instanceof RangeError) throw new AgentError('BAD_REQUEST', e.message);
        throw e;
      }
    })
    .put('/transactions', async (c) => {
      const parsed = transactionsBody.safeParse(await readJson(c.env.incoming));
      if (!parsed.success) throw new AgentError('BAD_REQUEST', `transactions invalid: ${zodMessage(parsed.error)}`);
      store.setTransactions(parsed.data.date, parsed.data.hours);
      return send(200, { ok: true });
    })
    .notFound((c) => agentErrorReply(new AgentError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`)))
    .onError(
      answerErrors((e) => {
        if (e instanceof AgentError) return agentErrorReply(e);
        log.error({ err: redactCredentials((e as Error).message) }, 'request failed');
        return agentErrorReply(new AgentError('INTERNAL', 'internal error'));
      }),
    );
  const server = createKitServer(app, { log });
  const port = await listenOn(server, o.port, o.host ?? '0.0.0.0');
  log.info({ port }, 'edge agent listening');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    recorder,
    cameras: () => cams,
    cameraStatus: () => runners.map((r) => r.status()),
    setCameras,
    async close() {
      clearInterval(timer);
      await closeServer(server);
      await Promise.all(runners.map((r) => r.stop()));
      recorder.flush();
      await detector.close();
      await faceAnalyzer?.then(
        (f) => f.close(),
        () => undefined,
      );
    },
  };
}
