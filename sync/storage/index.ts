// sync/storage: adapters that hold replicated ops (SQLite, Postgres, PGlite) and the outbox.
export * from './types';
export * from './sqlite-storage';
export * from './pg-storage';
export * from './pg-driver';
export * from './outbox';
