// `npm run cloud`: the cloud sync endpoint. CLOUD_PORT (default 8790); DATABASE_URL for
// Postgres, else embedded PGlite under CLOUD_DATA_DIR (default ./.data/cloud).
// CLOUD_ADMIN_TOKEN and DEMO_ENROLL_CODE override the demo values in docs/sync.md.
import { mkdirSync } from 'node:fs';
import { startCloud, DEMO_ENROLL_CODE, DEMO_ADMIN_TOKEN } from './cloud-server';

const env = process.env;
const databaseUrl = env['DATABASE_URL'] || undefined;
const dataDir = databaseUrl ? undefined : env['CLOUD_DATA_DIR'] || '.data/cloud';
if (dataDir) mkdirSync(dataDir, { recursive: true });
const cloud = await startCloud({
  port: Number(env['CLOUD_PORT'] ?? 8790),
  host: env['CLOUD_HOST'] ?? '127.0.0.1',
  databaseUrl,
  dataDir,
  schema: env['CLOUD_SCHEMA'] || 'sync',
  adminToken: env['CLOUD_ADMIN_TOKEN'] || DEMO_ADMIN_TOKEN,
  demoEnrollCode: env['DEMO_ENROLL_CODE'] ?? DEMO_ENROLL_CODE,
  demoStoreId: env['DEMO_STORE_ID'] || 'S001',
});
console.log(JSON.stringify({ ready: true, url: cloud.url, port: cloud.port, storage: cloud.storage.kind }));
const stop = async () => {
  await cloud.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
