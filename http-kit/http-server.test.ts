// The kit's server on real HTTP (127.0.0.1, port 0): a thrown coded error answers with its
// table's status, anything else with 500 INTERNAL, and the server keeps answering; a handler may
// answer on the Node response itself (SSE, files).
import { request } from 'node:http';
import type { Server } from 'node:http';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alreadySent,
  answerErrors,
  closeServer,
  codedError,
  createKitServer,
  HttpError,
  jsonReply,
  listenOn,
  readJson,
  type KitEnv,
  type StatusTable,
} from './index';

type Code = 'NOPE' | 'SLOW_DOWN';
const TABLE: StatusTable<Code> = { NOPE: 404, SLOW_DOWN: 429 };

let server: Server;
let port: number;

beforeAll(async () => {
  const app = new Hono<KitEnv>()
    .get('/coded', () => {
      throw codedError(TABLE, 'SLOW_DOWN', 'wait', { retryAfterSeconds: 3 }, { 'retry-after': '3' });
    })
    .get('/boom', () => {
      throw new Error('database on fire');
    })
    .get('/half', (c) => {
      c.env.outgoing.writeHead(200, { 'content-type': 'text/plain' });
      c.env.outgoing.write('part');
      throw new Error('mid-way');
    })
    .get('/stream', (c) => {
      c.env.outgoing.writeHead(200, { 'content-type': 'text/event-stream' });
      c.env.outgoing.end('data: 1\n\n');
      return alreadySent;
    })
    .post('/echo', async (c) => jsonReply(200, { got: await readJson(c.env.incoming, 100) }))
    .onError(
      answerErrors((err) => (err instanceof HttpError ? err : new HttpError(500, 'INTERNAL', 'internal error'))),
    );
  server = createKitServer(app, { securityHeaders: { 'X-Content-Type-Options': 'nosniff' } });
  port = await listenOn(server, 0, '127.0.0.1');
});

afterAll(() => closeServer(server));

function send(
  path: string,
  opts: { method?: string; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', agent: false }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('the kit server', () => {
  it('answers a coded error with its table status, details and headers', async () => {
    const r = await send('/coded');
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('3');
    expect(JSON.parse(r.text)).toEqual({
      ok: false,
      error: { code: 'SLOW_DOWN', message: 'wait', details: { retryAfterSeconds: 3 } },
    });
  });

  it('answers an uncoded throw with 500 INTERNAL and keeps serving', async () => {
    const r = await send('/boom');
    expect(r.status).toBe(500);
    expect(JSON.parse(r.text).error.code).toBe('INTERNAL');
    expect(r.text).not.toContain('database on fire');
    await expect(send('/half')).rejects.toThrow();
    expect((await send('/coded')).status).toBe(429);
  });

  it('lets a handler answer on the Node response itself, with the security headers', async () => {
    const r = await send('/stream');
    expect(r.status).toBe(200);
    expect(r.text).toBe('data: 1\n\n');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('reads JSON within the limit and refuses more with 413, bad JSON with 400', async () => {
    const ok = await send('/echo', { method: 'POST', body: '{"a":1}' });
    expect(JSON.parse(ok.text)).toEqual({ got: { a: 1 } });
    expect((await send('/echo', { method: 'POST', body: JSON.stringify({ a: 'x'.repeat(200) }) })).status).toBe(413);
    const bad = await send('/echo', { method: 'POST', body: '{"a":' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.code).toBe('BAD_INPUT');
  });
});
