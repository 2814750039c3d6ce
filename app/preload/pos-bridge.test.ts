// The till window's preload bridge (window.pos) with a stand-in for Electron's ipcRenderer
// (Electron cannot run here): exactly three members, each on its fixed channel with the caller's
// arguments, and an event subscription that can be undone.
import { describe, expect, it } from 'vitest';
import { POS_CHANNELS, posBridge } from './pos-bridge';

type Listener = (e: unknown, payload: unknown) => void;

function standInIpc() {
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<Listener>>();
  return {
    invoked,
    listeners,
    emit: (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l({}, payload)),
    ipc: {
      invoke: async (channel: string, ...args: unknown[]) => {
        invoked.push([channel, ...args]);
        return { ok: true };
      },
      on(channel: string, l: Listener) {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(l);
      },
      removeListener(channel: string, l: Listener) {
        listeners.get(channel)?.delete(l);
      },
    },
  };
}

describe('the preload bridge (window.pos)', () => {
  it('exposes call, onEvent and setup, nothing else', () => {
    const { ipc } = standInIpc();
    expect(Object.keys(posBridge(ipc)).sort()).toEqual(['call', 'onEvent', 'setup']);
    expect(POS_CHANNELS).toEqual({ call: 'pos:call', event: 'pos:event', setup: 'pos:setup' });
  });

  it('sends RPC calls and wizard actions on their own channels with the caller’s arguments', async () => {
    const s = standInIpc();
    const pos = posBridge(s.ipc);
    await pos.call('auth.login', { pin: '7777' });
    await pos.setup('pair', { code: 'ABCD-1234', hubUrl: 'http://192.168.1.10:8791' }, 'tok');
    await pos.setup('state', {});
    expect(s.invoked).toEqual([
      ['pos:call', 'auth.login', { pin: '7777' }, undefined],
      ['pos:setup', 'pair', { code: 'ABCD-1234', hubUrl: 'http://192.168.1.10:8791' }, 'tok'],
      ['pos:setup', 'state', {}, undefined],
    ]);
  });

  it('delivers till events until the subscription is undone, without the IPC event object', () => {
    const s = standInIpc();
    const pos = posBridge(s.ipc);
    const got: unknown[] = [];
    const off = pos.onEvent((e) => got.push(e));
    s.emit('pos:event', { type: 'device.scan', scan: { data: '6901234567892' } });
    off();
    s.emit('pos:event', { type: 'device.scan', scan: { data: 'late' } });
    expect(got).toEqual([{ type: 'device.scan', scan: { data: '6901234567892' } }]);
    expect(s.listeners.get('pos:event')?.size).toBe(0);
  });
});
