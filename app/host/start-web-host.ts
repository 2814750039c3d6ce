// Composition root for web mode: opens the terminal core on a data dir and serves it.
import pino, { type Logger } from 'pino';
import { openTerminalCore, type TerminalCore } from '../core';
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
  logger?: Logger;
}

export interface StartedWebHost extends RunningWebHost {
  core: TerminalCore;
}

export async function startWebHost(opts: StartWebHostOptions): Promise<StartedWebHost> {
  const logger = opts.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'warn' });
  const core = openTerminalCore({ dataDir: opts.dataDir, seedDemo: opts.seedDemo ?? true, terminalId: opts.terminalId, storeId: opts.storeId, logger });
  try {
    const running = await listenWebHost({ core, port: opts.port, host: opts.host, rendererDir: opts.rendererDir, logger });
    return {
      ...running,
      core,
      close: async () => {
        await running.close();
        core.close();
      },
    };
  } catch (err) {
    core.close();
    throw err;
  }
}
