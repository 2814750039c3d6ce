// Composition root for web mode: opens the till (core + devices) on a data dir and serves it.
import pino, { type Logger } from 'pino';
import type { CoreSyncOptions, TerminalCore } from '../core';
import { openTill, type DeviceMode, type Till } from '../till';
import { listenWebHost, type RunningWebHost } from './web-host';

export interface StartWebHostOptions {
  dataDir: string;
  /** 0 picks a free port (tests). */
  port?: number;
  host?: string;
  seedDemo?: boolean;
  terminalId?: string;
  storeId?: string;
  rendererDir?: string;
  /** Devices: 'none' by default for library use; `npm start` passes 'auto' (emulated printer when none is configured). */
  devices?: DeviceMode;
  printer?: string;
  logger?: Logger;
  /** Replicate through the store hub and/or cloud; off when absent. */
  sync?: CoreSyncOptions;
  /** Poll period for `sync.status` events (default 3 s). */
  syncStatusIntervalMs?: number;
}

export interface StartedWebHost extends RunningWebHost {
  core: TerminalCore;
  till: Till;
}

export async function startWebHost(opts: StartWebHostOptions): Promise<StartedWebHost> {
  const logger = opts.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'warn' });
  const till = await openTill({
    dataDir: opts.dataDir, seedDemo: opts.seedDemo ?? true, terminalId: opts.terminalId, storeId: opts.storeId,
    devices: opts.devices ?? 'none', printer: opts.printer, logger, sync: opts.sync, syncStatusIntervalMs: opts.syncStatusIntervalMs,
  });
  try {
    const running = await listenWebHost({ core: till.core, port: opts.port, host: opts.host, rendererDir: opts.rendererDir, logger });
    return {
      ...running,
      core: till.core,
      till,
      close: async () => {
        await running.close();
        await till.close();
      },
    };
  } catch (err) {
    await till.close();
    throw err;
  }
}
