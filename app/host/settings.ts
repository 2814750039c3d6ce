// Environment settings of the web host. Documented in README.md and docs/api.md.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CoreSyncOptions } from '../core';
import { syncSettingsFromEnv, type DeviceMode } from '../till';
import { parseAllowedHosts } from './request-origin';

const DEVICE_MODES: DeviceMode[] = ['none', 'emulated', 'configured', 'auto'];

export const DEFAULT_POS_PORT = 8080;

export interface HostSettings { port: number; host: string; allowedHosts: string[]; dataDir: string; terminalId?: string; storeId?: string; devices: DeviceMode; printer?: string; sync?: CoreSyncOptions }

export function hostSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): HostSettings {
  const rawPort = env.POS_PORT ?? String(DEFAULT_POS_PORT);
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`POS_PORT must be a port number 0-65535, got "${rawPort}"`);
  return {
    port,
    // Loopback by default; set POS_HOST=0.0.0.0 to let back-office browsers on the store LAN in.
    host: env.POS_HOST ?? '127.0.0.1',
    // Browsers may only reach the till by these names besides loopback and POS_HOST (and this
    // machine's own addresses when POS_HOST is 0.0.0.0), e.g. "till-1.local,pos1.shop.lan".
    allowedHosts: parseAllowedHosts(env.POS_ALLOWED_HOSTS),
    dataDir: env.POS_DATA_DIR ?? join(homedir(), '.edge-pos'),
    terminalId: env.POS_TERMINAL_ID,
    // auto: the devices set up for this terminal, else a built-in printer emulator.
    devices: deviceMode(env.POS_DEVICES),
    printer: env.POS_PRINTER,
    storeId: env.POS_STORE_ID,
    // HUB_URL and/or CLOUD_URL with ENROLL_CODE; off when neither URL is set.
    sync: syncSettingsFromEnv(env),
  };
}

function deviceMode(raw: string | undefined): DeviceMode {
  if (raw === undefined || raw === '') return 'auto';
  if ((DEVICE_MODES as string[]).includes(raw)) return raw as DeviceMode;
  throw new Error(`POS_DEVICES must be one of ${DEVICE_MODES.join(', ')}, got "${raw}"`);
}
