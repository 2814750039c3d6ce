// Reads a JSON request body with a size cap. An oversized body is refused with 413 and a JSON
// error that the client actually gets to read: we stop keeping the bytes but read the upload to
// its end (up to a bound) before answering, because closing a socket that still has unread
// upload data makes the kernel send a reset, and the client then sees "connection reset"
// instead of our answer. A client that keeps sending past the bound is answered and cut off.
import type { IncomingMessage } from 'node:http';

export const MAX_BODY_BYTES = 1_000_000;
/** How much of an oversized upload we read and discard so that the 413 arrives. */
export const MAX_DRAIN_BYTES = 16_000_000;

export type BodyResult =
  | { ok: true; text: string }
  /** `hangUp`: the upload went on past the drain bound; answer, then close the socket. */
  | { ok: false; reason: 'too-large'; hangUp: boolean }
  | { ok: false; reason: 'aborted' };

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
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
    req.on('end', () => settle(tooLarge ? { ok: false, reason: 'too-large', hangUp: false } : { ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => settle({ ok: false, reason: 'aborted' }));
    req.on('close', () => { if (!req.complete) settle({ ok: false, reason: 'aborted' }); });
  });
}
