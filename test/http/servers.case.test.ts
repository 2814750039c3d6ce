// One contract every HTTP server of ours keeps, because they all stand on the http-kit: the till's
// web host, the cloud and hub sync endpoints, the edge agent. Each is started for real on
// 127.0.0.1 and sent raw bytes over TCP. The property: whatever a client sends, it gets a JSON
// refusal with a stable code and the server answers the next request. Before the kit, the sync
// servers and the agent routed an absolute-form target ("GET http://evil/health") as if it were
// a path; now every server refuses it with 400 BAD_INPUT, as the till always did.
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, startSyncHub, type CloudHandle, type SyncHub } from '../../sync';
import { startWebHost, type StartedWebHost } from '../../app/host';
import { startAgentService, type AgentService } from '../../edge-agent/service';
import { AgentStore } from '../../edge-agent/footfall';
import { agentConfigSchema } from '../../edge-agent/pipeline';
import { cloudDb, quietLog, tempDir } from '../sync/helpers';

const AGENT_TOKEN = 'kit-contract-agent-token-0123';

interface Target {
  name: string;
  port: () => number;
  /** Headers every request needs on this server (a credential where all routes want one). */
  headers: string;
  /** A route that reads a JSON body. */
  jsonRoute: string;
}

/** Sends raw bytes, returns what came back before the server closed or went quiet. */
function raw(port: number, bytes: string, ms = 3000): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    const done = () => {
      s.destroy();
      resolve(got);
    };
    s.on('data', (d) => {
      got += d.toString('latin1');
      // One full answer is enough (keep-alive would otherwise hold the socket open).
      const head = got.indexOf('\r\n\r\n');
      const len = /content-length: (\d+)/i.exec(got);
      if (head >= 0 && len && got.length >= head + 4 + Number(len[1])) done();
    });
    s.on('error', done);
    s.on('close', done);
    setTimeout(done, ms);
    s.write(bytes);
  });
}

const status = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
const body = (answer: string) =>
  JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as {
    ok: boolean;
    error?: { code: string; message: string };
  };

let dir: string;
let cloud: CloudHandle;
let hub: SyncHub;
let till: StartedWebHost;
let agentStore: AgentStore;
let agent: AgentService;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kit-contract-'));
  cloud = await startCloud({
    ...cloudDb('kit'),
    adminToken: 'kit-admin-token-0123456789',
    demo: true,
    demoEnrollCode: 'DEMO-KIT',
    demoStoreId: 'S1',
    log: quietLog,
  });
  hub = await startSyncHub({
    port: 0,
    dataDir: tempDir('kit-hub'),
    cloudUrl: cloud.url,
    enrollCode: 'DEMO-KIT',
    storeId: 'S1',
    log: quietLog,
    intervalMs: 60_000,
  });
  till = await startWebHost({
    dataDir: join(dir, 'till'),
    port: 0,
    seedDemo: true,
    rendererDir: join(dir, 'no-renderer'),
    logger: quietLog,
  });
  agentStore = new AgentStore(join(dir, 'agent.db'));
  const config = {
    ...agentConfigSchema.parse({ detector: { model: 'centernet', poolSize: 1 }, cameras: [] }),
    storeId: 'S1',
  };
  agent = await startAgentService({
    config,
    store: agentStore,
    log: quietLog,
    port: 0,
    host: '127.0.0.1',
    adminToken: AGENT_TOKEN,
    mediaDir: dir,
    flushMs: 60_000,
  });
}, 180_000);

afterAll(async () => {
  await agent?.close();
  agentStore?.close();
  await till?.close();
  await hub?.close();
  await cloud?.close();
  rmSync(dir, { recursive: true, force: true });
});

const targets: Target[] = [
  { name: 'till web host', port: () => till.port, headers: '', jsonRoute: 'POST /api/auth.login' },
  { name: 'cloud sync endpoint', port: () => cloud.port, headers: '', jsonRoute: 'POST /sync/enroll' },
  { name: 'store hub', port: () => hub.port, headers: '', jsonRoute: 'POST /sync/enroll' },
  {
    name: 'edge agent',
    port: () => agent.port,
    headers: `Authorization: Bearer ${AGENT_TOKEN}\r\n`,
    jsonRoute: 'PUT /footfall',
  },
];

describe.each(targets)('$name on the http-kit', (t) => {
  const host = () => `Host: 127.0.0.1:${t.port()}\r\n`;
  const stillUp = async () => {
    const a = await raw(t.port(), `GET /health HTTP/1.1\r\n${host()}${t.headers}Connection: close\r\n\r\n`);
    expect(status(a)).toBe(200);
  };

  it('refuses a target that is not a plain path with 400 BAD_INPUT', async () => {
    for (const target of [`http://evil.example/health`, '//evil.example/health', '*']) {
      const a = await raw(t.port(), `GET ${target} HTTP/1.1\r\n${host()}${t.headers}\r\n`);
      expect(status(a), target).toBe(400);
      expect(body(a).error?.code, target).toBe('BAD_INPUT');
    }
    await stillUp();
  });

  it('answers bytes the HTTP parser cannot read with a 4xx and stays up', async () => {
    for (const junk of [
      '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n',
      'GET /health HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n',
      `G\x00T / HTTP/1.1\r\n\r\n`,
    ]) {
      const a = await raw(t.port(), junk);
      expect(status(a)).toBeGreaterThanOrEqual(400);
      expect(status(a)).toBeLessThan(500);
    }
    await stillUp();
  });

  it('answers an unknown route with 404 and a coded JSON error', async () => {
    const a = await raw(
      t.port(),
      `POST /no/such/route HTTP/1.1\r\n${host()}${t.headers}Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
    );
    expect(status(a)).toBe(404);
    expect(body(a)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses a JSON body over its limit without reading it whole, and stays up', async () => {
    const [method, path] = t.jsonRoute.split(' ');
    const big = 3_000_000;
    const a = await raw(
      t.port(),
      `${method} ${path} HTTP/1.1\r\n${host()}${t.headers}Content-Type: application/json\r\nContent-Length: ${big}\r\n\r\n${'{"x":"'.padEnd(big, 'a')}`,
      10_000,
    );
    expect([400, 413]).toContain(status(a));
    expect(body(a).ok).toBe(false);
    await stillUp();
  });

  it('answers a malformed JSON body with 400 and a coded error', async () => {
    const [method, path] = t.jsonRoute.split(' ');
    const a = await raw(
      t.port(),
      `${method} ${path} HTTP/1.1\r\n${host()}${t.headers}Content-Type: application/json\r\nContent-Length: 5\r\n\r\n{"a":`,
    );
    expect(status(a)).toBe(400);
    expect(body(a).error?.code).toMatch(/^BAD_(INPUT|REQUEST)$/);
  });
});
