// Web-mode transport: `POST /api/<method>` with a bearer token, events over SSE.
// A failed fetch (host unreachable) is not an RPC error: it rejects with OfflineError so the
// status bar can say "offline" and the screen can keep what the cashier has typed.
import type { MethodName, MethodInput, MethodOutput, RpcResult, TillEvent } from '../../../contract';
import type { Transport } from './transport';

export class OfflineError extends Error {
  constructor(cause: unknown) {
    super('The till host cannot be reached', { cause });
    this.name = 'OfflineError';
  }
}

export function httpTransport(base = '/api/'): Transport {
  return {
    kind: 'http',
    async call<M extends MethodName>(
      method: M,
      input: MethodInput<M>,
      token: string | null,
    ): Promise<RpcResult<MethodOutput<M>>> {
      let res: Response;
      try {
        res = await fetch(base + method, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(input ?? {}),
        });
      } catch (err) {
        throw new OfflineError(err);
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        if (res.status >= 502 && res.status <= 504) throw new OfflineError(new Error(`HTTP ${res.status}`));
        return { ok: false, error: { code: 'INTERNAL', message: `HTTP ${res.status}: not a JSON answer` } };
      }
      if (body && typeof body === 'object' && 'ok' in body) return body as RpcResult<MethodOutput<M>>;
      return { ok: false, error: { code: 'INTERNAL', message: `HTTP ${res.status}: unexpected answer` } };
    },
    onEvent(token, cb, onLink) {
      const source = new EventSource(`${base}events?token=${encodeURIComponent(token)}`);
      source.onopen = () => onLink?.(true);
      source.onerror = () => onLink?.(false);
      source.onmessage = (msg) => {
        try {
          cb(JSON.parse(msg.data as string) as TillEvent);
        } catch {
          // A malformed event is dropped; the next cart.get / poll brings the truth.
        }
      };
      return () => source.close();
    },
  };
}
