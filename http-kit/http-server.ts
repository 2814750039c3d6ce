// A Hono app on Node's own http.Server: the request guard (request-guard.ts) runs before Hono
// sees a request, Hono routes it, and the server's error table answers whatever a handler
// throws. Node's server stays ours, so clientError handling, raw sockets and SSE work as before;
// a handler that writes to the Node response itself (a stream, a file) returns `alreadySent`.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener, RequestError, type HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context, ErrorHandler, Hono } from 'hono';
import { HttpError } from './http-error';
import { errorReply } from './replies';
import { answerClientError, plainTarget, quietStreams, writeJson } from './request-guard';

/** Hono's environment on every server of the kit: the Node request and response are at hand. */
export interface KitEnv {
  Bindings: HttpBindings;
}
export type KitContext = Context<KitEnv>;
export type KitApp = Hono<KitEnv>;

/** Returned by a handler that has answered on the Node response itself. */
export const alreadySent: Response = RESPONSE_ALREADY_SENT;

interface KitLog {
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** A refusal decided on the raw request, before routing. */
export interface Refusal {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

export interface KitServerOptions {
  log?: KitLog;
  /** The message of the 400 for a target that is not a plain path. */
  badTargetMessage?: string;
  /** Checks on the raw request before any route (the till's Host/Origin check); null lets it through. */
  screen?: (req: IncomingMessage, url: URL) => Refusal | null;
  /**
   * Headers on every answer, set on the Node response before anything else runs, so refusals,
   * Hono's answers, streams and files all carry them (the till's CSP and friends).
   */
  securityHeaders?: Readonly<Record<string, string>>;
  /** Longer than clients' keep-alive, so the server never closes a socket a client is reusing. */
  keepAliveTimeoutMs?: number;
}

/**
 * The app's `onError`: `toError` is the server's table (coded errors → HttpError, or a whole
 * Response for servers whose error body says more). After the headers are out, the only honest
 * answer left is to cut the response short.
 */
export function answerErrors(toError: (err: unknown) => HttpError | Response): ErrorHandler<KitEnv> {
  return (err, c) => {
    const out = c.env.outgoing;
    if (out.headersSent) {
      out.destroy();
      return alreadySent;
    }
    const e = toError(err);
    if (e instanceof Response) return e;
    return errorReply(e.status, e.code, e.message, e.details, e.headers);
  };
}

export function createKitServer(app: KitApp, opts: KitServerOptions = {}): Server {
  const { log } = opts;
  const internal = () =>
    errorReply(500, 'INTERNAL', 'internal error; see the server log', undefined, { connection: 'close' });
  const listener = getRequestListener(app.fetch, {
    // HTTP/1.0 may come without a Host header: still routed (Node refuses HTTP/1.1 without one).
    hostname: 'server.invalid',
    // Reached when the request cannot be turned into a fetch Request at all.
    errorHandler: (err) => {
      if (err instanceof RequestError)
        return errorReply(400, 'BAD_INPUT', 'Malformed request (target or Host header).', undefined, {
          connection: 'close',
        });
      log?.error({ err }, 'request could not be handled');
      return internal();
    },
  });
  const headers = Object.entries(opts.securityHeaders ?? {});
  const server = createServer((req, res) => {
    quietStreams(req, res, log);
    for (const [k, v] of headers) res.setHeader(k, v);
    const fail = (err: unknown) => {
      log?.error({ err, method: req.method }, 'request failed');
      if (!res.headersSent)
        writeJson(
          res,
          500,
          { ok: false, error: { code: 'INTERNAL', message: 'internal error; see the server log' } },
          { Connection: 'close' },
        );
      else res.destroy();
    };
    try {
      const url = plainTarget(req.url);
      if (!url) {
        writeJson(
          res,
          400,
          {
            ok: false,
            error: {
              code: 'BAD_INPUT',
              message: opts.badTargetMessage ?? 'Malformed request target; use a plain path.',
            },
          },
          { Connection: 'close' },
        );
        return;
      }
      const refused = opts.screen?.(req, url);
      if (refused) {
        writeJson(
          res,
          refused.status,
          { ok: false, error: { code: refused.code, message: refused.message } },
          refused.headers,
        );
        return;
      }
      listener(req, res).catch(fail);
    } catch (err) {
      fail(err);
    }
  });
  server.on('clientError', answerClientError);
  if (opts.keepAliveTimeoutMs) {
    server.keepAliveTimeout = opts.keepAliveTimeoutMs;
    server.headersTimeout = opts.keepAliveTimeoutMs + 1000;
  }
  return server;
}

/** Listens on host:port (0 = any free port) and says which port it got. */
export async function listenOn(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Ends every connection (keep-alive ones too) and waits for the server to close. */
export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}
