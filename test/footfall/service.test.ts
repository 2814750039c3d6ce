// `npm run edge-agent` as a process: the sync hub plus a door camera (a generated video played
// at real speed), /health, Prometheus /metrics, /cameras, /footfall, /conversion, and the
// footfall intervals published to the hub as sync ops. The hub's cloud is unreachable on
// purpose (the store box works offline); nothing leaves 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineArg, writeDoorSet } from '../../edge-agent/testing';

const root = join(import.meta.dirname, '../..');
let agent: ChildProcess;
let url = '';
let hubUrl = '';
let logs = '';
let dataDir = '';
let clipPath = '';
const TOKEN = 'test-admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

const get = async (path: string, base = url) => {
  const r = await fetch(base + path, { headers: auth });
  const type = r.headers.get('content-type') ?? '';
  return {
    status: r.status,
    body: type.includes('json') ? ((await r.json()) as Record<string, any>) : ((await r.text()) as any),
  };
};
const put = async (path: string, body: unknown, headers: Record<string, string> = auth) => {
  const r = await fetch(url + path, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as Record<string, any> };
};

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}\n${logs.slice(-3000)}`);
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-service-'));
  // The file is processed frame by frame (realtime: false) so the counts do not depend on how
  // busy the machine is; live cameras drop frames instead (tested in the ingest tests).
  const [clip] = await writeDoorSet(dir, ['in-then-out']);
  clipPath = clip!.path;
  dataDir = join(dir, 'data');
  const [x1, y1, x2, y2] = lineArg().split(',').map(Number);
  writeFileSync(
    join(dir, 'edge.json'),
    JSON.stringify({
      storeId: 'S1',
      detector: { model: 'centernet-384' },
      cameras: [
        {
          id: 'door1',
          input: clip!.path,
          fps: 4,
          realtime: false,
          line: { x1, y1, x2, y2 },
          zones: [
            {
              name: 'mat',
              polygon: [
                { x: 160, y: 198 },
                { x: 480, y: 198 },
                { x: 480, y: 234 },
                { x: 160, y: 234 },
              ],
            },
          ],
        },
      ],
    }),
  );
  // Node itself with tsx's loader, not the tsx CLI: the CLI relays SIGTERM and SIGKILLs a child
  // that does not acknowledge it within 30 ms, which a loaded machine misses (exit 143).
  agent = spawn(process.execPath, ['--import', 'tsx', 'edge-agent/main.ts'], {
    cwd: root,
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
      ENROLL_CODE: 'TEST-1234',
      EDGE_FLUSH_MS: '300',
      LOG_LEVEL: 'warn',
      EDGE_ADMIN_TOKEN: TOKEN,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  agent.stdout!.on('data', (d: Buffer) => {
    logs += d.toString();
  });
  agent.stderr!.on('data', (d: Buffer) => {
    logs += d.toString();
  });
  const ready = await until('EDGE_AGENT_READY', async () => /EDGE_AGENT_READY (.*)/.exec(logs)?.[1]);
  const info = JSON.parse(ready) as { url: string; hub: string };
  url = info.url;
  hubUrl = info.hub;
});

afterAll(() => {
  if (agent && agent.exitCode === null) agent.kill('SIGKILL');
});

describe('edge-agent service', () => {
  it('counts the camera and reports it in /health, /metrics and /footfall', async () => {
    const health = await until('camera to finish', async () => {
      const h = await get('/health');
      return h.body.cameras[0].state === 'ended' ? h.body : undefined;
    });
    expect(health).toMatchObject({
      role: 'edge-agent',
      storeId: 'S1',
      privacy: { framesStored: false, framesSent: false },
    });
    expect(health.cameras[0].totals).toEqual({ in: 1, out: 1 });
    expect(health.hub).toBeTruthy();
    // the camera's share of the shared detector: a file replay waits instead of dropping
    const cam = health.cameras[0];
    expect(cam.detected).toBeGreaterThan(0);
    expect(cam.detected + cam.skippedStatic).toBe(cam.frames);
    expect(cam.dropped).toBe(0);
    expect(cam.detectorMs).toBeGreaterThan(0);
    expect(health.detector).toMatchObject({ workers: 2, queuePerCamera: 2, inFlight: 0, queued: 0, dropped: 0 });
    expect(health.detector.model).toMatch(/^centernet-384@/);

    const metrics = (await get('/metrics')).body as string;
    expect(metrics).toMatch(/edge_camera_fps\{camera="door1"\} [\d.]+/);
    expect(metrics).toMatch(/edge_inference_ms\{camera="door1"\} \d+/);
    expect(metrics).toMatch(/edge_frames_dropped_total\{camera="door1"\} \d+/);
    expect(metrics).toMatch(/edge_detector_ms_avg\{camera="door1"\} [\d.]+/);
    expect(metrics).toMatch(/edge_detector_wait_ms_avg\{camera="door1"\} [\d.]+/);
    expect(metrics).toMatch(/edge_source_reconnects_total\{camera="door1"\} 0/);
    expect(metrics).toContain('edge_crossings_total{camera="door1",direction="in"} 1');
    expect(metrics).toContain('edge_crossings_total{camera="door1",direction="out"} 1');

    const now = Date.now();
    const ff = await get(
      `/footfall?from=${new Date(now - 3600_000).toISOString()}&to=${new Date(now + 3600_000).toISOString()}`,
    );
    expect(ff.status).toBe(200);
    expect(ff.body.total).toEqual({ in: 1, out: 1 });
    expect(ff.body.intervals.every((r: { camera: string }) => r.camera === 'door1')).toBe(true);
    expect((await get('/footfall?from=yesterday&to=now')).body.error.code).toBe('BAD_REQUEST');
  }, 120_000);

  it('publishes footfall intervals to the store hub as sync ops', async () => {
    const ops = await until(
      'ff ops on the hub',
      async () => {
        const h = await get('/health', hubUrl);
        return h.body.ops > 0 ? h.body.ops : undefined;
      },
      20_000,
    );
    expect(ops).toBeGreaterThan(0);
  });

  it('conversion = transactions ÷ entries per local hour, from the supplied table', async () => {
    const local = new Date(Date.now() + 480 * 60_000);
    const date = local.toISOString().slice(0, 10);
    const hour = local.getUTCHours();
    expect((await put('/transactions', { date, hours: { [String(hour)]: 1 } })).status).toBe(200);
    const c = await get(`/conversion?date=${date}`);
    expect(c.body.source).toBe('transactions-table');
    expect(c.body.hours[hour]).toMatchObject({ entries: 1, transactions: 1, conversion: 1 });
    expect((await get('/conversion?date=tomorrow')).status).toBe(400);
    expect((await put('/transactions', { date, hours: { '25': 1 } })).body.error.code).toBe('BAD_REQUEST');
  });

  it('technician routes need the admin token; read-only footfall does not', async () => {
    for (const [method, path] of [
      ['GET', '/cameras'],
      ['PUT', '/cameras'],
      ['PUT', '/transactions'],
      ['PUT', '/debug-snapshot'],
      ['GET', '/audit'],
    ] as const) {
      const none = await fetch(url + path, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(method === 'PUT' ? { body: '{}' } : {}),
      });
      expect(none.status, `${method} ${path} without a token`).toBe(401);
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
      const wrong = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${TOKEN.replace('0', '1')}` },
        ...(method === 'PUT' ? { body: '{}' } : {}),
      });
      expect(wrong.status, `${method} ${path} with a wrong token`).toBe(401);
    }
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/footfall?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z`)).status).toBe(200);
    // Nothing changed by the refused calls.
    expect((await get('/cameras')).body.cameras.map((c: { id: string }) => c.id)).toEqual(['door1']);
  });

  it('debug snapshots: off by default, switched on with who and why (audited), faces blurred on disk', async () => {
    expect((await get('/debug-snapshot')).body).toMatchObject({ enabled: false, available: true });
    const noReason = await put('/debug-snapshot', { enabled: true, by: 'tech-7' });
    expect(noReason.status).toBe(400);
    expect((await get('/health')).body.privacy).toMatchObject({ framesStored: false });
    const on = await put('/debug-snapshot', { enabled: true, by: 'tech-7', reason: 'check line placement' });
    expect(on.body).toMatchObject({ ok: true, enabled: true, by: 'tech-7' });
    expect((await get('/health')).body.privacy).toMatchObject({
      framesStored: true,
      debugSnapshots: { enabled: true, by: 'tech-7' },
    });
    const [x1, y1, x2, y2] = lineArg().split(',').map(Number);
    expect(
      (
        await put('/cameras', {
          cameras: [{ id: 'door3', input: clipPath, fps: 4, realtime: false, line: { x1, y1, x2, y2 } }],
        })
      ).status,
    ).toBe(200);
    const snapDir = join(dataDir, 'debug-snapshots', 'door3');
    const files = await until(
      'a snapshot of door3',
      async () => {
        const f = existsSync(snapDir) ? readdirSync(snapDir).filter((n) => n.endsWith('.jpg')) : [];
        return f.length > 0 ? f : undefined;
      },
      60_000,
    );
    expect(files[0]).toMatch(/\.jpg$/);
    const off = await put('/debug-snapshot', { enabled: false, by: 'tech-7', reason: 'done' });
    expect(off.body.enabled).toBe(false);
    const audit = (await get('/audit')).body.entries as Array<{
      action: string;
      by: string;
      detail: { reason?: string };
    }>;
    expect(
      audit.filter((a) => a.action.startsWith('debug-snapshot')).map((a) => [a.action, a.by, a.detail.reason]),
    ).toEqual([
      ['debug-snapshot.disabled', 'tech-7', 'done'],
      ['debug-snapshot.enabled', 'tech-7', 'check line placement'],
    ]);
    expect(audit.some((a) => a.action === 'cameras.set')).toBe(true);
  }, 90_000);

  it('GET/PUT /cameras: bad config refused, a dead camera shows as degraded with reconnects', async () => {
    const bad = await put('/cameras', {
      cameras: [{ id: 'door 1', input: 'x', line: { x1: 0, y1: 0, x2: 0, y2: 0 } }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('CONFIG_INVALID');
    expect((await get('/cameras')).body.cameras[0].id).toBe('door3');
    const ok = await put('/cameras', {
      cameras: [{ id: 'door2', input: 'rtsp://127.0.0.1:9/stream', line: { x1: 0, y1: 100, x2: 300, y2: 100 } }],
    });
    expect(ok.status).toBe(200);
    expect((await get('/cameras')).body.cameras.map((c: { id: string }) => c.id)).toEqual(['door2']);
    const h = await until(
      'reconnects',
      async () => {
        const b = (await get('/health')).body;
        return b.cameras[0]?.reconnects > 0 ? b : undefined;
      },
      30_000,
    );
    expect(h.ok).toBe(false);
    expect(h.degraded).toEqual(['door2']);
    expect(['backoff', 'connecting']).toContain(h.cameras[0].state);
    expect(h.cameras[0].lastError.code).toBe('SOURCE_FAILED');
    expect((await get('/metrics')).body).toMatch(/edge_camera_up\{camera="door2"\} 0/);
  });

  it('stops cleanly on SIGTERM', async () => {
    const code = await new Promise<number | null>((resolve) => {
      agent.on('exit', resolve);
      agent.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });
});
