// What stands before every route of every server, so that nothing a client sends can end the
// process (docs/security-notes/host.md):
//  - bytes Node's HTTP parser cannot read (bad method, bad target characters, oversized
//    headers) get a 4xx and a closed connection, never an exception (`answerClientError`);
//  - a request target that is not a plain path (absolute-form meant for proxies, "//…", "*",
//    anything URL cannot parse) gets 400 before any router sees it (`plainTarget`);
//  - request/response stream errors are logged, not thrown out of the event loop;
//  - a handler that throws gets a 500 (or its coded status) and the server stays up.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { JSON_TYPE } from './replies';

/** The request target as a URL, or null when it is not a plain origin-form path. */
export function plainTarget(raw: string | undefined): URL | null {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//')) return null;
  try {
    return new URL(raw, 'http://server.invalid');
  } catch {
    return null;
  }
}

/** Writes a JSON answer straight onto a Node response (before or outside Hono). */
export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': JSON_TYPE,
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** `server.on('clientError', …)`: a 4xx for what the parser refused, then the socket is closed. */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout']
        : [400, 'Bad Request'];
  const text = JSON.stringify({
    ok: false,
    error: { code: 'BAD_INPUT', message: `Malformed HTTP request (${reason}).` },
  });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
  // Read and drop what the client is still sending, so closing does not reset the connection
  // before it has read the answer; give up after a few seconds.
  socket.on('data', () => {});
  socket.resume();
  socket.once('end', () => socket.destroy());
  setTimeout(() => socket.destroy(), 5000).unref();
}

/** Stream errors with no listener would be thrown out of the event loop: log them instead. */
export function quietStreams(
  req: IncomingMessage,
  res: ServerResponse,
  log?: { debug(obj: object, msg: string): void },
): void {
  req.on('error', (err) => log?.debug({ err }, 'request stream error'));
  res.on('error', (err) => log?.debug({ err }, 'response stream error'));
}
