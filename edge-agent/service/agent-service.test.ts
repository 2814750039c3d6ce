// The agent's HTTP API as an outsider on the store LAN meets it: real HTTP on 127.0.0.1, real
// ffmpeg failing on a camera whose URL carries a password, real SQLite. Security issue #10:
// the unauthenticated /health showed ffmpeg's error text with the password in it, and a camera
// input could be any URL ffmpeg opens (the agent fetched an http:// page of the caller's choice).
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentStore } from '../footfall';
import { redactingLogHooks } from '../ingest';
import { agentConfigSchema } from '../pipeline';
import { startAgentService, type AgentService } from './agent-service';

const TOKEN = 'service-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
// Long and unusual, so any copy of it (raw or percent-encoded) in an answer or log is found.
const PASSWORD = 'Kq7#pL2@vX9!';
const QUERY_SECRET = 'dvrSecret4411';
const LINE = { x1: 0, y1: 100, x2: 320, y2: 100 };

let dir: string;
let store: AgentStore;
let agent: AgentService;
let logs = '';
let camera: TcpServer;
let web: Server;
let webHits = 0;

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = auth) => {
  const r = await fetch(agent.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.text();
  return {
    status: r.status,
    text,
    json: (r.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as Record<string, any>) : null,
  };
};

const noSecret = (text: string) => {
  for (const s of [PASSWORD, encodeURIComponent(PASSWORD), QUERY_SECRET]) expect(text).not.toContain(s);
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agent-service-'));
  mkdirSync(join(dir, 'media'));
  store = new AgentStore(join(dir, 'agent.db'));
  // A camera that hangs up at once (busy NVR, wrong port): ffmpeg's only error line is
  // "rtsp://admin:<password>@…: Invalid data found when processing input".
  camera = createTcpServer((s) => s.destroy());
  await new Promise<void>((r) => camera.listen(0, '127.0.0.1', r));
  web = createServer((_req, res) => {
    webHits++;
    res.end('<html>intranet page</html>');
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs += chunk.toString();
      cb();
    },
  });
  const log = pino({ level: 'debug', hooks: redactingLogHooks }, sink);
  const config = {
    ...agentConfigSchema.parse({
      detector: { model: 'centernet', poolSize: 1 },
      cameras: [
        {
          id: 'door1',
          fps: 5,
          line: LINE,
          input: `rtsp://admin:${encodeURIComponent(PASSWORD)}@127.0.0.1:${(camera.address() as AddressInfo).port}/cam/realmonitor?channel=1&password=${QUERY_SECRET}`,
        },
      ],
    }),
    storeId: 'S001',
  };
  agent = await startAgentService({
    config,
    store,
    log,
    port: 0,
    host: '127.0.0.1',
    adminToken: TOKEN,
    mediaDir: join(dir, 'media'),
    flushMs: 60_000,
  });
}, 120_000);

afterAll(async () => {
  await agent?.close();
  store?.close();
  await new Promise<void>((r) => web.close(() => r()));
  await new Promise<void>((r) => camera.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('edge agent HTTP API', () => {
  it('never shows a camera password: not in /health (ffmpeg error text), /metrics, /cameras, /audit or the logs', async () => {
    const health = await until('the camera to fail', async () => {
      const h = await call('GET', '/health', undefined, {});
      return h.json?.['cameras'][0].lastError ? h : undefined;
    });
    expect(health.status).toBe(200);
    // the error still tells the technician what happened and where
    expect(health.json!['cameras'][0].lastError.message).toMatch(/127\.0\.0\.1/);
    noSecret(health.text);
    noSecret((await call('GET', '/metrics', undefined, {})).text);
    const cams = await call('GET', '/cameras');
    expect(cams.status).toBe(200);
    expect(cams.json!['cameras'][0].input).toContain('admin:***@');
    noSecret(cams.text);
    noSecret((await call('GET', '/audit')).text);
    expect(logs).toContain('camera source stopped');
    noSecret(logs);
  }, 60_000);

  it('refuses camera inputs that are not rtsp://, /dev/videoN or a media-folder file, and fetches nothing', async () => {
    const page = `http://127.0.0.1:${(web.address() as AddressInfo).port}/intranet`;
    for (const input of [
      page,
      'file:/etc/passwd',
      '/etc/passwd',
      join(dir, 'agent.db'),
      'concat:/etc/hosts|/etc/hosts',
      'media/../../agent.db',
    ]) {
      const r = await call('PUT', '/cameras', { cameras: [{ id: 'door2', input, line: LINE }] });
      expect(r.status, input).toBe(400);
      expect(r.json!['error'].code, input).toBe('INPUT_NOT_ALLOWED');
    }
    await new Promise((r) => setTimeout(r, 1500));
    expect(webHits).toBe(0);
    // the running camera was left alone
    expect(agent.cameras().map((c) => c.id)).toEqual(['door1']);
  }, 30_000);

  it('a masked password sent back from GET /cameras keeps the saved one; a masked password on a new URL is refused', async () => {
    const shown = (await call('GET', '/cameras')).json!['cameras'] as Array<{ input: string }>;
    const same = await call('PUT', '/cameras', { cameras: shown });
    expect(same.status).toBe(200);
    expect(agent.cameras()[0]!.input).toContain(encodeURIComponent(PASSWORD));
    noSecret(same.text);
    const moved = await call('PUT', '/cameras', {
      cameras: [{ ...shown[0], input: shown[0]!.input.replace('127.0.0.1', '127.0.0.2') }],
    });
    expect(moved.status).toBe(400);
    expect(moved.json!['error'].code).toBe('CONFIG_INVALID');
  }, 30_000);

  it('bad input is 400 with a code, never 500', async () => {
    const bad: Array<[string, string, unknown]> = [
      ['GET', '/audit?limit=0.5', undefined],
      ['GET', '/audit?limit=-1', undefined],
      ['GET', '/footfall?from=yesterday&to=now', undefined],
      ['GET', '/conversion?date=2026-02-30', undefined],
      ['PUT', '/cameras', '{"cameras": ['],
      ['PUT', '/cameras', { cameras: [{ id: 'd', input: '/dev/video0', line: { x1: 0, y1: 0, x2: 0, y2: 0 } }] }],
      ['PUT', '/footfall', { camera: 'door1', intervals: [{ start: '2026-11-28T02:16:00Z', in: 1, out: 0 }] }],
      ['PUT', '/transactions', { date: '2026-11-28', hours: { 25: 1 } }],
      ['PUT', '/debug-snapshot', { enabled: true }],
    ];
    for (const [method, path, body] of bad) {
      const r = await call(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(400);
      expect(r.json!['ok'], `${method} ${path}`).toBe(false);
      expect(r.json!['error'].code, `${method} ${path}`).toMatch(/^(BAD_REQUEST|CONFIG_INVALID|INPUT_NOT_ALLOWED)$/);
    }
    expect((await call('GET', '/nowhere')).status).toBe(404);
    expect((await call('GET', '/cameras', undefined, {})).status).toBe(401);
  }, 30_000);
});
