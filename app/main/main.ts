// Electron composition root: the only process that imports 'electron' besides the preload.
// It opens the terminal core (plain Node, SQLite) in the main process and exposes the RPC
// contract and the first-run wizard's actions to the sandboxed renderer through IPC. An unpaired
// store terminal opens on the wizard (first-run.ts); pairing reopens the till behind the window.
import { app, BrowserWindow, ipcMain, screen, session } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { isMethodName, type TillEvent } from '../contract';
import { createTillSetup, openTill, tillSettingsFromEnv, type Till, type TillPlan, type TillSettings } from '../till';
import { attachPoleDisplay, createCustomerDisplayFeed, type CustomerDisplayFeed } from '../till';
import { planCustomerWindow } from './customer-screen';
import { answerSetupIpc, opensWizard } from './first-run';
import { planUpdates } from './update-channel';
import { startAutoUpdates } from './auto-update';
import { hardenSession, hardenWindow, isTrustedSender, SECURE_WEB_PREFERENCES } from './window-security';

// Every variable is read and checked here, once (app/till/till-settings.ts, shared with the web host).
let settings: TillSettings;
try {
  settings = tillSettingsFromEnv();
} catch (err) {
  console.error(`till not started: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
const logger = pino({ level: settings.logLevel });
// Bundled to dist/main/main.cjs; the renderer and preload sit beside it in dist/.
const distDir = join(__dirname, '..');
const rendererIndex = join(distDir, 'renderer', 'index.html');
const rendererPrefix = pathToFileURL(join(distDir, 'renderer')).href;
// The customer display page (second vite entry) and its own state-only preload.
const displayIndex = join(distDir, 'renderer', 'display', 'index.html');
const displayPrefix = pathToFileURL(join(distDir, 'renderer', 'display')).href;

app.enableSandbox();

app
  .whenReady()
  .then(async () => {
    const dataDir = settings.dataDir ?? join(app.getPath('userData'), 'data');
    mkdirSync(dataDir, { recursive: true });
    const envPaired = Boolean(settings.sync && (settings.sync.hubUrl || settings.sync.cloudUrl));
    // The first-run wizard's actions, as the web host has them: pairing writes pairing.json and
    // reopens the till on the paired store behind the same window (reopen below).
    const setup = createTillSetup({
      dataDir,
      envSync: settings.sync,
      logger,
      current: () => served.till,
      reopen,
      findHubs: async () => (await import('../../sync/discovery')).browseHubs(),
    });
    const first = setup.plan();
    let served = await serve(first.open);
    hardenSession(session.defaultSession);

    const kiosk = settings.kiosk;
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
      if (typeof method !== 'string' || !isMethodName(method))
        return { ok: false, error: { code: 'NOT_FOUND', message: `No method "${String(method)}".` } };
      return served.till.core.call(method, input, { token: typeof token === 'string' ? token : undefined });
    });
    ipcMain.handle('pos:setup', async (event, action: unknown, input: unknown, token: unknown) => {
      if (!isTrustedSender(event, trusted, rendererPrefix)) {
        logger.warn({ url: event.senderFrame?.url }, 'refused setup IPC from an untrusted frame');
        return { ok: false, error: { code: 'FORBIDDEN', message: 'Untrusted caller.' } };
      }
      return answerSetupIpc(setup.handle, action, input, token, (err) =>
        logger.error({ err }, 'first-run wizard action failed'),
      );
    });
    const forward = (e: TillEvent) => {
      if (!win.isDestroyed()) win.webContents.send('pos:event', e);
    };
    served.till.core.events.on('event', forward);

    const wizard = opensWizard({ envPaired, paired: first.pairing !== null, kiosk, seedDemo: settings.seedDemo });
    win
      .loadFile(rendererIndex, wizard ? { hash: 'setup' } : undefined)
      .catch((err: unknown) => logger.error({ err }, 'could not load the till screen'));

    let customer = customerDisplayWindows(served.feed, settings.customerDisplay);
    win.on('closed', () => customer.close());

    const updates = planUpdates({ ...settings.update, packaged: app.isPackaged });
    const stopUpdates = updates.enabled ? startAutoUpdates(updates, logger) : () => {};
    if (!updates.enabled) logger.info({ reason: updates.reason }, 'automatic updates off');

    /** The till with its customer display feed (and pole display when one is set up). */
    async function serve(open: TillPlan['open']): Promise<Served> {
      const till = await openTill({
        dataDir,
        seedDemo: settings.seedDemo,
        terminalId: settings.terminalId,
        storeId: settings.storeId,
        devices: settings.devices,
        printer: settings.printer,
        scale: settings.scale,
        labelPrinter: settings.labelPrinter,
        payments: settings.payments,
        paymentGateways: settings.paymentGateways,
        logger,
        sync: settings.sync,
        ...open,
      });
      // Customer display: the feed (current line, total, change + WeCom QR after payment) drives
      // the pole display when one is set up, and a second window on the second screen.
      const feed = createCustomerDisplayFeed({ core: till.core, paidHoldMs: settings.displayPaidHoldMs, logger });
      await feed.ready;
      const pole = till.hub ? attachPoleDisplay(feed, till.hub, logger) : null;
      return { till, feed, pole };
    }
    async function stopServing(s: Served): Promise<void> {
      s.till.core.events.off('event', forward);
      s.pole?.detach();
      s.feed.close();
      await s.till.close();
    }
    /** After pairing: the same window, the paired store's till behind it (the wizard asks for the state meanwhile). */
    async function reopen(): Promise<void> {
      const next = setup.plan();
      customer.close();
      await stopServing(served);
      served = await serve(next.open);
      served.till.core.events.on('event', forward);
      customer = customerDisplayWindows(served.feed, settings.customerDisplay);
      logger.info({ store: next.pairing?.storeId, terminal: next.pairing?.terminalId }, 'till reopened after pairing');
    }

    app.on('window-all-closed', () => {
      stopUpdates();
      customer.close();
      setup
        .settled()
        .then(() => stopServing(served))
        .finally(() => app.quit());
    });
  })
  .catch((err: unknown) => {
    logger.fatal({ err }, 'till failed to start');
    app.exit(1);
  });

interface Served {
  till: Till;
  feed: CustomerDisplayFeed;
  pole: ReturnType<typeof attachPoleDisplay> | null;
}

/**
 * The customer-facing window: full screen on the first screen that is not the primary one, or
 * a plain window when POS_CUSTOMER_DISPLAY=1 and there is only one screen (0 turns it off). It
 * opens when a second screen is plugged in later. Same hardening as the till window; its
 * preload can only read the customer display state, and the till's RPC refuses it.
 */
function customerDisplayWindows(feed: CustomerDisplayFeed, setting: string | undefined): { close(): void } {
  let win: BrowserWindow | null = null;
  const trusted = new Set<number>();
  ipcMain.handle('display:state', (event) => {
    if (!isTrustedSender(event, trusted, displayPrefix)) {
      logger.warn({ url: event.senderFrame?.url }, 'refused display IPC from an untrusted frame');
      return null;
    }
    return feed.state();
  });
  const unsubscribe = feed.subscribe((state) => {
    if (win && !win.isDestroyed()) win.webContents.send('display:state', state);
  });
  const open = () => {
    if (win && !win.isDestroyed()) return;
    let plan: ReturnType<typeof planCustomerWindow>;
    try {
      plan = planCustomerWindow(screen.getAllDisplays(), screen.getPrimaryDisplay().id, setting);
    } catch (err) {
      // A typo in the setting costs the customer window, not the till.
      logger.error({ err }, 'customer display window not opened');
      return;
    }
    if (!plan.open) return;
    const target = plan.screen;
    const w = new BrowserWindow({
      ...(target
        ? {
            x: target.bounds.x,
            y: target.bounds.y,
            width: target.bounds.width,
            height: target.bounds.height,
            fullscreen: true,
            frame: false,
          }
        : { width: 1024, height: 600 }),
      title: '顾客显示屏 Customer display',
      // The cashier's keyboard (and scanner wedge) stays on the till window.
      focusable: !target,
      show: false,
      autoHideMenuBar: true,
      backgroundColor: '#0f2a1d',
      webPreferences: { ...SECURE_WEB_PREFERENCES, preload: join(distDir, 'preload', 'display-preload.cjs') },
    });
    hardenWindow(w, displayPrefix);
    trusted.clear();
    trusted.add(w.webContents.id);
    w.once('ready-to-show', () => w.showInactive());
    w.on('closed', () => {
      if (win === w) win = null;
      trusted.clear();
    });
    w.loadFile(displayIndex).catch((err: unknown) => logger.error({ err }, 'could not load the customer display'));
    win = w;
    logger.info({ screen: target?.id ?? null }, 'customer display window opened');
  };
  const onAdded = () => open();
  screen.on('display-added', onAdded);
  open();
  return {
    close: () => {
      screen.off('display-added', onAdded);
      unsubscribe();
      ipcMain.removeHandler('display:state');
      if (win && !win.isDestroyed()) win.close();
      win = null;
    },
  };
}
