// sync/cloud: the reference cloud sync endpoint (Postgres or embedded PGlite).
export * from './cloud-server';
export * from './cloud-authority';
