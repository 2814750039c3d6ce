// Bounded request bodies for every server. An oversized body is refused with 413 and a JSON
// error that the client actually gets to read: we stop keeping the bytes but read the upload to
// its end (up to a drain bound) before answering, because closing a socket that still has unread
// upload data makes the kernel send a reset, and the client then sees "connection reset"
// instead of our answer. A client that keeps sending past the bound (or declares such a length
// up front) is answered and cut off, so it cannot hold a connection open forever.
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';

/** JSON bodies: API calls, enrollments, admin routes. */
export const MAX_JSON_BYTES = 1_000_000;
/** How much of an oversized upload is read and dropped before hanging up. */
export const MAX_DRAIN_BYTES = 16_000_000;

export type BodyResult =
  | { ok: true; bytes: Buffer }
  /** `hangUp`: the upload went on past the drain bound; answer, then close the socket. */
  | { ok: false; reason: 'too-large'; hangUp: boolean }
  | { ok: false; reason: 'aborted' };

export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    let size = 0;
    let tooLarge = false;
    const chunks: Buffer[] = [];
    const settle = (r: BodyResult) => {
      req.off('data', onData);
      resolve(r);
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit + MAX_DRAIN_BYTES) {
      // Not worth reading at all: answer now and hang up.
      settle({ ok: false, reason: 'too-large', hangUp: true });
      return;
    }
    if (Number.isFinite(declared) && declared > limit) tooLarge = true;
    function onData(chunk: Buffer) {
      size += chunk.length;
      if (!tooLarge && size > limit) {
        tooLarge = true;
        chunks.length = 0;
      }
      if (tooLarge) {
        if (size > limit + MAX_DRAIN_BYTES) {
          req.pause();
          settle({ ok: false, reason: 'too-large', hangUp: true });
        }
        return;
      }
      chunks.push(chunk);
    }
    req.on('data', onData);
    req.on('end', () =>
      settle(tooLarge ? { ok: false, reason: 'too-large', hangUp: false } : { ok: true, bytes: Buffer.concat(chunks) }),
    );
    req.on('error', () => settle({ ok: false, reason: 'aborted' }));
    req.on('close', () => {
      if (!req.complete) settle({ ok: false, reason: 'aborted' });
    });
  });
}

/** Codes and wording of a server's body refusals (the sync protocol says BATCH_TOO_LARGE). */
export interface BodyRefusal {
  tooLargeCode: string;
  tooLargeMessage: (limit: number) => string;
}

const DEFAULT_REFUSAL: BodyRefusal = {
  tooLargeCode: 'BODY_TOO_LARGE',
  tooLargeMessage: (limit) => `request body is larger than ${limit} bytes`,
};

/** The body as bytes, or an HttpError: 413 over the limit, 400 when the client gave up mid-way. */
export async function readBytes(
  req: IncomingMessage,
  limit: number,
  refusal: BodyRefusal = DEFAULT_REFUSAL,
): Promise<Buffer> {
  const r = await readBody(req, limit);
  if (r.ok) return r.bytes;
  if (r.reason === 'too-large')
    throw new HttpError(
      413,
      refusal.tooLargeCode,
      refusal.tooLargeMessage(limit),
      undefined,
      r.hangUp ? { connection: 'close' } : undefined,
    );
  throw new HttpError(400, 'BAD_INPUT', 'request body ended early');
}

/** The body parsed as JSON (empty: `{}`), or an HttpError (413 / 400 BAD_INPUT). */
export async function readJson(
  req: IncomingMessage,
  limit = MAX_JSON_BYTES,
  refusal: BodyRefusal = DEFAULT_REFUSAL,
  notJson = 'request body is not JSON',
): Promise<unknown> {
  const buf = await readBytes(req, limit, refusal);
  if (buf.length === 0 || buf.toString('utf8').trim() === '') return {};
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    throw new HttpError(400, 'BAD_INPUT', notJson);
  }
}
