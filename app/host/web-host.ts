// Web mode: the same RPC contract as Electron IPC, over HTTP, plus the renderer bundle.
// This is a thin adapter — validation, sessions and role checks all live in the core router,
// so both transports behave identically.
//
//   GET  /health            {"ok":true,"terminalId","storeId","version","sync","saleRecords"}
//   POST /api/<method>      JSON body in, {"ok":true,...} or {"ok":false,"error":{code,message}} out
//   GET  /api/events        Server-Sent Events of TillEvent (token in ?token= or Authorization)
//   GET  /api/setup/state   the first-run wizard's view of pairing and catalog download (setup-endpoint.ts)
//   POST /api/setup/<action> the wizard's pair / ticket actions (JSON; their own access rules)
//   GET  /display/          customer display page (dist/renderer/display/; key in the URL fragment)
//   GET  /display/state     the customer display state (?key=<display key>, 401 without it)
//   GET  /display/events    Server-Sent Events of the customer display state (?key=)
//   GET  /*                 dist/renderer (SPA)
//
// Routed by Hono on the http-kit server. Before any route (the kit's guard): the request target
// must be a plain path, the Host a name of this till and a browser's Origin the till itself
// (request-origin.ts); /api posts must be JSON of at most 1 MB (http-kit/request-body.ts). Nothing a
// client sends may end the process: parser errors get a 4xx, a throwing handler a 500
// (docs/security-notes/host.md).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { errorText, httpStatusFor, methodNames, type ErrorCode, type MethodName } from '../contract';
import type { TerminalCore } from '../core';
import type { CustomerDisplayFeed } from '../till';
import { createTillEventStreams, type TillEventStreams } from './event-streams';
import { createRequestOriginCheck } from './request-origin';
import { findStatic, sendStatic } from './static-files';
import { secretMatches } from '../../sync/protocol';
import {
  alreadySent,
  answerErrors,
  bearer,
  closeServer,
  createKitServer,
  HttpError,
  jsonReply,
  listenOn,
  MAX_JSON_BYTES,
  readBody,
  writeJson,
  type KitContext,
  type KitEnv,
} from '../../http-kit';

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
  /** The first-run wizard's actions under /api/setup/ (app/host/setup-endpoint.ts); 404 without. */
  setup?: SetupEndpoint;
}

/** What /api/setup/<action> calls: the body parsed (GET: `{}`), the session token if any. */
export type SetupEndpoint = (
  action: string,
  method: 'GET' | 'POST',
  input: unknown,
  token: string | undefined,
) => Promise<{ status: number; body: unknown }>;

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
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

function sendError(status: number, code: ErrorCode, message: string, extra?: Record<string, string>): Response {
  return jsonReply(status, { ok: false, error: { code, message } }, extra);
}

/** The session token: `Authorization: Bearer …` (the kit's one reading), else `?token=` (EventSource cannot set headers). */
function sessionToken(req: IncomingMessage, url: URL): string | undefined {
  return bearer(req.headers.authorization) ?? url.searchParams.get('token') ?? undefined;
}

/** `application/json`, with or without parameters (charset). */
function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** The JSON body of a POST, or the answer already given (too large, torn, not JSON). */
async function readJsonInput(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const body = await readBody(req, MAX_JSON_BYTES);
  if (!body.ok) {
    if (body.reason === 'too-large') {
      // Written here, not returned: the socket may have to close right after the answer is out.
      writeJson(
        res,
        413,
        {
          ok: false,
          error: { code: 'BODY_TOO_LARGE', message: `Request body is larger than ${MAX_JSON_BYTES / 1_000_000} MB.` },
        },
        { Connection: 'close' },
      );
      if (body.hangUp) res.once('finish', () => req.socket.destroy());
    } else {
      req.socket.destroy();
    }
    return alreadySent;
  }
  try {
    const text = body.bytes.toString('utf8');
    return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
  } catch {
    return sendError(400, 'BAD_INPUT', 'Request body is not valid JSON.');
  }
}

async function handleRpc(
  core: TerminalCore,
  streams: TillEventStreams,
  method: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<Response> {
  if (!KNOWN.has(method)) return sendError(404, 'NOT_FOUND', `No method "${method}". See docs/api.md.`);
  // A cross-site page can only send "simple" content types without a CORS preflight, which we
  // never grant: requiring JSON keeps such posts from reaching the core at all.
  if (!isJson(req.headers['content-type']))
    return sendError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the body as JSON with the header Content-Type: application/json.',
    );
  const input = await readJsonInput(req, res);
  if (input instanceof Response) return input;
  const token = sessionToken(req, url);
  const result = await core.call(method as MethodName, input, { token });
  // The session is gone: so are its live streams (they carry cart contents).
  if (method === 'auth.logout' && result.ok && token) streams.endSession(token);
  return jsonReply(result.ok ? 200 : httpStatusFor(result.error.code), result);
}

