// Composition root and RPC router of the terminal core.
export { openTerminalCore, CORE_VERSION } from './open-terminal-core';
export type { TerminalCore, TerminalCoreOptions, CallOptions } from './open-terminal-core';
export { BACKFILL_META, backfillIfNeeded, type CoreSyncOptions } from './core-sync';
export type { CoreContext } from '../context';
