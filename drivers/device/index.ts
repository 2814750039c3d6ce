// Device model (UnifiedPOS-style lifecycle and typed events) shared by all device kinds,
// and the reconnect-with-backoff helper.
export * from './pos-device';
export * from './reconnector';
