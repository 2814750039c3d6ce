// `tsx app/host/main.ts`: the till in web mode (what `npm start` falls back to without Electron).
import { mkdirSync } from 'node:fs';
import pino from 'pino';
import { hostSettingsFromEnv, runTillHost } from './index';

// Every variable is read and checked here, once (settings.ts); a bad one stops the start.
let settings;
try {
  settings = hostSettingsFromEnv();
} catch (err) {
  console.error(`till not started: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
const { logLevel, ...options } = settings;
const logger = pino({ level: logLevel });
mkdirSync(settings.dataDir, { recursive: true });
// The first-run wizard may pair this till later; it reopens on the paired store (till-host.ts).
let host;
try {
  host = await runTillHost({ ...options, logger });
} catch (err) {
  // e.g. a damaged pairing.json: say which file, not a stack.
  console.error(`till not started: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
const till = host.current().till;
logger.info({ url: host.url, dataDir: settings.dataDir }, 'till web host listening');
if (till.emulatedPrinterUri)
  console.log(
    `No receipt printer configured: receipts go to the built-in emulator (${till.emulatedPrinterUri}), saved in ${settings.dataDir}/emulated-printer/.`,
  );
console.log(`Till ready: open ${host.url} in a browser (data in ${settings.dataDir}).`);
if (host.current().core.sync === null)
  console.log(`Not paired with a store (demo store). To pair it: open ${host.url}/#setup (the first-run wizard).`);
// The key is random per start; the display page shows nothing without it.
console.log(`Customer display (second screen): open ${host.url}/display/#key=${till.displayKey}`);

let closing = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (closing) return;
    closing = true;
    host.close().finally(() => process.exit(0));
  });
}
