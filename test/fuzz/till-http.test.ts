// Fuzz channel 1 (docs/fuzzing.md): raw bytes of HTTP/1.1 at a real till web host process over
// TCP — malformed request lines, broken percent-encoding, absolute-form and odd targets, huge and
// odd headers, unknown methods, lying Content-Length, random bodies. Invariants: the process stays
// up, every answer is a well-formed HTTP response, nothing answers 5xx (503 "not built/device"
// aside), and input we know is malformed gets a 4xx.
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames } from '../../app/contract';
import { MAX_PIN_FAILURES } from '../../app/core/auth';
import { draw, FuzzCounts, pool, rpc, scaled, startTill, type TillProcess } from './fuzz-support';

interface RawCase {
  bytes: Buffer;
  bad: boolean;
  complete: boolean;
  label: string;
}

const METHODS = [
  'GET',
  'POST',
  'HEAD',
  'PUT',
  'DELETE',
  'OPTIONS',
  'PATCH',
  'TRACE',
  'CONNECT',
  'PROPFIND',
  'get',
  'P0ST',
  'GET\u00e9',
];
const badPercent = fc.constantFrom('%', '%%', '%E0%A4%A', '%C0%AF', '%ZZ', '%u2215', '%', '%F0%9F%98', '%00', '%2');
const seg = fc.oneof(
  fc.constantFrom(...methodNames),
  fc.string({ unit: fc.constantFrom(..."abcxyz.-_~%20/?#&=;:@!$'()*+,"), maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }).map(encodeURIComponent),
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '..%2f..%2fetc%2fpasswd',
    'index.html',
    'display',
    'state',
    'events',
    'assets',
    '%2e',
    'a'.repeat(300),
  ),
);
const goodPath = fc
  .array(seg, { minLength: 0, maxLength: 4 })
  .chain((segs) =>
    fc
      .constantFrom('/', '/api/', '/display/', '/health', '/api/events')
      .map((p) => ({ path: p + segs.join('/'), bad: false })),
  );
const badPath = fc
  .tuple(fc.constantFrom('/api/', '/', '/display/', '/api/cart.', '/health'), badPercent, fc.string({ maxLength: 6 }))
  .map(([p, b, tail]) => ({ path: p + b + encodeURIComponent(tail), bad: p.startsWith('/api/') }));
const absolute = fc
  .tuple(
    fc.constantFrom(
      'http://',
      'https://',
      'http://[',
      'http://[::1',
      'http://a:b@',
      'http://%',
      'ftp://',
      'http://127.0.0.1:1',
      '//',
    ),
    fc.constantFrom('', 'x', 'localhost', '[', ']', ':99999'),
    seg,
  )
  .map(([s, h, p]) => ({ path: `${s}${h}/${p}`, bad: false }));
const oddTarget = fc
  .constantFrom('*', '', ' ', '?', '#', '/?token=%', '/api/events?token=%E0', 'http:', '\\', '/\\..\\..', '/%2F%2F')
  .map((path) => ({ path, bad: false }));
const target = fc.oneof(
  { weight: 4, arbitrary: goodPath },
  { weight: 3, arbitrary: badPath },
  { weight: 2, arbitrary: absolute },
  { weight: 1, arbitrary: oddTarget },
);

const headerName = fc.oneof(
  fc.constantFrom(
    'Host',
    'Content-Type',
    'Authorization',
    'Cookie',
    'Accept-Encoding',
    'Content-Encoding',
    'Expect',
    'Upgrade',
    'Connection',
    'X-Forwarded-For',
    'Origin',
    'Range',
  ),
  fc.string({ unit: fc.constantFrom(...'abcXYZ-_0'), minLength: 1, maxLength: 16 }),
);
const headerValue = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abc 123=;,/:*"\'\t'), maxLength: 40 }),
  fc.constantFrom(
    'Bearer ',
    'Bearer %',
    'Bearer ' + 'x'.repeat(2000),
    'gzip',
    'deflate, br',
    '100-continue',
    'websocket',
    'keep-alive',
    'application/json',
    'bytes=0-1,2-3',
  ),
);
// Mostly ordinary values; now and then one up to and past the header size limit (431).
const headerValueSized = fc.oneof(
  { weight: 12, arbitrary: headerValue },
  { weight: 1, arbitrary: fc.nat(64_000).map((n) => 'v'.repeat(n)) },
);
const headers = fc.array(fc.tuple(headerName, headerValueSized), { maxLength: 6 });
const body = fc.oneof(
  fc.constant(Buffer.alloc(0)),
  fc.json().map((j) => Buffer.from(j)),
  fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)),
  fc
    .constantFrom(
      '{',
      '[',
      '{"pin":"1234"',
      '{"__proto__":{"x":1}}',
      'null',
      '"x"',
      '1e999',
      '{"code":"' + '9'.repeat(600) + '"}',
    )
    .map((s) => Buffer.from(s)),
);
const framing = fc.oneof(
  { weight: 8, arbitrary: fc.constant('exact') },
  { weight: 4, arbitrary: fc.constantFrom('short', 'long', 'chunked', 'chunked-bad', 'double-cl', 'none') },
);

