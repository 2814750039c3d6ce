// `tsx app/host/main.ts`: the till in web mode (what `npm start` falls back to without Electron).
import { mkdirSync } from 'node:fs';
import pino from 'pino';
import { hostSettingsFromEnv, startWebHost } from './index';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const settings = hostSettingsFromEnv();
mkdirSync(settings.dataDir, { recursive: true });
const host = await startWebHost({ ...settings, seedDemo: process.env.POS_DEMO !== '0', logger });
logger.info({ url: host.url, dataDir: settings.dataDir }, 'till web host listening');
if (host.till.emulatedPrinterUri) console.log(`No receipt printer configured: receipts go to the built-in emulator (${host.till.emulatedPrinterUri}), saved in ${settings.dataDir}/emulated-printer/.`);
console.log(`Till ready: open ${host.url} in a browser (data in ${settings.dataDir}).`);
// The key is random per start; the display page shows nothing without it.
console.log(`Customer display (second screen): open ${host.url}/display/#key=${host.till.displayKey}`);

let closing = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (closing) return;
    closing = true;
    host.close().finally(() => process.exit(0));
  });
}
