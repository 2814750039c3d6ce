// Sandboxed preload: exposes exactly the RPC contract as window.pos — a call function and an
// event subscription — and nothing of Node or Electron.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

contextBridge.exposeInMainWorld('pos', {
  call: (method: string, input: unknown, token?: string) => ipcRenderer.invoke('pos:call', method, input, token),
  onEvent: (callback: (event: unknown) => void) => {
    const listener = (_e: IpcRendererEvent, event: unknown) => callback(event);
    ipcRenderer.on('pos:event', listener);
    return () => {
      ipcRenderer.removeListener('pos:event', listener);
    };
  },
});