const httpCase: fc.Arbitrary<RawCase> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .record({
        m: fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom('GET', 'POST', 'HEAD') },
          { weight: 2, arbitrary: fc.constantFrom(...METHODS) },
        ),
        t: target,
        v: fc.oneof(
          { weight: 8, arbitrary: fc.constant('HTTP/1.1') },
          { weight: 2, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1', 'http/1.1', '') },
        ),
        h: headers,
        b: body,
        f: framing,
      })
      .map(({ m, t, v, h, b, f }): RawCase => {
        const lines = [`${m} ${t.path} ${v}`.trimEnd(), 'Host: 127.0.0.1'];
        for (const [k, val] of h) lines.push(`${k}: ${val}`);
        let payload = b;
        let complete = true;
        if (f === 'exact') lines.push(`Content-Length: ${b.length}`);
        else if (f === 'short') {
          lines.push(`Content-Length: ${b.length + 10}`);
          complete = false;
        } else if (f === 'long') lines.push(`Content-Length: ${Math.max(0, b.length - 3)}`);
        else if (f === 'double-cl') lines.push(`Content-Length: ${b.length}`, `Content-Length: ${b.length + 1}`);
        else if (f === 'chunked') {
          lines.push('Transfer-Encoding: chunked');
          payload = Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n0\r\n\r\n')]);
        } else if (f === 'chunked-bad') {
          lines.push('Transfer-Encoding: chunked');
          payload = Buffer.concat([Buffer.from('zz\r\n'), b]);
        }
        const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'utf8');
        return {
          bytes: Buffer.concat([head, payload]),
          bad: t.bad && v === 'HTTP/1.1' && METHODS.slice(0, 9).includes(m),
          complete,
          label: `${m} ${t.path.slice(0, 80)} ${f}`,
        };
      }),
  },
  // Pure garbage, and request lines cut short.
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ minLength: 1, maxLength: 400 })
      .map((a): RawCase => ({ bytes: Buffer.from(a), bad: false, complete: false, label: 'garbage' })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          'GET / HTTP/1.1\r\n',
          'POST /api/cart.scan HTTP/1.1\r\nContent-Length: 5\r\n\r\n{',
          'GET /api/%',
        ),
        fc.nat(40),
      )
      .map(([s, n]): RawCase => ({ bytes: Buffer.from(s.slice(0, n)), bad: false, complete: false, label: 'torn' })),
  },
);

/** Sends one raw request on its own connection; resolves with the status, or null when the server sent nothing. */
function send(
  port: number,
  bytes: Buffer,
  isHead: boolean,
): Promise<{ status: number | null; raw: string; error?: string }> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let settled = false;
    const finish = (r: { status: number | null; raw: string; error?: string }) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        sock.destroy();
        resolve(r);
      }
    };
    const timer = setTimeout(
      () => finish({ status: null, raw: buf.toString('latin1').slice(0, 200), error: 'timeout' }),
      10_000,
    );
    const check = () => {
      let text = buf.toString('latin1');
      // Interim answers (100 Continue) come before the real one.
      while (/^HTTP\/1\.[01] 1\d\d[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n/.test(text)) {
        const cut = text.indexOf('\r\n\r\n') + 4;
        buf = buf.subarray(cut);
        text = text.slice(cut);
      }
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n/.exec(text);
      if (!m) {
        finish({ status: -1, raw: text.slice(0, 200) });
        return;
      }
      const status = Number(m[1]);
      const len = /\r\ncontent-length: *(\d+)\r\n/i.exec(text.slice(0, end + 2));
      const bodyLen = buf.length - (Buffer.byteLength(text.slice(0, end), 'latin1') + 4);
      if (
        isHead ||
        status === 304 ||
        status === 204 ||
        /\r\ncontent-type: text\/event-stream/i.test(text.slice(0, end))
      )
        finish({ status, raw: '' });
      else if (len && bodyLen >= Number(len[1])) finish({ status, raw: '' });
      else if (!len && /\r\ntransfer-encoding: chunked/i.test(text.slice(0, end)) && text.endsWith('0\r\n\r\n'))
        finish({ status, raw: '' });
    };
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      check();
    });
    // A reset after a complete answer (the server closes on a request it refuses while we are
    // still writing) is fine: judge what arrived.
    sock.on('error', (err) => {
      const m = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n/.exec(buf.toString('latin1'));
      finish({
        status: buf.length === 0 ? null : m ? Number(m[1]) : -1,
        raw: buf.toString('latin1').slice(0, 200),
        error: (err as NodeJS.ErrnoException).code ?? err.message,
      });
    });
    sock.on('close', () => {
      if (settled) return;
      const text = buf.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      finish({ status: buf.length === 0 ? null : m ? Number(m[1]) : -1, raw: text.slice(0, 200) });
    });
    sock.write(bytes, () => sock.end());
  });
}

