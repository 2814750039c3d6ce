// One HTTP POST to a payment gateway, with the distinction the sale flow needs: a request
// that never reached the gateway (refused, no route, no connection within connectTimeoutMs)
// throws PaymentGatewayUnreachable — nothing can have been charged, so the till may refuse
// at once and offer cash; anything that fails after the connection was made (no answer in
// timeoutMs, dropped connection) throws a plain Error — the outcome is unknown and the order
// must be queried.
import http from 'node:http';
import https from 'node:https';
import { PaymentGatewayUnreachable } from './payment-code-provider';

export interface GatewayPostOptions {
  timeoutMs: number;
  connectTimeoutMs: number;
  contentType: string;
  /** Client certificate for WeChat's secapi/* (PEM with certificate and key). */
  tls?: { cert: string; key: string };
}

export function gatewayPost(
  url: string,
  body: string,
  opts: GatewayPostOptions,
): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let connected = false;
    let settled = false;
    const done = (err: Error | null, value?: { status: number; text: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(answerTimer);
      if (err) reject(err);
      else resolve(value!);
    };
    const req = mod.request(
      u,
      {
        method: 'POST',
        headers: { 'content-type': opts.contentType, 'content-length': Buffer.byteLength(body) },
        ...(opts.tls && u.protocol === 'https:' ? { cert: opts.tls.cert, key: opts.tls.key } : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          // Gateway answers are a few hundred bytes; a flood is not an answer.
          if (size > 1_000_000) {
            req.destroy();
            done(new Error('gateway answer too large'));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => done(null, { status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => done(err));
      },
    );
    const connectTimer = setTimeout(() => {
      if (connected) return;
      req.destroy();
      done(new PaymentGatewayUnreachable(`no connection to ${u.host} within ${opts.connectTimeoutMs} ms`));
    }, opts.connectTimeoutMs);
    const answerTimer = setTimeout(() => {
      req.destroy();
      done(new Error(`no answer from ${u.host} within ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    req.on('socket', (s) => {
      const mark = () => {
        connected = true;
      };
      if (!s.connecting) mark();
      else s.once('connect', mark);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (!connected)
        done(new PaymentGatewayUnreachable(`cannot reach ${u.host}: ${err.code ?? err.message}`, { cause: err }));
      else done(err);
    });
    req.end(body);
  });
}
