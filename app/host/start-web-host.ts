// Composition root for web mode: opens the till (core + devices) on a data dir and serves it.
import pino, { type Logger } from 'pino';
import type { CoreSyncOptions, PaymentGatewayFiles, TerminalCore } from '../core';
import { openTill, type DeviceMode, type PaymentMode, type Till } from '../till';
import { attachPoleDisplay, createCustomerDisplayFeed, type CustomerDisplayFeed } from '../till';
import { listenWebHost, type RunningWebHost, type SetupEndpoint } from './web-host';

export interface StartWebHostOptions {
  dataDir: string;
  /** 0 picks a free port (tests). */
  port?: number;
  host?: string;
  /** Extra host names browsers may use (POS_ALLOWED_HOSTS); loopback and the bind address always work. */
  allowedHosts?: readonly string[];
  seedDemo?: boolean;
  terminalId?: string;
  storeId?: string;
  rendererDir?: string;
  /** Devices: 'none' by default for library use; `npm start` passes 'auto' (emulated printer when none is configured). */
  devices?: DeviceMode;
  printer?: string;
  /** A scale URI (POS_SCALE). */
  scale?: string;
  /** The shelf-label printer (POS_LABEL_PRINTER, POS_LABEL_LANGUAGE). */
  labelPrinter?: { uri: string; language: 'tspl' | 'zpl' };
  /** Payment codes (POS_PAYMENTS) and the real gateways' settings files (POS_WECHATPAY, POS_ALIPAY). */
  payments?: PaymentMode;
  paymentGateways?: PaymentGatewayFiles;
  logger?: Logger;
  /** Replicate through the store hub and/or cloud; off when absent. */
  sync?: CoreSyncOptions;
  /** Poll period for `sync.status` events (default 3 s). */
  syncStatusIntervalMs?: number;
  /** How long the customer display keeps the paid screen (change + WeCom QR); default 60 s (POS_DISPLAY_PAID_SECONDS). */
  displayPaidHoldMs?: number;
  /** How often an open /api/events stream re-checks its session (default 30 s). */
  sessionCheckMs?: number;
  /** The first-run wizard's /api/setup/ actions (till-host.ts). */
  setup?: SetupEndpoint;
}

export interface StartedWebHost extends RunningWebHost {
  core: TerminalCore;
  till: Till;
  /** What the customer display (/display/, pole display) shows. */
  display: CustomerDisplayFeed;
}

export async function startWebHost(opts: StartWebHostOptions): Promise<StartedWebHost> {
  const logger = opts.logger ?? pino({ level: 'warn' });
  const till = await openTill({
    dataDir: opts.dataDir,
    seedDemo: opts.seedDemo ?? true,
    terminalId: opts.terminalId,
    storeId: opts.storeId,
    devices: opts.devices ?? 'none',
    printer: opts.printer,
    scale: opts.scale,
    labelPrinter: opts.labelPrinter,
    payments: opts.payments,
    paymentGateways: opts.paymentGateways,
    logger,
    sync: opts.sync,
    syncStatusIntervalMs: opts.syncStatusIntervalMs,
  });
  let feed: CustomerDisplayFeed | null = null;
  let pole: ReturnType<typeof attachPoleDisplay> | null = null;
  try {
    feed = createCustomerDisplayFeed({ core: till.core, paidHoldMs: opts.displayPaidHoldMs ?? 60_000, logger });
    await feed.ready;
    // The pole display (hub device of kind 'display'), when this till has one set up.
    if (till.hub) pole = attachPoleDisplay(feed, till.hub, logger);
    const running = await listenWebHost({
      core: till.core,
      port: opts.port,
      host: opts.host,
      allowedHosts: opts.allowedHosts,
      sessionCheckMs: opts.sessionCheckMs,
      setup: opts.setup,
      rendererDir: opts.rendererDir,
      logger,
      display: {
        feed,
        // Read at each request: a technician may rotate it while the host runs.
        get key() {
          return till.displayKey;
        },
      },
    });
    const display = feed;
    return {
      ...running,
      core: till.core,
      till,
      display,
      close: async () => {
        await running.close();
        pole?.detach();
        display.close();
        await till.close();
      },
    };
  } catch (err) {
    pole?.detach();
    feed?.close();
    await till.close();
    throw err;
  }
}
