// `pos doctor` as a technician runs it (`node bin/pos.mjs doctor --json`): on a healthy till (a
// real web host on a seeded data dir, paired with a real cloud process, its printer the ESC/POS
// emulator) and on a broken one (printer cover open, a hub whose clock is 10 minutes ahead —
// an HTTP server standing in for the hub, since only its Date header matters —, the cloud down).
// And the diagnostics bundle: personal data and secrets are redacted.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost } from '../../app/host';
import { createDeviceTables, DeviceConfigStore, PrinterEmulator } from '../../drivers';
import { startProcess, type Proc } from '../sync/processes';
import { tempDir, waitFor } from '../sync/helpers';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');

interface Check {
  name: string;
  status: 'pass' | 'warn' | 'fail';
  detail: string;
  fix: string;
}
async function doctor(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [join(root, 'bin/pos.mjs'), 'doctor', ...args], {
      cwd: root,
      timeout: 60_000,
      env: { ...process.env, POS_DATA_DIR: '', HUB_URL: '', CLOUD_URL: '' },
    });
    return { code: 0, stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, stdout: err.stdout };
  }
}
const checksOf = (stdout: string) => (JSON.parse(stdout.trim().split('\n').at(-1)!) as { checks: Check[] }).checks;

function timeServer(offsetMs: number): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.setHeader('date', new Date(Date.now() + offsetMs).toUTCString());
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${a.port}` });
    }),
  );
}

let dataDir: string;
let cloud: Proc;
let cloudUrl: string;
let host: Awaited<ReturnType<typeof startWebHost>>;
let emu: PrinterEmulator;
const servers: Server[] = [];

beforeAll(async () => {
  cloud = await startProcess('sync/cloud/main.ts', {
    DATABASE_URL: '',
    CLOUD_DATA_DIR: tempDir('doctor-cloud'),
    CLOUD_PORT: '0',
    CLOUD_DEMO: '1',
    CLOUD_ADMIN_TOKEN: 'doctor-admin-token',
    DEMO_ENROLL_CODE: 'DOCTOR-S001',
    DEMO_STORE_ID: 'S001',
  });
  cloudUrl = `http://127.0.0.1:${cloud.info.port}`;
  dataDir = mkdtempSync(join(tmpdir(), 'pos-doctor-'));
  host = await startWebHost({
    port: 0,
    dataDir,
    seedDemo: true,
    storeId: 'S001',
    terminalId: 'T01',
    logger: pino({ level: 'silent' }),
    sync: { cloudUrl, enrollCode: 'DOCTOR-S001', intervalMs: 500 },
  });
  await waitFor(
    'the till to pair and sync',
    async () => {
      const h = (await (await fetch(`${host.url}/health`)).json()) as { sync: { state: string } | null };
      return h.sync?.state === 'ok';
    },
    60_000,
  );
  emu = new PrinterEmulator({ port: 0 });
  await emu.start();
  const db = new Database(join(dataDir, 'terminal.db'));
  createDeviceTables(db);
  new DeviceConfigStore(db, 'T01').upsert({ deviceId: 'receipt', kind: 'printer', uri: emu.uri! });
  // Personal data the bundle must not carry: a phone number and a token inside an audit detail.
  db.prepare(
    "INSERT INTO audit_log (id, at, action, terminal_id, staff_id, approved_by_id, detail) VALUES ('0190a000-0000-7000-8000-000000000001', '2026-12-05T10:00:00.000Z', 'member.lookup', 'T01', NULL, NULL, ?)",
  ).run(
    JSON.stringify({ phone: '13812345678', note: 'called 13987654321', token: 'tok_abcdefghijklmnop', name: '王小明' }),
  );
  db.close();
}, 120_000);

afterAll(async () => {
  for (const s of servers) s.close();
  await emu?.stop();
  await host?.close();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('pos doctor', () => {
  it('passes a healthy till: database, WAL, pairing, till service and sync, cloud clock, printer', async () => {
    const r = await doctor('--data-dir', dataDir, '--url', host.url, '--cloud', cloudUrl, '--json');
    const checks = checksOf(r.stdout);
    const by = (n: string) => checks.find((c) => c.name === n);
    expect(by('database')).toMatchObject({ status: 'pass', detail: 'PRAGMA quick_check: ok' });
    expect(by('wal')?.status).toBe('pass');
    expect(by('till-service')?.status).toBe('pass');
    expect(by('pairing')?.status).toBe('pass');
    expect(by('sync')?.status).toBe('pass');
    expect(by('clock-cloud')?.status).toBe('pass');
    expect(by('device receipt')).toMatchObject({ status: 'pass' });
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(r.code).toBe(0);
  }, 90_000);

  it('fails a broken till and says what to do: cover open, clock 10 minutes off, cloud down', async () => {
    emu.setStatus({ coverOpen: true });
    const hub = await timeServer(10 * 60_000 + 30_000);
    servers.push(hub.server);
    const r = await doctor(
      '--data-dir',
      dataDir,
      '--url',
      host.url,
      '--hub',
      hub.url,
      '--cloud',
      'http://127.0.0.1:9',
      '--json',
    );
    emu.setStatus({ coverOpen: false });
    expect(r.code).toBe(1);
    const checks = checksOf(r.stdout);
    const by = (n: string) => checks.find((c) => c.name === n)!;
    expect(by('device receipt').status).toBe('fail');
    expect(by('device receipt').fix).toMatch(/cover/i);
    expect(by('clock-hub').status).toBe('fail');
    expect(by('clock-hub').detail).toMatch(/behind the hub/);
    expect(by('cloud').status).toBe('fail');
    for (const c of checks.filter((x) => x.status === 'fail')) expect(c.fix.length).toBeGreaterThan(0);
  }, 90_000);

  it('writes a diagnostics bundle without phone numbers, names or tokens', async () => {
    const file = join(dataDir, 'bundle.json.gz');
    const r = await doctor('--data-dir', dataDir, '--url', 'none', '--bundle', file, '--json');
    expect(r.code).toBe(0);
    const text = gunzipSync(readFileSync(file)).toString('utf8');
    const bundle = JSON.parse(text) as {
      audit: { action: string; detail: Record<string, unknown> }[];
      checks: Check[];
    };
    const entry = bundle.audit.find((a) => a.action === 'member.lookup')!;
    expect(entry.detail).toEqual({
      phone: '[personal]',
      note: 'called 139****4321',
      token: '[redacted]',
      name: '[personal]',
    });
    expect(text).not.toMatch(/13812345678|13987654321|tok_abcdefghijklmnop|王小明/);
    expect(bundle.audit.length).toBeGreaterThan(0);
    expect(bundle.checks.some((c) => c.name === 'database')).toBe(true);
  }, 90_000);
});
