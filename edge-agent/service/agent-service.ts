// The edge agent as a library: shared person detector, one CameraRunner per enabled camera,
// footfall recorder, HTTP API (/health, /metrics, /cameras, /footfall, /conversion,
// /transactions, PUT /footfall for counts from another counter). Composed with the sync hub by run-service.ts; tests start it directly.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { z } from 'zod';
import { createFaceAnalyzer, type FaceAnalyzer, type PersonDetector } from '../../models';
import { DebugSnapshots } from '../privacy';
import { bearer, secretMatches } from '../../sync';
import { Occupancy } from '../counting';
import { AgentStore, conversionForDate, FootfallRecorder, PERIOD_MS, type FootfallPublisher, type Period, type SaleTimesReader } from '../footfall';
import { AgentError, agentHttpStatus, checkCameraInput, checkFfmpeg, redactCredentials, redactDeep, type CameraInputRules } from '../ingest';
import { cameraConfigSchema, type AgentConfig, type CameraConfig } from '../pipeline';
import { createDetectorFromConfig } from '../detector-from-config';
import { CameraRunner } from './camera-runner';
import { renderMetrics } from './metrics';

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
  setCameras(cams: CameraConfig[]): Promise<void>;
  close(): Promise<void>;
}

const footfallBody = z.object({
  camera: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  intervals: z.array(z.object({ start: z.string().max(40), in: z.number().int().min(0).max(100_000), out: z.number().int().min(0).max(100_000) })).min(1).max(2000),
});
const transactionsBody = z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), hours: z.record(z.string().regex(/^([01]?\d|2[0-3])$/), z.number().int().min(0)) });

