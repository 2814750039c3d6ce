// The till in web mode as `npm start` runs it: the web host plus the first-run wizard's actions
// (app/till/till-setup.ts) at /api/setup/<action>. Pairing writes <dataDir>/pairing.json and
// reopens the till on the paired store's own database on the same port; the page keeps polling
// /api/setup/state through the restart. Sync set by the environment (HUB_URL / CLOUD_URL) wins
// over a wizard pairing. The LAN search for hubs uses sync/discovery (mDNS), loaded on first use.
import pino from 'pino';
import type { CoreSyncOptions } from '../core';
import { createTillSetup, type LanHub } from '../till';
import { startWebHost, type StartedWebHost, type StartWebHostOptions } from './start-web-host';

export interface TillHostOptions extends StartWebHostOptions {
  /** Sync timers for a wizard-paired till (tests shorten them). */
  pairedSync?: Pick<CoreSyncOptions, 'intervalMs' | 'maxBackoffMs'>;
  /** The wizard's LAN search (default: mDNS on every interface; tests pass their own or null for none). */
  findHubs?: (() => Promise<LanHub[]>) | null;
}

export interface RunningTillHost {
  readonly url: string;
  readonly port: number;
  /** The till now being served (changes when the wizard pairs it). */
  current(): StartedWebHost;
  close(): Promise<void>;
}

/** mDNS browse, loaded only when a technician searches (keeps the library out of the till's start). */
async function findHubsOnLan(): Promise<LanHub[]> {
  const { browseHubs } = await import('../../sync/discovery');
  return browseHubs();
}

export async function runTillHost(opts: TillHostOptions): Promise<RunningTillHost> {
  const logger = opts.logger ?? pino({ level: 'warn' });
  const findHubs = opts.findHubs === undefined ? findHubsOnLan : opts.findHubs;
  const setup = createTillSetup({
    dataDir: opts.dataDir,
    envSync: opts.sync,
    pairedSync: opts.pairedSync,
    logger,
    current: () => host.till,
    reopen,
    ...(findHubs ? { findHubs } : {}),
  });
  const first = setup.plan();
  let host = await startWebHost({ ...opts, ...first.open, setup: setup.handle });
  const port = host.port;
  const url = host.url;

  async function reopen(): Promise<void> {
    const next = setup.plan();
    await host.close();
    host = await startWebHost({ ...opts, ...next.open, port, setup: setup.handle });
    logger.info({ store: next.pairing?.storeId, terminal: next.pairing?.terminalId }, 'till reopened after pairing');
  }

  return {
    url,
    port,
    current: () => host,
    async close() {
      await setup.settled();
      await host.close();
    },
  };
}
