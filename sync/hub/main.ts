// Runs the store hub alone: HUB_PORT (default 8791), HUB_HOST (127.0.0.1), HUB_DATA_DIR (default
// ./.data/hub), CLOUD_URL (default http://127.0.0.1:8790), ENROLL_CODE (default the demo code),
// STORE_ID (S001), HUB_NODE_ID, HUB_SYNC_INTERVAL_MS, HUB_MAX_BACKOFF_MS, HUB_MDNS (1: announce the
// hub on the LAN for the tills' wizard; off by default), LOG_LEVEL (info).
// This is the hub's settings module too: every variable is read and checked here, once.
import pino from 'pino';
import { z } from 'zod';
import { startSyncHub } from './hub';

const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);
const text = (fallback: string) => z.preprocess(unsetIfEmpty, z.string().default(fallback));
const ms = (name: string) =>
  z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: `${name} must be milliseconds` })
      .int(`${name} must be whole milliseconds`)
      .positive(`${name} must be positive`)
      .optional(),
  );

const hubEnv = z.object({
  HUB_PORT: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: 'HUB_PORT must be a port number 0-65535' })
      .int()
      .min(0)
      .max(65535, 'HUB_PORT must be a port number 0-65535')
      .default(8791),
  ),
  HUB_HOST: text('127.0.0.1'),
  HUB_DATA_DIR: text('.data/hub'),
  CLOUD_URL: text('http://127.0.0.1:8790'),
  ENROLL_CODE: text('DEMO-S001-2026'),
  STORE_ID: text('S001'),
  HUB_NODE_ID: z.preprocess(unsetIfEmpty, z.string().optional()),
  HUB_SYNC_INTERVAL_MS: ms('HUB_SYNC_INTERVAL_MS'),
  HUB_MAX_BACKOFF_MS: ms('HUB_MAX_BACKOFF_MS'),
  HUB_MDNS: z.preprocess(unsetIfEmpty, z.enum(['0', '1'], { error: 'HUB_MDNS must be 1 or 0' }).default('0')),
  LOG_LEVEL: z.preprocess(
    unsetIfEmpty,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

const parsed = hubEnv.safeParse(process.env);
if (!parsed.success) {
  console.error(`hub not started: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(1);
}
const env = parsed.data;
const hub = await startSyncHub({
  port: env.HUB_PORT,
  host: env.HUB_HOST,
  dataDir: env.HUB_DATA_DIR,
  cloudUrl: env.CLOUD_URL,
  enrollCode: env.ENROLL_CODE,
  storeId: env.STORE_ID,
  nodeId: env.HUB_NODE_ID,
  intervalMs: env.HUB_SYNC_INTERVAL_MS,
  maxBackoffMs: env.HUB_MAX_BACKOFF_MS,
  announce: env.HUB_MDNS === '1',
  log: pino({ name: 'sync-hub', level: env.LOG_LEVEL }),
});
console.log(JSON.stringify({ ready: true, url: hub.url, port: hub.port }));
const stop = async () => {
  await hub.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
