// sync/protocol: HTTP push/pull with device auth and scopes, the same on every hop.
export * from './wire';
export * from './auth';
export * from './server';
export * from './client';
export * from './http-status';
export * from './member-lookup';
export * from './request-limits';
export * from './member-code';
export * from './order-wake';
export * from './device-report';