describe('fuzz: raw HTTP at the till process', () => {
  let till: TillProcess;
  const counts = new FuzzCounts('till-http');
  beforeAll(async () => {
    till = await startTill();
  });
  afterAll(async () => {
    counts.report();
    await till?.stop();
  });

  it('stays up and answers every request with a well-formed, non-5xx HTTP response', async () => {
    const cases = draw('http', httpCase, scaled(16_000));
    const statuses: Record<string, number> = {};
    let dead = false;
    await pool(cases, 24, async (c, i) => {
      if (dead) return;
      const r = await send(till.port, c.bytes, c.bytes.subarray(0, 5).toString('latin1') === 'HEAD ');
      counts.add('http.raw');
      const key = String(r.status);
      statuses[key] = (statuses[key] ?? 0) + 1;
      if (dead) return;
      if (!till.alive() || r.error === 'ECONNREFUSED') {
        // Requests run 24 at a time, so the case that killed it is one of the last few sent.
        dead = true;
        await till.exited(3000);
        counts.fail(
          'http',
          `till process died around case #${i}: ${till.output().slice(-1500)}`,
          cases.slice(Math.max(0, i - 24), i + 1).map((x) => x.label),
        );
        return;
      }
      if (r.status === -1)
        counts.fail('http', `answer is not a well-formed HTTP response: ${JSON.stringify(r.raw)}`, c.label);
      else if (r.status === null) {
        if (c.complete && r.error === 'timeout')
          counts.fail('http', 'no answer within 10 s to a complete request', c.label);
      } else if (r.status >= 500 && r.status !== 503) counts.fail('http', `answered ${r.status}`, c.label);
      else if (c.bad && (r.status < 400 || r.status >= 500))
        counts.fail('http', `malformed target answered ${r.status}, expected 4xx`, c.label);
    });
    // The process is still there and still serves a normal request.
    const health = await fetch(`${till.url}/health`)
      .then((r) => r.status)
      .catch((e: Error) => e.message);
    counts.add('http.health');
    console.log(JSON.stringify({ fuzz: 'till-http', statuses }));
    expect(counts.failures, counts.failures.join('\n')).toEqual([]);
    expect(health).toBe(200);
  }, 600_000);

  it('a burst of wrong PINs at once is held to the lockout limit (no race past it)', async () => {
    // Wrong PINs drawn from the seed, all sent together, then the right one.
    const pins = draw(
      'pin-burst',
      fc
        .string({ unit: fc.constantFrom(...'0123456789'), minLength: 4, maxLength: 8 })
        .filter((p) => !['1234', '2345', '8888', '7777'].includes(p)),
      24,
    );
    const answers = await Promise.all(pins.map((pin) => rpc(till.url, 'auth.login', { pin })));
    counts.add('http.pin-burst', pins.length);
    const wrong = answers.filter((a) => a.body?.error?.code === 'WRONG_PIN').length;
    const after = await rpc(till.url, 'auth.login', { pin: '1234' });
    expect(answers.every((a) => a.status < 500)).toBe(true);
    expect(wrong, `${wrong} wrong PINs were judged before the lockout of ${MAX_PIN_FAILURES}`).toBeLessThanOrEqual(
      MAX_PIN_FAILURES,
    );
    expect(after.body?.error?.code).toBe('LOCKED_OUT');
  }, 60_000);
});
