// What a web page in the till's browser, a DNS-rebinding page and a careless client can do to
// the web host, over real sockets against a real core on a temp SQLite file. Each case here
// was possible before docs/security-notes/host.md: cross-site posts reached the core (six
// locked the till), any Host was served, a 2 MB body got a connection reset instead of 413,
// and a logged-out token's event stream kept receiving the cart.
import { request } from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../core/auth';
import { openSqlite } from '../core/db';
import { networkInterfaces } from 'node:os';
import { hostSettingsFromEnv, startWebHost, type StartedWebHost } from './index';
import { createRequestOriginCheck } from './request-origin';

let host: StartedWebHost;
let dataDir: string;
let hostPort: string;

interface Answer {
  status: number;
  json: any;
}

/** A raw HTTP request with exactly these headers (fetch would not let us set Host). */
function send(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        method: opts.method ?? 'GET',
        headers: { Host: hostPort, ...opts.headers },
        agent: false,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          let json: unknown = null;
          try {
            json = JSON.parse(text);
          } catch {
            /* a page, not JSON */
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', reject);
    if (opts.chunks) for (const c of opts.chunks) req.write(c);
    req.end(opts.body);
  });
}

const JSON_TYPE = { 'Content-Type': 'application/json' };
const post = (method: string, body: unknown, headers: Record<string, string> = JSON_TYPE) =>
  send(`/api/${method}`, { method: 'POST', headers, body: JSON.stringify(body) });

async function login(pin = '1234'): Promise<string> {
  const r = await post('auth.login', { pin });
  expect(r.status).toBe(200);
  return r.json.token as string;
}

async function anyBarcode(token: string): Promise<string> {
  const r = await post(
    'catalog.search',
    { query: 'milk', limit: 20 },
    { ...JSON_TYPE, Authorization: `Bearer ${token}` },
  );
  return (r.json.products as any[]).find((x) => x.unit === 'each' && x.barcodes.length > 0).barcodes[0] as string;
}

beforeAll(async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'pos-renderer-'));
  mkdirSync(join(rendererDir, 'display'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>till</title>');
  dataDir = mkdtempSync(join(tmpdir(), 'pos-host-sec-'));
  host = await startWebHost({
    dataDir,
    port: 0,
    seedDemo: true,
    rendererDir,
    allowedHosts: ['till-1.shop.lan'],
    sessionCheckMs: 300,
  });
  hostPort = `127.0.0.1:${host.port}`;
});
afterAll(async () => {
  await host?.close();
});

describe("a web page in the till's browser (cross-site requests)", () => {
  it('cannot post to the API, so six wrong PINs from a page no longer lock the till', async () => {
    const evil = {
      Origin: 'http://evil.example',
      'Sec-Fetch-Site': 'cross-site',
      'Content-Type': 'text/plain;charset=UTF-8',
    };
    for (let i = 0; i < 6; i++) {
      const r = await post('auth.login', { pin: '9999' }, evil);
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('ORIGIN_REFUSED');
    }
    // Even with a JSON type (which needs a CORS preflight the host never grants), a foreign origin is refused.
    expect(
      (await post('auth.login', { pin: '9999' }, { ...JSON_TYPE, Origin: 'http://evil.example' })).json.error.code,
    ).toBe('ORIGIN_REFUSED');
    // The till's own page logs in as usual.
    const own = await post(
      'auth.login',
      { pin: '1234' },
      { ...JSON_TYPE, Origin: `http://${hostPort}`, 'Sec-Fetch-Site': 'same-origin' },
    );
    expect(own.status).toBe(200);
    expect(own.json.ok).toBe(true);
  });

  it('refuses other origins on the same machine, opaque origins and cross-site stream reads', async () => {
    for (const origin of [
      `http://127.0.0.1:${host.port + 1}`,
      `http://localhost:${host.port}`,
      'null',
      `file://`,
      `http://${hostPort}.evil.example`,
    ]) {
      const r = await post('auth.login', { pin: '9999' }, { ...JSON_TYPE, Origin: origin });
      expect(r.status, origin).toBe(403);
    }
    const token = await login();
    for (const site of ['cross-site', 'same-site']) {
      const r = await send(`/api/events?token=${token}`, { headers: { 'Sec-Fetch-Site': site } });
      expect(r.status, site).toBe(403);
      expect(
        (await send(`/display/state?key=${host.till.displayKey}`, { headers: { 'Sec-Fetch-Site': site } })).status,
      ).toBe(403);
    }
  });

  it('needs Content-Type: application/json on API posts', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
      const r = await post('auth.login', { pin: '1234' }, type ? { 'Content-Type': type } : {});
      expect(r.status, type).toBe(415);
      expect(r.json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    expect(
      (await post('auth.login', { pin: '1234' }, { 'Content-Type': 'application/json; charset=utf-8' })).status,
    ).toBe(200);
  });
});