// Every answer goes through the credential filter, whatever route built it: /health carries
// ffmpeg's error text, which repeats camera URLs with their passwords.
function send(res: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8'): void {
  const text = typeof body === 'string' ? redactCredentials(body) : JSON.stringify(redactDeep(body));
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, e: AgentError): void {
  send(res, status, { ok: false, error: e.toJSON() });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req) {
    n += (c as Buffer).length;
    if (n > 1_000_000) throw new AgentError('BAD_REQUEST', 'request body too large');
    chunks.push(c as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
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

function zodMessage(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}

export async function startAgentService(o: AgentServiceOptions): Promise<AgentService> {
  const { log, store } = o;
  try { checkFfmpeg(); } catch (e) { log.error({ err: (e as Error).message }, 'ffmpeg missing: cameras cannot run'); }
  const detector: PersonDetector = await createDetectorFromConfig(o.config.detector);
  const occupancy = new Occupancy({ resetAt: o.config.occupancyResetAt, utcOffsetMinutes: o.config.utcOffsetMinutes, alert: o.config.occupancyAlert });
  const recorder = new FootfallRecorder({ store, occupancy, publisher: o.publisher ?? null, log });
  let cams: CameraConfig[] = [];
  let runners: CameraRunner[] = [];
  // Loaded on first use; the promise is shared, so two cameras starting together load it once.
  let faceAnalyzer: Promise<FaceAnalyzer> | null = null;
  const faces = o.faces ?? {
    detectFaces: async (frame: Parameters<FaceAnalyzer['detectFaces']>[0]) => {
      // A failed load is forgotten, so the next snapshot tries again.
      faceAnalyzer ??= createFaceAnalyzer({ models: ['blazeface'], threads: 1 }).catch((e: unknown) => { faceAnalyzer = null; throw e; });
      return (await faceAnalyzer).detectFaces(frame);
    },
  };
  const snapshots = o.snapshotsDir
    ? new DebugSnapshots({ faces, dir: o.snapshotsDir, audit: (e) => store.audit({ at: e.at, action: e.action, by: e.by, detail: { reason: e.reason } }) })
    : null;
  const requireTechnician = (req: IncomingMessage) => {
    if (!o.adminToken) throw new AgentError('FORBIDDEN', 'technician routes are switched off on this agent (no admin token)');
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
    runners = next.filter((c) => c.enabled).map((c) => new CameraRunner(c, detector, recorder, log.child({ camera: c.id }), rules, snapshots));
    for (const r of runners) r.start();
    log.info({ cameras: runners.map((r) => r.config.id) }, 'cameras configured');
  };
  await setCameras(o.config.cameras);

  const timer = setInterval(() => {
    recorder.tick(cams.map((c) => c.id), Date.now());
    recorder.flush();
  }, o.flushMs ?? 10_000);

  const routes = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://agent');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/health') {
      const cameras = runners.map((r) => r.status());
      const degraded = cameras.filter((c) => c.source.state !== 'streaming' && c.source.state !== 'ended').map((c) => c.id);
      send(res, 200, {
        ok: degraded.length === 0, role: 'edge-agent', storeId: o.config.storeId, degraded,
        cameras: cameras.map((c) => ({ id: c.id, state: c.source.state, lastError: c.source.lastError, reconnects: c.source.reconnects, fps: c.fps, frames: c.source.frames, totals: c.totals })),
        occupancy: recorder.occupancy,
        occupancyAlert: occupancy.alarm?.active ?? false,
        hub: o.hubStatus ? await o.hubStatus().catch((e: Error) => ({ error: e.message })) : null,
        privacy: { framesStored: snapshots?.enabled ?? false, framesSent: false, debugSnapshots: snapshots?.status ?? { enabled: false, by: null, since: null } },
      });
      return;
    }
    if (req.method === 'GET' && path === '/metrics') {
      send(res, 200, renderMetrics(runners.map((r) => r.status()), { occupancy: recorder.occupancy, occupancyAlert: occupancy.alarm?.active ?? false, crossings: recorder.crossings, hubUp: o.hubStatus ? true : null }), 'text/plain; version=0.0.4');
      return;
    }
    // Everything below is for technicians and the back office's integrations: token required.
    if (!(req.method === 'GET' && (path === '/footfall' || path === '/conversion'))) requireTechnician(req);
    if (path === '/debug-snapshot' && req.method === 'GET') {
      send(res, 200, { ok: true, ...(snapshots?.status ?? { enabled: false, by: null, since: null }), available: snapshots !== null });
      return;
    }
    if (path === '/debug-snapshot' && req.method === 'PUT') {
      const parsed = z.object({ enabled: z.boolean(), by: z.string().trim().min(1).max(80), reason: z.string().trim().min(1).max(200) }).safeParse(await readJson(req));
      if (!parsed.success) throw new AgentError('BAD_REQUEST', `debug snapshot switch needs enabled, by and reason: ${zodMessage(parsed.error)}`);
      if (!snapshots) throw new AgentError('FORBIDDEN', 'debug snapshots are not available on this agent (no snapshot directory)');
      snapshots.set(parsed.data.enabled, parsed.data.by, parsed.data.reason);
      log.warn({ enabled: parsed.data.enabled, by: parsed.data.by }, 'debug snapshots switched');
      send(res, 200, { ok: true, ...snapshots.status });
      return;
    }
    if (path === '/audit' && req.method === 'GET') {
      const limit = Math.trunc(Number(url.searchParams.get('limit') ?? 100));
      if (!Number.isFinite(limit) || limit < 1) throw new AgentError('BAD_REQUEST', 'limit is a whole number from 1');
      send(res, 200, { ok: true, entries: store.auditLog(Math.min(1000, limit)) });
      return;
    }
    if (path === '/cameras' && req.method === 'GET') {
      send(res, 200, { cameras: cams });
      return;
    }
    if (path === '/cameras' && req.method === 'PUT') {
      const body = await readJson(req);
      const parsed = z.object({ cameras: z.array(cameraConfigSchema) }).safeParse(body);
      if (!parsed.success) {
        const refused = parsed.error.issues.some((i) => i.code === 'custom' && (i.params as { agentCode?: string } | undefined)?.agentCode === 'INPUT_NOT_ALLOWED');
        throw new AgentError(refused ? 'INPUT_NOT_ALLOWED' : 'CONFIG_INVALID', `camera config invalid: ${zodMessage(parsed.error)}`);
      }
      keepMaskedPasswords(parsed.data.cameras, cams);
      await setCameras(parsed.data.cameras);
      store.setSetting('cameras', JSON.stringify(parsed.data.cameras));
      store.audit({ at: new Date().toISOString(), action: 'cameras.set', by: 'admin-token', detail: { cameras: parsed.data.cameras.map((c) => c.id) } });
      send(res, 200, { ok: true, cameras: cams });
      return;
    }
    if (path === '/footfall' && req.method === 'GET') {
      const from = Date.parse(url.searchParams.get('from') ?? '');
      const to = Date.parse(url.searchParams.get('to') ?? '');
      const period = (url.searchParams.get('period') ?? '15m') as Period;
      if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) throw new AgentError('BAD_REQUEST', 'from and to must be ISO times with from < to');
      if (period !== '15m' && period !== '1h') throw new AgentError('BAD_REQUEST', 'period is 15m or 1h');
      const intervals = store.intervals(from, to, period, url.searchParams.get('camera') ?? undefined);
      const total = intervals.reduce((a, r) => ({ in: a.in + r.in, out: a.out + r.out }), { in: 0, out: 0 });
      send(res, 200, { from: new Date(from).toISOString(), to: new Date(to).toISOString(), period, total, intervals, factsSyncedVia: o.publisher ? 'sync ff ops (15m)' : 'local only' });
      return;
    }
    if (path === '/footfall' && req.method === 'PUT') {
      const parsed = footfallBody.safeParse(await readJson(req));
      if (!parsed.success) throw new AgentError('BAD_REQUEST', `footfall invalid: ${zodMessage(parsed.error)}`);
      const rows = parsed.data.intervals.map((r) => ({ start: Date.parse(r.start), in: r.in, out: r.out }));
      const bad = rows.find((r) => !Number.isFinite(r.start) || r.start % PERIOD_MS['15m'] !== 0);
      if (bad) throw new AgentError('BAD_REQUEST', 'each interval start must be an ISO time on a quarter hour (:00, :15, :30, :45 UTC)');
      recorder.putQuarters(parsed.data.camera, rows);
      recorder.flush();
      send(res, 200, { ok: true, intervals: rows.length });
      return;
    }
    if (path === '/conversion' && req.method === 'GET') {
      const date = url.searchParams.get('date') ?? '';
      try {
        send(res, 200, await conversionForDate(store, date, o.config.utcOffsetMinutes, o.readSales));
      } catch (e) {
        if (e instanceof RangeError) throw new AgentError('BAD_REQUEST', e.message);
        throw e;
      }
      return;
    }
    if (path === '/transactions' && req.method === 'PUT') {
      const parsed = transactionsBody.safeParse(await readJson(req));
      if (!parsed.success) throw new AgentError('BAD_REQUEST', `transactions invalid: ${zodMessage(parsed.error)}`);
      store.setTransactions(parsed.data.date, parsed.data.hours);
      send(res, 200, { ok: true });
      return;
    }
    throw new AgentError('NOT_FOUND', `no route ${req.method} ${path}`);
  };

  const server: Server = createServer((req, res) => {
    routes(req, res).catch((e: unknown) => {
      if (res.headersSent) return;
      if (e instanceof AgentError) sendError(res, agentHttpStatus(e.code), e);
      else { log.error({ err: redactCredentials((e as Error).message) }, 'request failed'); sendError(res, 500, new AgentError('INTERNAL', 'internal error')); }
    });
  });
  await new Promise<void>((resolve) => server.listen(o.port, o.host ?? '0.0.0.0', resolve));
  const port = (server.address() as AddressInfo).port;
  log.info({ port }, 'edge agent listening');
  return {
    url: `http://127.0.0.1:${port}`, port, recorder,
    cameras: () => cams,
    setCameras,
    async close() {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(runners.map((r) => r.stop()));
      recorder.flush();
      await detector.close();
      await faceAnalyzer?.then((f) => f.close(), () => undefined);
    },
  };
}
