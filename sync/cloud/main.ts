// `npm run cloud`: the cloud sync endpoint. Settings from the environment (settings.ts): CLOUD_PORT
// (default 8790); DATABASE_URL for Postgres, else embedded PGlite under CLOUD_DATA_DIR (default
// ./.data/cloud); CLOUD_ADMIN_TOKEN (required unless CLOUD_DEMO=1 / --demo, see docs/sync.md).
import { mkdirSync } from 'node:fs';
import { startCloud, CloudConfigError } from './cloud-server';
import { cloudSettingsFromEnv } from './settings';

let settings;
try {
  settings = cloudSettingsFromEnv();
} catch (err) {
  if (!(err instanceof CloudConfigError)) throw err;
  console.error(`cloud not started: ${err.message}`);
  process.exit(1);
}
if (settings.dataDir) mkdirSync(settings.dataDir, { recursive: true });
const cloud = await startCloud(settings);
console.log(
  JSON.stringify({
    ready: true,
    url: cloud.url,
    port: cloud.port,
    storage: cloud.storage.kind,
    ...(settings.demo ? { demo: true } : {}),
  }),
);
const stop = async () => {
  await cloud.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
