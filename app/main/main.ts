// Electron composition root: the only process that imports 'electron' besides the preload.
// It opens the terminal core (plain Node, SQLite) in the main process and exposes the RPC
// contract to the sandboxed renderer through IPC.
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { methodNames, type MethodName, type TillEvent } from '../contract';
import { openTill, syncSettingsFromEnv, type DeviceMode } from '../till';
import { hardenSession, hardenWindow, isTrustedSender, SECURE_WEB_PREFERENCES } from './window-security';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const known = new Set<string>(methodNames);
// Bundled to dist/main/main.cjs; the renderer and preload sit beside it in dist/.
const distDir = join(__dirname, '..');
const rendererIndex = join(distDir, 'renderer', 'index.html');
const rendererPrefix = pathToFileURL(join(distDir, 'renderer')).href;

app.enableSandbox();

app.whenReady().then(async () => {
  const dataDir = process.env.POS_DATA_DIR ?? join(app.getPath('userData'), 'data');
  mkdirSync(dataDir, { recursive: true });
  const till = await openTill({
    dataDir, seedDemo: process.env.POS_DEMO !== '0', terminalId: process.env.POS_TERMINAL_ID, storeId: process.env.POS_STORE_ID,
    devices: (process.env.POS_DEVICES as DeviceMode | undefined) || 'auto', printer: process.env.POS_PRINTER, logger,
    sync: syncSettingsFromEnv(),
  });
  const core = till.core;
  hardenSession(session.defaultSession);

  const kiosk = process.env.POS_KIOSK === '1';
  const win = new BrowserWindow({
    width: 1024,
    height: 768,
    kiosk,
    fullscreen: kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: join(distDir, 'preload', 'preload.cjs') },
  });
  hardenWindow(win, rendererPrefix);
  const trusted = new Set([win.webContents.id]);

  ipcMain.handle('pos:call', async (event, method: unknown, input: unknown, token: unknown) => {
    if (!isTrustedSender(event, trusted, rendererPrefix)) {
      logger.warn({ url: event.senderFrame?.url }, 'refused IPC from an untrusted frame');
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Untrusted caller.' } };
    }
    if (typeof method !== 'string' || !known.has(method)) return { ok: false, error: { code: 'NOT_FOUND', message: `No method "${String(method)}".` } };
    return core.call(method as MethodName, input, { token: typeof token === 'string' ? token : undefined });
  });
  const forward = (e: TillEvent) => { if (!win.isDestroyed()) win.webContents.send('pos:event', e); };
  core.events.on('event', forward);

  win.loadFile(rendererIndex).catch((err: unknown) => logger.error({ err }, 'could not load the till screen'));
  app.on('window-all-closed', () => {
    core.events.off('event', forward);
    till.close().finally(() => app.quit());
  });
}).catch((err: unknown) => {
  logger.fatal({ err }, 'till failed to start');
  app.exit(1);
});
