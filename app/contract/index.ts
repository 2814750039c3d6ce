// Public entry of the RPC contract: the only thing the renderer imports from the core side.
export * from './methods';
export * from './types';
export * from './errors';
export * from './customer-display';
export * from './error-text';
