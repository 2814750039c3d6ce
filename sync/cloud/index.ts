// sync/cloud: the reference cloud sync endpoint (Postgres or embedded PGlite).
export * from './cloud-server';
export * from './cloud-authority';
export { fleetView, createFleetRoutes, REPORT_STALE_MS } from './fleet';
export type { FleetStore, FleetDevice, FleetTill } from './fleet';
