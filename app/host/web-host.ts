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
//
// Before any route: the request target must be a plain path, the Host a name of this till and
// a browser's Origin the till itself (request-origin.ts); /api posts must be JSON of at most
// 1 MB (request-body.ts). Nothing a client sends may end the process: each request runs in
// one guard and parser errors get a 4xx (docs/security-notes/host.md).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join } from 'node:path';
import type { Logger } from 'pino';
import { errorText, httpStatusFor, methodNames, type ErrorCode, type MethodName } from '../contract';
import type { TerminalCore } from '../core';
import type { CustomerDisplayFeed } from '../till';
import { createTillEventStreams, type TillEventStreams } from './event-streams';
import { MAX_BODY_BYTES, readBody } from './request-body';
import { createRequestOriginCheck, type RequestOriginCheck } from './request-origin';
import { serveStatic } from './static-files';
import { secretMatches } from '../../sync/protocol';

export interface WebHostOptions {
  core: TerminalCore;
  port?: number;
  host?: string;
  /** Host names besides loopback and the bind address that browsers may use (POS_ALLOWED_HOSTS). */
  allowedHosts?: readonly string[];
  rendererDir?: string;
  logger?: Logger;
  /** The customer display feed and its read-only key (Till.displayKey); /display/* answers 404 without it. */
  display?: { feed: CustomerDisplayFeed; key: string };
  /** How often an open event stream re-checks its session (default 30 s; tests shorten it). */
  sessionCheckMs?: number;
}

export interface RunningWebHost {
  url: string;
  port: number;
  server: WebHostServer;
  close(): Promise<void>;
}

const KNOWN = new Set<string>(methodNames);

// The renderer is served from our own origin only; the API never sets CORS headers, so other
// origins' pages cannot read its answers.
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string, extra?: Record<string, string>): void {
  sendJson(res, status, { ok: false, error: { code, message } }, extra);
}

function bearer(req: IncomingMessage, url: URL): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || undefined;
  return url.searchParams.get('token') ?? undefined;
}

/** `application/json`, with or without parameters (charset). */
function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/**
 * The request target as a URL, or null when it is not a plain origin-form path: absolute-form
 * ("http://host/…", meant for proxies), "//…", "*" and anything `URL` cannot parse.
 */
function requestUrl(raw: string | undefined): URL | null {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//')) return null;
  try {
    return new URL(raw, 'http://till.invalid');
  } catch {
    return null;
  }
}

async function handleRpc(core: TerminalCore, streams: TillEventStreams, method: string, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (!KNOWN.has(method)) {
    sendError(res, 404, 'NOT_FOUND', `No method "${method}". See docs/api.md.`);
    return;
  }
  // A cross-site page can only send "simple" content types without a CORS preflight, which we
  // never grant: requiring JSON keeps such posts from reaching the core at all.
  if (!isJson(req.headers['content-type'])) {
    sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON with the header Content-Type: application/json.');
    return;
  }
  const body = await readBody(req);
  if (!body.ok) {
    if (body.reason === 'too-large') {
      const text = JSON.stringify({ ok: false, error: { code: 'BODY_TOO_LARGE', message: `Request body is larger than ${MAX_BODY_BYTES / 1_000_000} MB.` } });
      res.writeHead(413, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text), Connection: 'close' });
      res.end(text, () => { if (body.hangUp) req.socket.destroy(); });
    } else {
      req.socket.destroy();
    }
    return;
  }
  let input: unknown = {};
  try {
    input = body.text.trim() === '' ? {} : JSON.parse(body.text);
  } catch {
    sendError(res, 400, 'BAD_INPUT', 'Request body is not valid JSON.');
    return;
  }
  const token = bearer(req, url);
  const result = await core.call(method as MethodName, input, { token });
  // The session is gone: so are its live streams (they carry cart contents).
  if (method === 'auth.logout' && result.ok && token) streams.endSession(token);
  sendJson(res, result.ok ? 200 : httpStatusFor(result.error.code), result);
}

async function handleEvents(core: TerminalCore, streams: TillEventStreams, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  // The stream carries cart contents, so it needs a live session like any method.
  const token = bearer(req, url);
  const who = await core.call('auth.whoami', {}, { token });
  if (!who.ok || !token) {
    sendJson(res, who.ok ? 401 : httpStatusFor(who.error.code), who);
    return;
  }
  streams.open(token, req, res);
}

/** Constant-time comparison of the display key. */
export function displayKeyMatches(given: string | null | undefined, key: string): boolean {
  return secretMatches(given, key);
}

