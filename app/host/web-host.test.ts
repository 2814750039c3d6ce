// The HTTP contract of web mode, over a real socket against a real core on a temp SQLite file.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type StartedWebHost } from './index';
import { displayKeyMatches } from './web-host';

let host: StartedWebHost;
let rendererDir: string;

async function api(method: string, body: unknown, token?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${host.url}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function login(pin: string): Promise<string> {
  const r = await api('auth.login', { pin });
  expect(r.status).toBe(200);
  return r.json.token as string;
}

async function anyBarcode(token: string): Promise<string> {
  // An each-priced demo product with a GTIN.
  const r = await api('catalog.search', { query: 'milk', limit: 20 }, token);
  const p = (r.json.products as any[]).find((x) => x.unit === 'each' && x.barcodes.length > 0);
  expect(p).toBeTruthy();
  return p.barcodes[0] as string;
}

beforeAll(async () => {
  rendererDir = mkdtempSync(join(tmpdir(), 'pos-renderer-'));
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>till</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  host = await startWebHost({
    dataDir: mkdtempSync(join(tmpdir(), 'pos-host-')),
    port: 0,
    seedDemo: true,
    rendererDir,
  });
});
afterAll(async () => {
  await host?.close();
});

describe('web host HTTP contract', () => {
  it('GET /health answers ok with terminal id and version', async () => {
    const res = await fetch(`${host.url}/health`);
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body.ok).toBe(true);
    expect(typeof body.terminalId).toBe('string');
    expect(body.terminalId.length).toBeGreaterThan(0);
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('refuses methods without a session and with a wrong PIN', async () => {
    const anon = await api('cart.get', {});
    expect(anon.status).toBe(401);
    expect(anon.json).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const wrong = await api('auth.login', { pin: '0000' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('WRONG_PIN');
    expect(wrong.json.error.message.length).toBeGreaterThan(5);
  });

  it('checks the role of the caller', async () => {
    const tech = await login('7777');
    const r = await api('cart.scan', { code: '6901234567892' }, tech);
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('FORBIDDEN');
  });

  it('rejects malformed JSON, unknown methods and invalid input with typed errors', async () => {
    const token = await login('1234');
    const bad = await api('cart.scan', '{not json', token);
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('BAD_INPUT');
    const unknown = await api('cart.teleport', {}, token);
    expect(unknown.status).toBe(404);
    const invalid = await api('cart.pay', { tenders: [{ type: 'cash', amount: 12.5 }] }, token);
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.code).toBe('BAD_INPUT');
  });

  it('scans, pays cash with change, then finds the sale and the stock movement', async () => {
    const token = await login('1234');
    const code = await anyBarcode(token);
    const scanned = await api('cart.scan', { code }, token);
    expect(scanned.status).toBe(200);
    const cart = scanned.json.cart;
    expect(cart.lines.length).toBeGreaterThan(0);
    const sku = cart.lines[0].sku as string;
    const before = await api('stock.get', { sku }, token);

    const pay = await api('cart.pay', { tenders: [{ type: 'cash', amount: cart.total + 1000 }] }, token);
    expect(pay.status).toBe(200);
    expect(pay.json.ok).toBe(true);
    expect(typeof pay.json.saleId).toBe('string');
    // Cash rounding may move the total by less than a yuan; change is tendered minus total.
    expect(pay.json.change).toBe(cart.total + 1000 - pay.json.total);

    const sale = await api('sales.get', { id: pay.json.saleId }, token);
    expect(sale.json.sale.id).toBe(pay.json.saleId);
    expect(sale.json.sale.lines.map((l: any) => l.sku)).toContain(sku);
    const after = await api('stock.get', { sku }, token);
    expect(after.json.onHand).toBe(before.json.onHand - cart.lines[0].quantity);
  });

  it('rejects an invalid barcode with a clear message and leaves the cart unchanged', async () => {
    const token = await login('2345');
    const before = (await api('cart.get', {}, token)).json.cart;
    const r = await api('cart.scan', { code: '6901234567890' }, token); // wrong check digit
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('BARCODE_INVALID');
    const after = (await api('cart.get', {}, token)).json.cart;
    expect(after.lines).toEqual(before.lines);
  });

  it('streams cart events over SSE to a logged-in client only', async () => {
    const denied = await fetch(`${host.url}/api/events`);
    expect(denied.status).toBe(401);
    const token = await login('1234');
    const ctrl = new AbortController();
    const res = await fetch(`${host.url}/api/events?token=${token}`, { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const code = await anyBarcode(token);
    await api('cart.scan', { code }, token);
    let text = '';
    const deadline = Date.now() + 5000;
    while (!text.includes('cart.changed') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    ctrl.abort();
    expect(text).toContain('"type":"cart.changed"');
  });

  it('serves the renderer with a CSP and falls back to index.html for app routes', async () => {
    const res = await fetch(`${host.url}/till/returns`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toContain('<title>till</title>');
    expect((await fetch(`${host.url}/assets/missing.js`)).status).toBe(404);
    // An encoded traversal never escapes the renderer folder: it gets the app shell, not the file.
    const traversal = await fetch(`${host.url}/..%2f..%2f..%2f..%2fetc%2fpasswd`);
    const body = await traversal.text();
    expect(body).not.toContain('root:');
    expect(body).toContain('<title>till</title>');
  });
});

describe('customer display routes', () => {
  beforeAll(() => {
    mkdirSync(join(rendererDir, 'display'), { recursive: true });
    writeFileSync(join(rendererDir, 'display', 'index.html'), '<!doctype html><title>customer display</title>');
  });

  const wrongKeys = (key: string) => [
    '', // missing
    '?key=', // empty
    `?key=${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}`, // same length, last digit off
    `?key=${key}0`, // longer
    `?key=${key.slice(0, 8)}`, // a prefix
    `?key=${key.toUpperCase()}`, // case matters
  ];

  it('answers 401 for a missing or wrong key on the state and the event stream', async () => {
    const key = host.till.displayKey;
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    for (const q of wrongKeys(key)) {
      for (const sub of ['state', 'events']) {
        const res = await fetch(`${host.url}/display/${sub}${q}`);
        expect(res.status, `${sub}${q}`).toBe(401);
        const body = await res.json();
        expect(body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
        expect(body.error).toMatchObject({
          message: expect.stringContaining('display key'),
          details: { reason: 'display-key' },
        });
        expect(JSON.stringify(body)).not.toContain(key);
      }
    }
    // A session token of a logged-in cashier is not a display key.
    const token = await login('1234');
    expect((await fetch(`${host.url}/display/state?key=${token}`)).status).toBe(401);
    expect(displayKeyMatches(undefined, key)).toBe(false);
    expect(displayKeyMatches(key, '')).toBe(false);
    expect(displayKeyMatches(key, key)).toBe(true);
  });

  it('with the key: the state, then live states over SSE as the cart changes', async () => {
    const key = host.till.displayKey;
    const res = await fetch(`${host.url}/display/state?key=${key}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const first = (await res.json()).state;
    expect(first).toMatchObject({ storeName: '鲜丰社区生鲜 Fresh Corner', currency: 'CNY' });

    const ctrl = new AbortController();
    const sse = await fetch(`${host.url}/display/events?key=${key}`, { signal: ctrl.signal });
    expect(sse.status).toBe(200);
    expect(sse.headers.get('content-type')).toContain('text/event-stream');
    const reader = sse.body!.getReader();
    const token = await login('1234');
    const code = await anyBarcode(token);
    const scanned = await api('cart.scan', { code }, token);
    expect(scanned.status).toBe(200);
    const states: any[] = [];
    let buf = '';
    const deadline = Date.now() + 15_000;
    while (!states.some((s) => s.status === 'cart' && s.seq > first.seq) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += new TextDecoder().decode(value);
      const parts = buf.split('\n\n');
      buf = parts.pop()!;
      for (const p of parts) if (p.startsWith('data: ')) states.push(JSON.parse(p.slice(6)));
    }
    ctrl.abort();
    expect(states[0].seq).toBeGreaterThanOrEqual(first.seq); // the current state comes first
    const cart = states.find((s) => s.status === 'cart' && s.seq > first.seq);
    const line = (scanned.json.cart.lines as any[]).find((l) => l.lineId === scanned.json.lineId);
    expect(cart).toMatchObject({
      total: scanned.json.cart.total,
      itemCount: scanned.json.cart.itemCount,
      lastLine: { name: line.name, total: line.total },
    });
    expect(JSON.stringify(states)).not.toContain('李娜');
  });

  it('serves the display page under /display/ (not the till), with the CSP', async () => {
    const res = await fetch(`${host.url}/display/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<title>customer display</title>');
    const bare = await fetch(`${host.url}/display?x=1`, { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/display/?x=1');
    expect((await fetch(`${host.url}/display/elsewhere`)).status).toBe(404);
    expect((await fetch(`${host.url}/display/state?key=${host.till.displayKey}`, { method: 'POST' })).status).toBe(405);
  });
});
