// The wizard's /api/setup/ actions on a real till web host and real sockets. The store hub is a
// stand-in (named so): a small HTTP server answering /sync/enroll the way the hub does (409 for
// a taken id, 401 ENROLL_REFUSED for a wrong code), so each refusal can be shown without a
// cloud; the full path through a real hub and cloud is test/e2e/first-run-wizard.test.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPairing } from '../till';
import { runTillHost, type RunningTillHost } from './till-host';

const GOOD = 'GOOD-CODE-0001';
let fakeHub: Server;
let fakeHubUrl = '';
const enrollAsks: { deviceId: string; replace?: boolean }[] = [];
let till: RunningTillHost;
const dataDir = mkdtempSync(join(tmpdir(), 'till-host-'));

beforeAll(async () => {
  // Stand-in hub: store S9 already has a live T01.
  fakeHub = createServer((req, res) => {
    let text = '';
    req.on('data', (d) => (text += d));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url !== '/sync/enroll') return reply(404, { ok: false, error: { code: 'NOT_FOUND', message: 'no' } });
      const body = JSON.parse(text) as { code: string; deviceId: string; replace?: boolean };
      enrollAsks.push({ deviceId: body.deviceId, replace: body.replace });
      if (body.code !== GOOD)
        return reply(401, { ok: false, error: { code: 'ENROLL_REFUSED', message: 'pairing code is unknown' } });
      if (body.deviceId === 'T01' && !body.replace)
        return reply(409, { ok: false, error: { code: 'CONFLICT', message: 'device T01 is already enrolled' } });
      reply(200, {
        ok: true,
        token: 'stand-in-credential',
        deviceId: body.deviceId,
        storeId: 'S9',
        role: 'terminal',
        read: ['chain', 'store:S9'],
        write: ['store:S9'],
        publicKey: 'stand-in',
      });
    });
  });
  await new Promise<void>((r) => fakeHub.listen(0, '127.0.0.1', r));
  fakeHubUrl = `http://127.0.0.1:${(fakeHub.address() as AddressInfo).port}`;
  till = await runTillHost({
    dataDir,
    port: 0,
    seedDemo: true,
    pairedSync: { intervalMs: 60_000, maxBackoffMs: 60_000 },
  });
}, 60_000);

afterAll(async () => {
  await till?.close();
  await new Promise((r) => fakeHub.close(r));
});

async function setup(action: string, body?: unknown, token?: string) {
  const res = await fetch(`${till.url}/api/setup/${action}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function login(pin: string): Promise<string> {
  const res = await fetch(`${till.url}/api/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pin }),
  });
  return ((await res.json()) as { token: string }).token;
}

async function settled(): Promise<any> {
  for (let i = 0; i < 200; i++) {
    const r = await setup('state').catch(() => null);
    if (r && r.status === 200 && r.body.paired === 'wizard') return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('the till did not reopen paired');
}

describe('pairing from the wizard', () => {
  it('an unpaired till is the demo store and remembers no hub yet', async () => {
    const s = await setup('state');
    expect(s.body).toMatchObject({ ok: true, paired: null, storeId: 'demo-store', sync: null });
    expect(s.body.defaultHubUrl).toMatch(/^http:\/\//);
  });

  it('refuses a bad address, a wrong code and a dead hub with their own codes, and pairs nothing', async () => {
    const bad = await setup('pair', { hubUrl: 'ftp://x', code: GOOD });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'BAD_INPUT', details: { field: 'hubUrl' } });
    const wrong = await setup('pair', { hubUrl: fakeHubUrl, code: 'WRONG-0000' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('CODE_REFUSED');
    const dead = await setup('pair', { hubUrl: 'http://127.0.0.1:1', code: GOOD });
    expect(dead.body.error.code).toBe('HUB_UNREACHABLE');
    expect(readPairing(dataDir)).toBeNull();
  });

  it('a taken id asked for by name is refused; left empty, the first free id is taken', async () => {
    const taken = await setup('pair', { hubUrl: fakeHubUrl, code: GOOD, terminalId: 'T01' });
    expect(taken.body.error).toMatchObject({ code: 'TERMINAL_ID_TAKEN', details: { terminalId: 'T01' } });
    enrollAsks.length = 0;
    const ok = await setup('pair', { hubUrl: `${fakeHubUrl}/`, code: GOOD, terminalId: '' });
    expect(ok.body).toMatchObject({ ok: true, storeId: 'S9', terminalId: 'T02', hubUrl: fakeHubUrl });
    expect(enrollAsks.map((a) => a.deviceId)).toEqual(['T01', 'T02']);
    const s = await settled();
    expect(s).toMatchObject({ paired: 'wizard', storeId: 'S9', terminalId: 'T02', hubUrl: fakeHubUrl });
    expect(s.sync).not.toBeNull();
    expect(till.current().core.storeId).toBe('S9');
    expect(readPairing(dataDir)).toMatchObject({ storeId: 'S9', terminalId: 'T02' });
  });

  it('a paired till is re-paired only with a technician session', async () => {
    const pair = { hubUrl: fakeHubUrl, code: GOOD, terminalId: 'T03' };
    const anon = await setup('pair', pair);
    expect(anon.status).toBe(403);
    expect(anon.body.error.code).toBe('TECHNICIAN_REQUIRED');
    const cashier = await setup('pair', pair, await login('1234'));
    expect(cashier.status).toBe(403);
    const ticketAnon = await setup('ticket', {});
    expect(ticketAnon.status).toBe(403);
    expect(readPairing(dataDir)).toMatchObject({ terminalId: 'T02' });
    const tech = await setup('pair', pair, await login('7777'));
    expect(tech.body).toMatchObject({ ok: true, terminalId: 'T03' });
    expect(await settled()).toMatchObject({ terminalId: 'T03' });
  });

  it('a damaged pairing file stops the start with its path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'till-host-bad-'));
    writeFileSync(join(dir, 'pairing.json'), '{"hubUrl": 5}');
    await expect(runTillHost({ dataDir: dir, port: 0 })).rejects.toThrow(/pairing\.json/);
  });
});
