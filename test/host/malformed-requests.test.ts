// No request can take the till down. A corpus of malformed requests (bad percent-encoding,
// absolute-form and unparsable targets, oversized headers, bad methods and framing, a huge
// declared body) is written byte for byte over raw TCP at a real till process — the web host
// as `npm start` runs it — and each must get a 4xx answer. The property that matters comes
// last: the same process is still up and still sells (login, scan, pay).
// Before the fix, the first line of the corpus (`POST /api/%E0`) ended the process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function startTill(dataDir: string): Promise<{ child: ChildProcess; url: string; port: number; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'app/host/main.ts')], {
      cwd: root,
      env: { ...process.env, POS_PORT: '0', POS_DATA_DIR: dataDir, POS_DEVICES: 'none', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const reap = () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    };
    process.once('exit', reap);
    let out = '';
    const timer = setTimeout(() => reject(new Error(`till did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/open (http:\/\/[\d.]+:(\d+))/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, port: Number(m[2]), output: () => out });
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`till exited ${code}: ${out}`));
    });
  });
}

/** Writes raw bytes and returns the status code of the first answer (null: closed without one). */
function rawRequest(port: number, bytes: string | Buffer, timeoutMs = 5000): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    const done = (status: number | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(status);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      const m = got.match(/^HTTP\/1\.[01] (\d{3}) /);
      if (m) done(Number(m[1]));
    });
    socket.on('error', () => done(null));
    socket.on('close', () => done(null));
  });
}

let till: Awaited<ReturnType<typeof startTill>>;

beforeAll(async () => {
  till = await startTill(mkdtempSync(join(tmpdir(), 'pos-malformed-')));
});
afterAll(() => {
  if (till?.child.exitCode === null) till.child.kill('SIGKILL');
});

async function api(method: string, body: unknown, token?: string): Promise<any> {
  const res = await fetch(`${till.url}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return res.json();
}

describe('a real till process facing malformed requests', () => {
  it('answers every request of the corpus with a 4xx and still sells afterwards', async () => {
    const host = `127.0.0.1:${till.port}`;
    const req = (head: string, body = '') =>
      `${head}\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const corpus: Array<[string, string | Buffer]> = [
      ['bad percent-encoding in an API method', req('POST /api/%E0 HTTP/1.1', '{}')],
      ['truncated UTF-8 escape in an API method', req('POST /api/auth.%E0%A4login HTTP/1.1', '{"pin":"1234"}')],
      ['bad percent-encoding in a page path', req('GET /%E0%ZZ HTTP/1.1')],
      ['bad percent-encoding under /display/', req('GET /display/%E0.js HTTP/1.1')],
      ['absolute-form target that URL cannot parse', req('GET http://[ HTTP/1.1')],
      [
        'absolute-form target to another host',
        req('POST http://evil.example/api/auth.login HTTP/1.1', '{"pin":"1234"}'),
      ],
      ['absolute-form target to this till', req(`POST http://${host}/api/auth.login HTTP/1.1`, '{"pin":"1234"}')],
      ['scheme-relative target', req('GET //evil.example/x HTTP/1.1')],
      ['empty scheme-relative target', req('GET // HTTP/1.1')],
      ['asterisk-form target', req('OPTIONS * HTTP/1.1')],
      ['control character in the target', req('GET /\x01 HTTP/1.1')],
      ['unknown method', req('FOO /api/auth.login HTTP/1.1', '{}')],
      ['garbage method', req('G@T / HTTP/1.1')],
      ['known but unsupported method on the API', req('PROPFIND /api/cart.get HTTP/1.1')],
      ['DELETE on the API', req('DELETE /api/auth.login HTTP/1.1')],
      ['bad HTTP version', req('GET / HTTP/9.9')],
      ['no Host header', 'GET /health HTTP/1.1\r\n\r\n'],
      ['malformed Host header', 'GET /health HTTP/1.1\r\nHost: a b@c\r\n\r\n'],
      ['header line without a colon', `GET / HTTP/1.1\r\nHost: ${host}\r\nno-colon-here\r\n\r\n`],
      ['64 KB header value', `GET / HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(64_000)}\r\n\r\n`],
      [
        '3000 headers',
        `GET / HTTP/1.1\r\nHost: ${host}\r\n${Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`,
      ],
      [
        'negative Content-Length',
        `POST /api/auth.login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n`,
      ],
      [
        'Content-Length and chunked together',
        `POST /api/auth.login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
      ],
      [
        'invalid chunk size',
        `POST /api/auth.login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
      ],
      [
        'a body declared at 1 GB',
        `POST /api/auth.login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{"pin":`,
      ],
      ['prototype key as a method', req('POST /api/__proto__ HTTP/1.1', '{}')],
      ['not JSON', req('POST /api/auth.login HTTP/1.1', '{"pin":')],
      [
        'binary garbage',
        Buffer.from([
          0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0xff, 0xfe, 0x0d, 0x0a, 0x0d, 0x0a,
        ]),
      ],
    ];
    const answers: Record<string, number | null> = {};
    for (const [name, bytes] of corpus) answers[name] = await rawRequest(till.port, bytes);
    for (const [name] of corpus) {
      const status = answers[name];
      expect(status, `${name}: ${JSON.stringify(answers)}`).not.toBeNull();
      expect(status!, name).toBeGreaterThanOrEqual(400);
      expect(status!, name).toBeLessThan(500);
    }
    // The ones the issue names, exactly.
    expect(answers['bad percent-encoding in an API method']).toBe(404);
    expect(answers['absolute-form target that URL cannot parse']).toBe(400);
    expect(answers['64 KB header value']).toBe(431);

    expect(till.child.exitCode, till.output()).toBeNull();
    // The same process still sells: log in, scan, pay cash.
    const login = await api('auth.login', { pin: '1234' });
    expect(login.ok).toBe(true);
    const found = await api('catalog.search', { query: 'milk', limit: 20 }, login.token);
    const product = (found.products as any[]).find((p) => p.unit === 'each' && p.barcodes.length > 0);
    const scanned = await api('cart.scan', { code: product.barcodes[0] }, login.token);
    expect(scanned.ok).toBe(true);
    const paid = await api('cart.pay', { tenders: [{ type: 'cash', amount: scanned.cart.total + 1000 }] }, login.token);
    expect(paid).toMatchObject({ ok: true, total: expect.any(Number) });
    expect(typeof paid.saleId).toBe('string');
  }, 120_000);
});
