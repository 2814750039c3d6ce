// Sandboxed preload of the customer display window: exposes only a read of the customer display
// state and a subscription to it (window.posDisplay). No RPC, nothing of Node or Electron; the
// main process answers only this window's top frame.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

contextBridge.exposeInMainWorld('posDisplay', {
  getState: () => ipcRenderer.invoke('display:state'),
  onState: (callback: (state: unknown) => void) => {
    const listener = (_e: IpcRendererEvent, state: unknown) => callback(state);
    ipcRenderer.on('display:state', listener);
    return () => {
      ipcRenderer.removeListener('display:state', listener);
    };
  },
});
