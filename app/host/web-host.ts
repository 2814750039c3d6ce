// Web mode: the same RPC contract as Electron IPC, over HTTP, plus the renderer bundle.
// This is a thin adapter — validation, sessions and role checks all live in the core router,
// so both transports behave identically.
//
//   GET  /health            {"ok":true,"terminalId","storeId","version","sync","saleRecords"}
//   POST /api/<method>      JSON body in, {"ok":true,...} or {"ok":false,"error":{code,message}} out
//   GET  /api/events        Server-Sent Events of TillEvent (token in ?token= or Authorization)
//   GET  /display/          customer display page (dist/renderer/display/; key in the URL fragment)
//   GET  /display/state     the customer display state (?key=<display key>, 401 without it)
//   GET  /display/events    Server-Sent Events of the customer display state (?key=)
//   GET  /*                 dist/renderer (SPA)
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import type { Logger } from 'pino';
import { httpStatusFor, methodNames, type MethodName, type TillEvent } from '../contract';
import type { TerminalCore } from '../core';
import type { CustomerDisplayFeed } from '../till/customer-display';
import { serveStatic } from './static-files';
import { secretMatches } from '../../sync/protocol/auth';

export interface WebHostOptions {
  core: TerminalCore;
  port?: number;
  host?: string;
  rendererDir?: string;
  logger?: Logger;
  /** The customer display feed and its read-only key (Till.displayKey); /display/* answers 404 without it. */
  display?: { feed: CustomerDisplayFeed; key: string };
}

export interface RunningWebHost {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;
const KNOWN = new Set<string>(methodNames);

// The renderer is served from our own origin only; the API never sets CORS headers, so other
// origins' pages cannot read its answers.
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function bearer(req: IncomingMessage, url: URL): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || undefined;
  return url.searchParams.get('token') ?? undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handleRpc(core: TerminalCore, method: string, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (!KNOWN.has(method)) {
    sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `No method "${method}". See docs/api.md.` } });
    return;
  }
  let input: unknown = {};
  try {
    const raw = await readBody(req);
    input = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch (err) {
    const tooBig = err instanceof Error && err.message === 'body too large';
    sendJson(res, tooBig ? 413 : 400, { ok: false, error: { code: 'BAD_INPUT', message: tooBig ? 'Request body is larger than 1 MB.' : 'Request body is not valid JSON.' } });
    return;
  }
  const result = await core.call(method as MethodName, input, { token: bearer(req, url) });
  sendJson(res, result.ok ? 200 : httpStatusFor(result.error.code), result);
}

async function handleEvents(core: TerminalCore, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  // The stream carries cart contents, so it needs a live session like any method.
  const who = await core.call('auth.whoami', {}, { token: bearer(req, url) });
  if (!who.ok) {
    sendJson(res, httpStatusFor(who.error.code), who);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.write(': connected\n\n');
  const onEvent = (event: TillEvent) => res.write(`data: ${JSON.stringify(event)}\n\n`);
  const keepAlive = setInterval(() => res.write(': ping\n\n'), 15_000);
  core.events.on('event', onEvent);
  req.on('close', () => {
    clearInterval(keepAlive);
    core.events.off('event', onEvent);
  });
}

/** Constant-time comparison of the display key. */
export function displayKeyMatches(given: string | null | undefined, key: string): boolean {
  return secretMatches(given, key);
}

const DISPLAY_KEY_REFUSED = {
  ok: false,
  error: { code: 'UNAUTHENTICATED', message: '顾客屏密钥缺失或错误，请从收银机打开顾客屏链接 / The display key is missing or wrong; open the customer display from the link the till gives' },
};

function handleDisplay(display: NonNullable<WebHostOptions['display']>, req: IncomingMessage, res: ServerResponse, url: URL, sub: 'state' | 'events'): void {
  if (!displayKeyMatches(url.searchParams.get('key'), display.key)) {
    sendJson(res, 401, DISPLAY_KEY_REFUSED);
    return;
  }
  if (sub === 'state') {
    sendJson(res, 200, { ok: true, state: display.feed.state() });
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  const send = (state: unknown) => res.write(`data: ${JSON.stringify(state)}\n\n`);
  send(display.feed.state());
  const unsubscribe = display.feed.subscribe(send);
  const keepAlive = setInterval(() => res.write(': ping\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}

export function createWebHostServer(opts: WebHostOptions): Server {
  const { core, logger } = opts;
  const rendererDir = opts.rendererDir ?? join(import.meta.dirname, '../../dist/renderer');
  return createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const done = (p: Promise<void>) =>
      p.catch((err: unknown) => {
        logger?.error({ err, path }, 'web host request failed');
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'Internal error; see the terminal log.' } });
        else res.end();
      });

    if (path === '/health' && req.method === 'GET') {
      done(core.call('system.status', {}, { internal: true }).then((s) => {
        // Unauthenticated: the lost-sales verdict only (state, reason), not sale ids or file paths.
        const saleRecords = s.ok && s.saleRecords ? { state: s.saleRecords.state, reason: s.saleRecords.reason } : null;
        sendJson(res, 200, { ok: true, terminalId: core.terminalId, storeId: core.storeId, version: core.version, sync: s.ok ? s.sync : null, saleRecords });
      }));
      return;
    }
    if (path === '/api/events' && req.method === 'GET') {
      done(handleEvents(core, req, res, url));
      return;
    }
    if (path.startsWith('/api/')) {
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        sendJson(res, 405, { ok: false, error: { code: 'BAD_INPUT', message: 'Use POST with a JSON body.' } });
        return;
      }
      done(handleRpc(core, decodeURIComponent(path.slice(5)), req, res, url));
      return;
    }
    if (path === '/display' || path.startsWith('/display/')) {
      if (!opts.display) {
        sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: '本收银机未开启顾客屏 / This till has no customer display.' } });
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET');
        sendJson(res, 405, { ok: false, error: { code: 'BAD_INPUT', message: 'Use GET.' } });
        return;
      }
      if (path === '/display') {
        // The page's relative asset URLs need the trailing slash; the fragment (key) survives a redirect.
        res.writeHead(308, { Location: `/display/${url.search}` });
        res.end();
        return;
      }
      if (path === '/display/state' || path === '/display/events') {
        handleDisplay(opts.display, req, res, url, path === '/display/state' ? 'state' : 'events');
        return;
      }
      // Files only: the till's SPA fallback must not answer under /display/.
      const target = path === '/display/' ? '/display/index.html' : path;
      if (extname(target) !== '' && serveStatic(rendererDir, target, res)) return;
      if (path === '/display/' || path === '/display/index.html') {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('The customer display is not built yet. Run: npm run build:renderer\n');
        return;
      }
      sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'Not found.' } });
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (serveStatic(rendererDir, path, res)) return;
      if (path === '/' || path === '/index.html') {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('The till screen is not built yet. Run: npm run build:renderer\n');
        return;
      }
    }
    sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'Not found.' } });
  });
}

export async function listenWebHost(opts: WebHostOptions): Promise<RunningWebHost> {
  const server = createWebHostServer(opts);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
