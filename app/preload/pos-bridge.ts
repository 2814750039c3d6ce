// What the till window's preload exposes as window.pos, built from the IPC renderer it is given
// (so a test can hand it a stand-in): the RPC call, the event subscription and the first-run
// wizard's setup actions — each one fixed IPC channel, nothing of Node or Electron passed through.
/** The IPC channels the till window may use; app/main answers exactly these. */
export const POS_CHANNELS = { call: 'pos:call', event: 'pos:event', setup: 'pos:setup' } as const;

/** The part of Electron's ipcRenderer the bridge uses (its IPC event object is never passed on). */
interface IpcLink {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

export function posBridge(ipc: IpcLink) {
  return {
    call: (method: string, input: unknown, token?: string) => ipc.invoke(POS_CHANNELS.call, method, input, token),
    onEvent: (callback: (event: unknown) => void) => {
      const listener = (_e: unknown, event: unknown) => callback(event);
      ipc.on(POS_CHANNELS.event, listener);
      return () => {
        ipc.removeListener(POS_CHANNELS.event, listener);
      };
    },
    setup: (action: string, input: unknown, token?: string) => ipc.invoke(POS_CHANNELS.setup, action, input, token),
  };
}
