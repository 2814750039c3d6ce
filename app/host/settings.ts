// Settings of the till in web mode: the till's own settings (app/till/till-settings.ts, shared
// with Electron) plus where the web host listens. Read once by app/host/main.ts. Documented in
// README.md and docs/api.md.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CoreSyncOptions } from '../core';
import { tillSettingsFromEnv, type DeviceMode, type LogLevel } from '../till';
import { parseAllowedHosts } from './request-origin';

export const DEFAULT_POS_PORT = 8080;

export interface HostSettings {
  port: number;
  host: string;
  allowedHosts: string[];
  dataDir: string;
  terminalId?: string;
  storeId?: string;
  devices: DeviceMode;
  printer?: string;
  scale?: string;
  /** The shelf-label printer (POS_LABEL_PRINTER, POS_LABEL_LANGUAGE). */
  labelPrinter?: { uri: string; language: 'tspl' | 'zpl' };
  sync?: CoreSyncOptions;
  seedDemo: boolean;
  displayPaidHoldMs: number;
  logLevel: LogLevel;
}

export function hostSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): HostSettings {
  const till = tillSettingsFromEnv(env);
  const rawPort = env.POS_PORT || String(DEFAULT_POS_PORT);
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`POS_PORT must be a port number 0-65535, got "${rawPort}"`);
  return {
    port,
    // Loopback by default; set POS_HOST=0.0.0.0 to let back-office browsers on the store LAN in.
    host: env.POS_HOST || '127.0.0.1',
    // Browsers may only reach the till by these names besides loopback and POS_HOST (and this
    // machine's own addresses when POS_HOST is 0.0.0.0), e.g. "till-1.local,pos1.shop.lan".
    allowedHosts: parseAllowedHosts(env.POS_ALLOWED_HOSTS),
    dataDir: till.dataDir ?? join(homedir(), '.edge-pos'),
    terminalId: till.terminalId,
    storeId: till.storeId,
    devices: till.devices,
    printer: till.printer,
    scale: till.scale,
    ...(till.labelPrinter ? { labelPrinter: till.labelPrinter } : {}),
    sync: till.sync,
    seedDemo: till.seedDemo,
    displayPaidHoldMs: till.displayPaidHoldMs,
    logLevel: till.logLevel,
  };
}
