// Sandboxed preload: exposes exactly the RPC contract and the first-run wizard's actions as
// window.pos (pos-bridge.ts) — a call function, an event subscription, setup — and nothing of
// Node or Electron.
import { contextBridge, ipcRenderer } from 'electron';
import { posBridge } from './pos-bridge';

contextBridge.exposeInMainWorld('pos', posBridge(ipcRenderer));