const DISPLAY_KEY_REFUSED = {
  ok: false,
  error: { code: 'UNAUTHENTICATED', message: errorText('UNAUTHENTICATED', { reason: 'display-key' }, 'en'), details: { reason: 'display-key' } },
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

export interface WebHostServer extends Server {
  /** Ends the live event streams (before closing the server). */
  closeStreams(): void;
}

export function createWebHostServer(opts: WebHostOptions): WebHostServer {
  const { core, logger } = opts;
  const rendererDir = opts.rendererDir ?? join(import.meta.dirname, '../../dist/renderer');
  const checkOrigin = createRequestOriginCheck({ bindHost: opts.host ?? '127.0.0.1', extraHosts: opts.allowedHosts });
  const streams = createTillEventStreams(core, opts.sessionCheckMs);
  const server = createServer((req, res) => {
    // One guard per request: whatever a request does, it gets an answer and the till stays up.
    const fail = (err: unknown) => {
      logger?.error({ err, method: req.method }, 'web host request failed');
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'Internal error; see the terminal log.', { Connection: 'close' });
      else res.destroy();
    };
    // A stream error with no listener would be thrown out of the event loop.
    req.on('error', (err) => logger?.debug({ err }, 'request stream error'));
    res.on('error', (err) => logger?.debug({ err }, 'response stream error'));
    try {
      route(req, res).catch(fail);
    } catch (err) {
      fail(err);
    }
  }) as WebHostServer;
  server.closeStreams = () => streams.closeAll();
  // Bytes the HTTP parser cannot read (bad method, bad target characters, oversized headers):
  // a 4xx and a closed connection, never an exception.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, reason] = err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout'] : [400, 'Bad Request'];
    const text = JSON.stringify({ ok: false, error: { code: 'BAD_INPUT', message: `Malformed HTTP request (${reason}).` } });
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    // Read and drop what the client is still sending, so closing does not reset the connection
    // before it has read the answer; give up after a few seconds.
    socket.on('data', () => {});
    socket.resume();
    socket.once('end', () => socket.destroy());
    setTimeout(() => socket.destroy(), 5000).unref();
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    const url = requestUrl(req.url);
    if (!url) {
      sendError(res, 400, 'BAD_INPUT', 'Malformed request target; use a path such as /api/<method>.', { Connection: 'close' });
      return;
    }
    const path = url.pathname;
    const api = path.startsWith('/api/') || path === '/display/state' || path === '/display/events';
    const origin = checkOrigin(req.headers, api);
    if (!origin.ok) {
      logger?.warn({ reason: origin.reason, path: path.slice(0, 100) }, 'refused a request that is not from this till');
      if (origin.status === 400) sendError(res, 400, 'BAD_INPUT', `Malformed request: ${origin.reason}.`);
      else sendError(res, 403, 'ORIGIN_REFUSED', errorText('ORIGIN_REFUSED', undefined, 'en'));
      return;
    }

    if (path === '/health' && req.method === 'GET') {
      const s = await core.call('system.status', {}, { internal: true });
      // Unauthenticated: the lost-sales verdict only (state, reason), not sale ids or file paths.
      const saleRecords = s.ok && s.saleRecords ? { state: s.saleRecords.state, reason: s.saleRecords.reason } : null;
      sendJson(res, 200, { ok: true, terminalId: core.terminalId, storeId: core.storeId, version: core.version, sync: s.ok ? s.sync : null, saleRecords });
      return;
    }
    if (path === '/api/events' && req.method === 'GET') {
      await handleEvents(core, streams, req, res, url);
      return;
    }
    if (path.startsWith('/api/')) {
      if (req.method !== 'POST') {
        sendError(res, 405, 'BAD_INPUT', 'Use POST with a JSON body.', { Allow: 'POST' });
        return;
      }
      let method: string;
      try {
        method = decodeURIComponent(path.slice(5));
      } catch {
        sendError(res, 404, 'NOT_FOUND', 'No such method (the path is not valid percent-encoding). See docs/api.md.');
        return;
      }
      await handleRpc(core, streams, method, req, res, url);
      return;
    }
    if (path === '/display' || path.startsWith('/display/')) {
      if (!opts.display) {
        sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: errorText('NOT_FOUND', { reason: 'customer-display' }, 'en'), details: { reason: 'customer-display' } } });
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendError(res, 405, 'BAD_INPUT', 'Use GET.', { Allow: 'GET' });
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
      sendError(res, 404, 'NOT_FOUND', 'Not found.');
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
    sendError(res, 404, 'NOT_FOUND', 'Not found.');
  }

  return server;
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
        server.closeStreams();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
