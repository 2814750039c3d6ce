// Transport client for the RPC contract (Electron IPC or HTTP + SSE).
export * from './transport';
export * from './client';
export * from './setup-link';
