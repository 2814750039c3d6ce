// A real till web host as a child process, configured from the environment exactly like
// `npm start` (POS_*, HUB_URL, CLOUD_URL, ENROLL_CODE); prints one `{"ready":true,...}` line.
// Test scaffolding only: SYNC_INTERVAL_MS / SYNC_MAX_BACKOFF_MS shorten the sync timers.
import pino from 'pino';
import { hostSettingsFromEnv, startWebHost } from '../../app/host';

const settings = hostSettingsFromEnv();
const num = (v: string | undefined) => (v ? Number(v) : undefined);
const sync = settings.sync && {
  ...settings.sync,
  intervalMs: num(process.env.SYNC_INTERVAL_MS),
  maxBackoffMs: num(process.env.SYNC_MAX_BACKOFF_MS),
};
const host = await startWebHost({
  ...settings,
  sync,
  seedDemo: process.env.SEED_DEMO !== '0',
  logger: pino({ level: process.env.LOG_LEVEL ?? 'warn' }),
  syncStatusIntervalMs: 500,
});
console.log(JSON.stringify({ ready: true, url: host.url, port: Number(new URL(host.url).port) }));
const stop = async () => {
  await host.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
