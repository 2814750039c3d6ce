// Transport client for the RPC contract (Electron IPC or HTTP + SSE).
export * from './transport';
export * from './client';
export { OfflineError, httpTransport } from './http-transport';
export { ipcTransport } from './ipc-transport';
