// The first-run wizard's link to its till: over the preload bridge in Electron (a stand-in
// bridge here, named so: Electron cannot run in tests), over HTTP in web mode (fetch stubbed, as
// in transports.test.ts; the real host is test/e2e/first-run-wizard.test.ts). Either way the
// wizard gets the host's `{ok, …}` bodies, and a host that is away or reopening is SetupLinkDown.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RpcResult, TillEvent } from '../../../contract';
import { createSetupLink, SetupLinkDown } from './setup-link';
import type { PosBridge } from './transport';

function standInBridge(answer: (channel: string, args: unknown[]) => unknown) {
  const sent: unknown[][] = [];
  const listeners = new Set<(ev: TillEvent) => void>();
  const bridge: PosBridge = {
    call: async (...args) => {
      sent.push(['call', ...args]);
      return answer('call', args) as RpcResult<unknown>;
    },
    setup: async (...args) => {
      sent.push(['setup', ...args]);
      return answer('setup', args);
    },
    onEvent: (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
  return { bridge, sent, listeners };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the wizard in the Electron window', () => {
  it('uses the bridge for wizard actions and RPCs, with the token, and hears till events', async () => {
    const s = standInBridge((ch) => (ch === 'setup' ? { ok: true, paired: null } : { ok: true, devices: [] }));
    const link = createSetupLink({ pos: s.bridge });
    expect(link.kind).toBe('ipc');
    expect(await link.setup('state', {}, null)).toEqual({ ok: true, paired: null });
    expect(await link.call('devices.list', {}, 'tok')).toEqual({ ok: true, devices: [] });
    expect(s.sent).toEqual([
      ['setup', 'state', {}, undefined],
      ['call', 'devices.list', {}, 'tok'],
    ]);
    const got: TillEvent[] = [];
    const stop = link.events('tok', (e) => got.push(e));
    for (const l of s.listeners) l({ type: 'device.scan', scan: { data: '123', symbology: null, source: 'hid' } });
    stop();
    expect(got).toHaveLength(1);
    expect(s.listeners.size).toBe(0);
  });

  it('says the till is down when the bridge fails or answers nothing usable (the till reopening)', async () => {
    const failing = standInBridge(() => {
      throw new Error('reply was never sent');
    });
    await expect(createSetupLink({ pos: failing.bridge }).setup('state', {}, null)).rejects.toMatchObject({
      code: 'OFFLINE',
    });
    const empty = standInBridge(() => undefined);
    const err = await createSetupLink({ pos: empty.bridge })
      .call('auth.login', { pin: '7777' }, null)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SetupLinkDown);
    expect((err as SetupLinkDown).code).toBe('RESTARTING');
  });

  it('is the web link when the bridge has no setup (an older preload) or there is no bridge', () => {
    const { bridge } = standInBridge(() => ({ ok: true }));
    const { setup: _setup, ...older } = bridge;
    expect(createSetupLink({ pos: older }).kind).toBe('http');
    expect(createSetupLink({}).kind).toBe('http');
  });
});

describe('the wizard in web mode', () => {
  it('GETs the reads and POSTs the writes under /api/setup/, RPCs under /api/ with a bearer token', async () => {
    const fetchMock = vi.fn(
      async (_path: string, _init?: RequestInit) => new Response(JSON.stringify({ ok: true }), { status: 200 }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const link = createSetupLink({});
    await link.setup('hubs', {}, null);
    await link.setup('pair', { code: 'ABCD-1234' }, 'tok');
    await link.call('auth.logout', {}, 'tok');
    expect(fetchMock.mock.calls.map((c) => [c[0], c[1]?.method ?? 'GET'])).toEqual([
      ['/api/setup/hubs', 'GET'],
      ['/api/setup/pair', 'POST'],
      ['/api/auth.logout', 'POST'],
    ]);
    expect(fetchMock.mock.calls[1]![1]?.headers).toMatchObject({ authorization: 'Bearer tok' });
  });

  it('passes refusals through, and says OFFLINE / RESTARTING when the host is away or not itself', async () => {
    vi.stubGlobal(
      'fetch',
      async () =>
        new Response(JSON.stringify({ ok: false, error: { code: 'DISCOVERY_UNAVAILABLE', message: 'x' } }), {
          status: 503,
        }),
    );
    expect(await createSetupLink({}).setup('hubs', {}, null)).toMatchObject({
      ok: false,
      error: { code: 'DISCOVERY_UNAVAILABLE' },
    });
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(createSetupLink({}).setup('state', {}, null)).rejects.toMatchObject({ code: 'OFFLINE' });
    vi.stubGlobal('fetch', async () => new Response('Bad Gateway', { status: 502 }));
    await expect(createSetupLink({}).setup('state', {}, null)).rejects.toMatchObject({ code: 'RESTARTING' });
  });
});
