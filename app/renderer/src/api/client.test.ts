import { describe, expect, it } from 'vitest';
import type { RpcResult, TillEvent } from '../../../contract';
import { ApiClient, ApiError } from './client';
import { OfflineError } from './http-transport';
import type { Transport } from './transport';

function fake(
  answer: (method: string, input: unknown, token: string | null) => RpcResult<unknown>,
): Transport & { seen: unknown[] } {
  const seen: unknown[] = [];
  return {
    kind: 'http',
    seen,
    call: async (method, input, token) => {
      seen.push({ method, input, token });
      return answer(method, input, token) as never;
    },
    onEvent: (_t, _cb: (ev: TillEvent) => void) => () => {},
  };
}

describe('ApiClient', () => {
  it('returns the output without the ok flag and sends the token', async () => {
    const t = fake(() => ({ ok: true, token: 'abc', staff: { id: 's1', name: '李娜', role: 'cashier' } }));
    const c = new ApiClient(t);
    const out = await c.call('auth.login', { pin: '1234' });
    expect(out).toEqual({ token: 'abc', staff: { id: 's1', name: '李娜', role: 'cashier' } });
    c.setToken('abc');
    await c.call('auth.whoami', {});
    expect(t.seen[1]).toEqual({ method: 'auth.whoami', input: {}, token: 'abc' });
  });

  it('throws ApiError with the core code and message', async () => {
    const c = new ApiClient(fake(() => ({ ok: false, error: { code: 'WRONG_PIN', message: 'PIN 错误 / Wrong PIN' } })));
    const err = await c.call('auth.login', { pin: '0000' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('WRONG_PIN');
    expect((err as ApiError).message).toBe('PIN 错误 / Wrong PIN');
  });

  it('reports offline when the host cannot be reached, and online again after a success', async () => {
    let down = true;
    const t: Transport = {
      kind: 'http',
      call: async () => {
        if (down) throw new OfflineError(new TypeError('fetch failed'));
        return { ok: true } as never;
      },
      onEvent: () => () => {},
    };
    const c = new ApiClient(t);
    const changes: boolean[] = [];
    c.onOnlineChange((o) => changes.push(o));
    const err = await c.call('system.status', {}).catch((e: unknown) => e);
    expect((err as ApiError).code).toBe('OFFLINE');
    expect(c.isOnline).toBe(false);
    down = false;
    await c.call('system.status', {});
    expect(changes).toEqual([false, true]);
  });

  it('notices the host coming back by itself, and the event stream dropping at once (host restart)', async () => {
    let down = false;
    let link: ((up: boolean) => void) | undefined;
    const t: Transport = {
      kind: 'http',
      call: async () => {
        if (down) throw new OfflineError(new TypeError('fetch failed'));
        return { ok: true } as never;
      },
      onEvent: (_t, _cb, onLink) => {
        link = onLink;
        return () => {};
      },
    };
    const c = new ApiClient(t, 10);
    c.setToken('abc');
    c.events(() => {});
    const changes: boolean[] = [];
    c.onOnlineChange((o) => changes.push(o));
    down = true;
    link?.(false);
    expect(c.isOnline).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.isOnline).toBe(false);
    // No call from the screens: the probe finds the host back.
    down = false;
    await expect.poll(() => c.isOnline, { timeout: 1000 }).toBe(true);
    expect(changes).toEqual([false, true]);
  });

  it('tells the app when the session is gone', async () => {
    const c = new ApiClient(fake(() => ({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'expired' } })));
    let lost = 0;
    c.onSessionLost(() => {
      lost += 1;
    });
    await c.call('cart.get', {}).catch(() => {});
    await c.call('auth.login', { pin: '1234' }).catch(() => {});
    expect(lost).toBe(1);
  });
});
