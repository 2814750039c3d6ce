// sync/cloud: the reference cloud sync endpoint (Postgres or embedded PGlite).
export * from './cloud-server';
export * from './cloud-authority';
export { signOrderWebhook, verifyOrderWebhook } from './order-webhooks';
export type { OrderWebhookBody, OrderWebhookSettings, OrderWebhookType } from './order-webhooks';
export { fleetView, createFleetRoutes, REPORT_STALE_MS } from './fleet';
export type { FleetStore, FleetDevice, FleetTill } from './fleet';
export { WecomApi } from './wecom-api';
