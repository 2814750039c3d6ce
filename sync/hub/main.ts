// Runs the store hub alone: HUB_PORT (default 8791), HUB_DATA_DIR (default ./.data/hub),
// CLOUD_URL (default http://127.0.0.1:8790), ENROLL_CODE (default the demo code), STORE_ID.
import { startSyncHub } from './hub';

const env = process.env;
const hub = await startSyncHub({
  port: Number(env['HUB_PORT'] ?? 8791),
  host: env['HUB_HOST'] ?? '127.0.0.1',
  dataDir: env['HUB_DATA_DIR'] || '.data/hub',
  cloudUrl: env['CLOUD_URL'] || 'http://127.0.0.1:8790',
  enrollCode: env['ENROLL_CODE'] || 'DEMO-S001-2026',
  storeId: env['STORE_ID'] || 'S001',
  nodeId: env['HUB_NODE_ID'] || undefined,
  intervalMs: env['HUB_SYNC_INTERVAL_MS'] ? Number(env['HUB_SYNC_INTERVAL_MS']) : undefined,
  maxBackoffMs: env['HUB_MAX_BACKOFF_MS'] ? Number(env['HUB_MAX_BACKOFF_MS']) : undefined,
});
console.log(JSON.stringify({ ready: true, url: hub.url, port: hub.port }));
const stop = async () => {
  await hub.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
