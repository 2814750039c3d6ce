import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RpcResult, TillEvent } from '../../../contract';
import { createClient } from './client';
import { httpTransport, OfflineError } from './http-transport';
import { ipcTransport } from './ipc-transport';
import type { PosBridge } from './transport';

function fakeBridge() {
  const calls: unknown[][] = [];
  const listeners = new Set<(ev: TillEvent) => void>();
  const bridge: PosBridge = {
    call: async (...args) => {
      calls.push(args);
      return { ok: true, staff: { id: 's', name: 'n', role: 'cashier' } } as RpcResult<unknown>;
    },
    onEvent: (cb) => {
      listeners.add(cb);
      return () => {
        listeners.delete(cb);
      };
    },
  };
  return { bridge, calls, listeners };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('IPC transport (Electron preload)', () => {
  it('forwards method, input and token, and passes no token as undefined', async () => {
    const { bridge, calls } = fakeBridge();
    const t = ipcTransport(bridge);
    await t.call('auth.whoami', {}, 'tok');
    await t.call('auth.login', { pin: '1234' }, null);
    expect(calls).toEqual([
      ['auth.whoami', {}, 'tok'],
      ['auth.login', { pin: '1234' }, undefined],
    ]);
  });

  it('is chosen by createClient when window.pos exists, and unsubscribes events', async () => {
    const { bridge, listeners } = fakeBridge();
    const client = createClient({ pos: bridge });
    expect(client.kind).toBe('ipc');
    client.setToken('tok');
    const seen: TillEvent[] = [];
    const stop = client.events((ev) => seen.push(ev));
    for (const l of listeners) l({ type: 'sale.completed', saleId: 'a', saleNumber: 'T01-000001' });
    stop();
    expect(listeners.size).toBe(0);
    expect(seen).toHaveLength(1);
  });
});

describe('HTTP transport (web host)', () => {
  it('POSTs JSON to /api/<method> with a bearer token and returns the answer', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ ok: true, cart: { id: 'c' } }), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const r = await httpTransport().call('cart.get', {}, 'tok');
    expect(r).toEqual({ ok: true, cart: { id: 'c' } });
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/cart.get',
      expect.objectContaining({
        method: 'POST',
        body: '{}',
        headers: expect.objectContaining({ authorization: 'Bearer tok' }),
      }),
    );
  });

  it('passes error answers through with their code', async () => {
    vi.stubGlobal(
      'fetch',
      async () =>
        new Response(JSON.stringify({ ok: false, error: { code: 'BARCODE_INVALID', message: 'bad' } }), {
          status: 400,
        }),
    );
    expect(await httpTransport().call('cart.scan', { code: 'x' }, 'tok')).toEqual({
      ok: false,
      error: { code: 'BARCODE_INVALID', message: 'bad' },
    });
  });

  it('rejects with OfflineError when fetch fails or a proxy answers 502 without JSON', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(httpTransport().call('cart.get', {}, 'tok')).rejects.toBeInstanceOf(OfflineError);
    vi.stubGlobal('fetch', async () => new Response('Bad Gateway', { status: 502 }));
    await expect(httpTransport().call('cart.get', {}, 'tok')).rejects.toBeInstanceOf(OfflineError);
  });

  it('turns a non-JSON answer into INTERNAL instead of crashing', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>oops</html>', { status: 500 }));
    const r = await httpTransport().call('cart.get', {}, 'tok');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('INTERNAL');
  });
});