async function handleEvents(
  core: TerminalCore,
  streams: TillEventStreams,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<Response> {
  // The stream carries cart contents, so it needs a live session like any method.
  const token = sessionToken(req, url);
  const who = await core.call('auth.whoami', {}, { token });
  if (!who.ok || !token) return jsonReply(who.ok ? 401 : httpStatusFor(who.error.code), who);
  streams.open(token, req, res);
  return alreadySent;
}

async function handleSetup(
  setup: SetupEndpoint | undefined,
  action: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<Response> {
  if (!setup) return sendError(404, 'NOT_FOUND', 'This till has no setup wizard.');
  if (req.method !== 'GET' && req.method !== 'POST')
    return sendError(405, 'BAD_INPUT', 'Use GET or POST.', { Allow: 'GET, POST' });
  let input: unknown = {};
  if (req.method === 'POST') {
    if (!isJson(req.headers['content-type']))
      return sendError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the body as JSON with the header Content-Type: application/json.',
      );
    input = await readJsonInput(req, res);
    if (input instanceof Response) return input;
  }
  const r = await setup(action, req.method, input, sessionToken(req, url));
  return jsonReply(r.status, r.body);
}

/** Constant-time comparison of the display key. */
export function displayKeyMatches(given: string | null | undefined, key: string): boolean {
  return secretMatches(given, key);
}

const DISPLAY_KEY_REFUSED = {
  ok: false,
  error: {
    code: 'UNAUTHENTICATED',
    message: errorText('UNAUTHENTICATED', { reason: 'display-key' }, 'en'),
    details: { reason: 'display-key' },
  },
};

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

function handleDisplay(
  display: NonNullable<WebHostOptions['display']>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  sub: 'state' | 'events',
): Response {
  if (!displayKeyMatches(url.searchParams.get('key'), display.key)) return jsonReply(401, DISPLAY_KEY_REFUSED);
  if (sub === 'state') return jsonReply(200, { ok: true, state: display.feed.state() });
  // HEAD: the stream's headers only (Hono answers HEAD from the GET route, without a body).
  if (req.method === 'HEAD') return new Response(null, { status: 200, headers: SSE_HEADERS });
  res.writeHead(200, SSE_HEADERS);
  const key = display.key;
  // A rotated key ends the streams opened with the old one at their next update.
  const send = (state: unknown) => {
    if (display.key !== key) res.end();
    else res.write(`data: ${JSON.stringify(state)}\n\n`);
  };
  send(display.feed.state());
  const unsubscribe = display.feed.subscribe(send);
  const keepAlive = setInterval(() => res.write(': ping\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
  return alreadySent;
}

const NOT_BUILT = (what: string) =>
  new Response(`The ${what} is not built yet. Run: npm run build:renderer\n`, {
    status: 503,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });

export interface WebHostServer extends Server {
  /** Ends the live event streams (before closing the server). */
  closeStreams(): void;
}

export function createWebHostServer(opts: WebHostOptions): WebHostServer {
  const { core, logger } = opts;
  const rendererDir = opts.rendererDir ?? join(import.meta.dirname, '../../dist/renderer');
  const checkOrigin = createRequestOriginCheck({ bindHost: opts.host ?? '127.0.0.1', extraHosts: opts.allowedHosts });
  const streams = createTillEventStreams(core, opts.sessionCheckMs);
  const display = opts.display;
  const urlOf = (c: KitContext) => new URL(c.req.url);
  // A file from dist/renderer, piped onto the Node response; HEAD gets the headers only.
  const file = (c: KitContext, path: string): Response | null => {
    const found = findStatic(rendererDir, path);
    if (!found) return null;
    if (c.env.incoming.method === 'HEAD') return new Response(null, { status: 200, headers: found.headers });
    sendStatic(found, c.env.outgoing);
    return alreadySent;
  };
  const displayRoute = async (c: KitContext, next: () => Promise<void>): Promise<Response | void> => {
    const req = c.env.incoming;
    const url = urlOf(c);
    const path = url.pathname;
    if (path !== '/display' && !path.startsWith('/display/')) return next();
    if (!display)
      return jsonReply(404, {
        ok: false,
        error: {
          code: 'NOT_FOUND',
          message: errorText('NOT_FOUND', { reason: 'customer-display' }, 'en'),
          details: { reason: 'customer-display' },
        },
      });
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(405, 'BAD_INPUT', 'Use GET.', { Allow: 'GET' });
    // The page's relative asset URLs need the trailing slash; the fragment (key) survives a redirect.
    if (path === '/display')
      return new Response(null, { status: 308, headers: { Location: `/display/${url.search}` } });
    if (path === '/display/state' || path === '/display/events')
      return handleDisplay(display, req, c.env.outgoing, url, path === '/display/state' ? 'state' : 'events');
    // Files only: the till's SPA fallback must not answer under /display/.
    const target = path === '/display/' ? '/display/index.html' : path;
    const served = extname(target) !== '' ? file(c, target) : null;
    if (served) return served;
    if (path === '/display/' || path === '/display/index.html') return NOT_BUILT('customer display');
    return sendError(404, 'NOT_FOUND', 'Not found.');
  };

  const app = new Hono<KitEnv>()
    .get('/health', async (c, next) => {
      if (c.env.incoming.method !== 'GET') return next();
      const s = await core.call('system.status', {}, { internal: true });
      // Unauthenticated: the lost-sales verdict only (state, reason), not sale ids or file paths.
      const saleRecords = s.ok && s.saleRecords ? { state: s.saleRecords.state, reason: s.saleRecords.reason } : null;
      return jsonReply(200, {
        ok: true,
        terminalId: core.terminalId,
        storeId: core.storeId,
        version: core.version,
        sync: s.ok ? s.sync : null,
        saleRecords,
      });
    })
    .all('/api/*', async (c, next) => {
      const { incoming: req, outgoing: res } = c.env;
      const url = urlOf(c);
      const path = url.pathname;
      if (!path.startsWith('/api/')) return next();
      if (path === '/api/events' && req.method === 'GET') return handleEvents(core, streams, req, res, url);
      if (path.startsWith('/api/setup/')) return handleSetup(opts.setup, path.slice(11), req, res, url);
      if (req.method !== 'POST') return sendError(405, 'BAD_INPUT', 'Use POST with a JSON body.', { Allow: 'POST' });
      let method: string;
      try {
        method = decodeURIComponent(path.slice(5));
      } catch {
        return sendError(404, 'NOT_FOUND', 'No such method (the path is not valid percent-encoding). See docs/api.md.');
      }
      return handleRpc(core, streams, method, req, res, url);
    })
    .all('/display', displayRoute)
    .all('/display/*', displayRoute)
    .get('*', (c) => {
      const path = urlOf(c).pathname;
      const served = file(c, path);
      if (served) return served;
      if (path === '/' || path === '/index.html') return NOT_BUILT('till screen');
      return sendError(404, 'NOT_FOUND', 'Not found.');
    })
    .notFound(() => sendError(404, 'NOT_FOUND', 'Not found.'))
    .onError(
      answerErrors((err) => {
        logger?.error({ err }, 'web host request failed');
        return new HttpError(500, 'INTERNAL', 'Internal error; see the terminal log.', undefined, {
          Connection: 'close',
        });
      }),
    );

  const server = createKitServer(app, {
    log: logger,
    securityHeaders: SECURITY_HEADERS,
    badTargetMessage: 'Malformed request target; use a path such as /api/<method>.',
    screen: (req, url) => {
      const path = url.pathname;
      const api = path.startsWith('/api/') || path === '/display/state' || path === '/display/events';
      const origin = checkOrigin(req.headers, api);
      if (origin.ok) return null;
      logger?.warn({ reason: origin.reason, path: path.slice(0, 100) }, 'refused a request that is not from this till');
      if (origin.status === 400)
        return { status: 400, code: 'BAD_INPUT', message: `Malformed request: ${origin.reason}.` };
      return { status: 403, code: 'ORIGIN_REFUSED', message: errorText('ORIGIN_REFUSED', undefined, 'en') };
    },
  }) as WebHostServer;
  server.closeStreams = () => streams.closeAll();
  return server;
}

export async function listenWebHost(opts: WebHostOptions): Promise<RunningWebHost> {
  const server = createWebHostServer(opts);
  const host = opts.host ?? '127.0.0.1';
  const port = await listenOn(server, opts.port ?? 0, host);
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    server,
    close: () => {
      server.closeStreams();
      return closeServer(server);
    },
  };
}