describe('a DNS-rebinding page (foreign Host header)', () => {
  it('gets 403 on the API, the page, /health and the display state', async () => {
    const evilHost = { Host: `rebind.evil.example:${host.port}` };
    expect(
      (
        await send('/api/auth.login', {
          method: 'POST',
          headers: { ...evilHost, ...JSON_TYPE },
          body: '{"pin":"1234"}',
        })
      ).status,
    ).toBe(403);
    for (const path of ['/', '/health', `/display/state?key=${host.till.displayKey}`]) {
      const r = await send(path, { headers: evilHost });
      expect(r.status, path).toBe(403);
      expect(r.json.error.code).toBe('ORIGIN_REFUSED');
    }
  });

  it('loopback names, the bind address and POS_ALLOWED_HOSTS names are served', async () => {
    for (const name of ['127.0.0.1', 'localhost', '[::1]', 'till-1.shop.lan', 'TILL-1.shop.lan.']) {
      const r = await send('/health', { headers: { Host: `${name}:${host.port}` } });
      expect(r.status, name).toBe(200);
    }
    const lan = `till-1.shop.lan:${host.port}`;
    const r = await send('/api/auth.login', {
      method: 'POST',
      headers: { Host: lan, Origin: `http://${lan}`, ...JSON_TYPE },
      body: '{"pin":"1234"}',
    });
    expect(r.status).toBe(200);
  });

  it("bound to 0.0.0.0, this machine's own addresses are names of the till (checked without binding it)", () => {
    const check = createRequestOriginCheck({ bindHost: '0.0.0.0' });
    const own = Object.values(networkInterfaces())
      .flatMap((l) => l ?? [])
      .find((i) => i.family === 'IPv4')!.address;
    expect(check({ host: `${own}:8080` }, true)).toEqual({ ok: true });
    expect(check({ host: `${own}:8080`, origin: `http://${own}:8080`, 'sec-fetch-site': 'same-origin' }, true)).toEqual(
      { ok: true },
    );
    expect(check({ host: 'till.evil.example:8080' }, true)).toMatchObject({ ok: false, status: 403 });
    expect(check({ host: '0.0.0.0:8080' }, true)).toMatchObject({ ok: false, status: 403 });
    // Bound to one address: that address, not the machine's others.
    expect(createRequestOriginCheck({ bindHost: '10.9.8.7' })({ host: '10.9.8.7' }, false)).toEqual({ ok: true });
  });

  it('POS_ALLOWED_HOSTS is a comma-separated list of names', () => {
    expect(
      hostSettingsFromEnv({ POS_ALLOWED_HOSTS: 'Till-1.local, 192.168.1.20:8080 ,[fe80::1]' }).allowedHosts,
    ).toEqual(['till-1.local', '192.168.1.20', 'fe80::1']);
    expect(hostSettingsFromEnv({}).allowedHosts).toEqual([]);
    expect(() => hostSettingsFromEnv({ POS_ALLOWED_HOSTS: 'http://till/' })).toThrow(/POS_ALLOWED_HOSTS/);
  });
});

describe('oversized bodies', () => {
  const big = Buffer.from(JSON.stringify({ pin: '1234', pad: 'x'.repeat(2_000_000) }));

  it('get 413 with a JSON error, declared or chunked, and the host keeps serving', async () => {
    const res = await fetch(`${host.url}/api/auth.login`, { method: 'POST', headers: JSON_TYPE, body: big });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('BODY_TOO_LARGE');
    const chunked = await send('/api/auth.login', {
      method: 'POST',
      headers: JSON_TYPE,
      chunks: Array.from({ length: 8 }, (_, i) => big.subarray(i * 262_144, (i + 1) * 262_144)),
    });
    expect(chunked.status).toBe(413);
    expect(chunked.json).toMatchObject({ ok: false, error: { code: 'BODY_TOO_LARGE' } });
    expect((await post('auth.login', { pin: '1234' })).status).toBe(200);
  });
});

describe('live event streams end with their session', () => {
  async function openStream(token: string) {
    const ctrl = new AbortController();
    const res = await fetch(`${host.url}/api/events?token=${token}`, { signal: ctrl.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    /** Reads until the stream ends (true) or `ms` pass (false). */
    const endsWithin = async (ms: number): Promise<boolean> => {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        const next = await Promise.race([
          reader.read(),
          new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now())),
        ]);
        if (next === null) break;
        if (next.done) return true;
        text += new TextDecoder().decode(next.value);
      }
      ctrl.abort();
      return false;
    };
    return { endsWithin, text: () => text };
  }

  it('logout closes the stream of that token at once, and only that one', async () => {
    const a = await login('1234');
    const b = await login('2345');
    const streamA = await openStream(a);
    const streamB = await openStream(b);
    expect((await post('auth.logout', {}, { ...JSON_TYPE, Authorization: `Bearer ${a}` })).status).toBe(200);
    expect(await streamA.endsWithin(2000)).toBe(true);
    // Another cashier's cart changes: the logged-out stream saw nothing, the other one did.
    await post('cart.scan', { code: await anyBarcode(b) }, { ...JSON_TYPE, Authorization: `Bearer ${b}` });
    expect(await streamB.endsWithin(1000)).toBe(false);
    expect(streamB.text()).toContain('cart.changed');
    expect(streamA.text()).not.toContain('cart.changed');
  });

  it("an expired session's stream ends and never gets another event", async () => {
    const a = await login('1234');
    const b = await login('2345');
    const streamA = await openStream(a);
    const db = openSqlite(join(dataDir, 'terminal.db'));
    db.prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ?').run(
      new Date(Date.now() - 1000).toISOString(),
      hashToken(a),
    );
    db.close();
    await post('cart.scan', { code: await anyBarcode(b) }, { ...JSON_TYPE, Authorization: `Bearer ${b}` });
    expect(await streamA.endsWithin(3000)).toBe(true);
    expect(streamA.text()).not.toContain('cart.changed');
  });
});
