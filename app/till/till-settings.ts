// Settings of a till process, read once at its entry (the web host's app/host/main.ts through
// hostSettingsFromEnv, and Electron's app/main/main.ts): the POS_*, sync and LOG_LEVEL variables
// of README's settings table, validated with zod so a typo stops the start with the variable's
// name instead of a till that quietly runs with a default. Libraries below take options only.
import { z } from 'zod';
import type { CoreSyncOptions, PaymentGatewayFiles } from '../core';
import type { DeviceMode, PaymentMode } from './open-till';
import { syncSettingsFromEnv } from './sync-settings';

const DEVICE_MODES = ['none', 'emulated', 'configured', 'auto'] as const satisfies readonly DeviceMode[];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** An unset and an empty variable mean the same: the default. */
const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema.optional());
const flag = (name: string) => optional(z.enum(['0', '1'], { error: `${name} must be 1 or 0` }));

function isUpdateUrl(raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  if (u.username || u.password || u.search || u.hash) return false;
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  return u.protocol === 'https:' || (u.protocol === 'http:' && loopback);
}

const envSchema = z.object({
  POS_DATA_DIR: optional(z.string()),
  POS_TERMINAL_ID: optional(z.string()),
  POS_STORE_ID: optional(z.string()),
  POS_DEMO: flag('POS_DEMO'),
  POS_KIOSK: flag('POS_KIOSK'),
  POS_DEVICES: optional(
    z.enum(DEVICE_MODES, {
      error: (i) => `POS_DEVICES must be one of ${DEVICE_MODES.join(', ')}, got "${String(i.input)}"`,
    }),
  ),
  POS_PRINTER: optional(z.string()),
  POS_SCALE: optional(z.string()),
  POS_LABEL_PRINTER: optional(z.string()),
  POS_LABEL_LANGUAGE: optional(
    z.enum(['tspl', 'zpl'], { error: (i) => `POS_LABEL_LANGUAGE must be tspl or zpl, got "${String(i.input)}"` }),
  ),
  POS_PAYMENTS: optional(
    z.enum(['auto', 'emulated', 'sandbox'], {
      error: (i) => `POS_PAYMENTS must be auto, emulated or sandbox, got "${String(i.input)}"`,
    }),
  ),
  POS_WECHATPAY: optional(z.string()),
  POS_ALIPAY: optional(z.string()),
  // Checked by planCustomerWindow, where a typo costs the customer window and not the till.
  POS_CUSTOMER_DISPLAY: optional(z.string()),
  POS_DISPLAY_PAID_SECONDS: optional(
    z.string().transform((raw, ctx) => {
      const seconds = Number(raw);
      if (Number.isFinite(seconds) && seconds >= 1 && seconds <= 3600) return seconds;
      ctx.addIssue({ code: 'custom', message: `POS_DISPLAY_PAID_SECONDS must be 1-3600 seconds, got "${raw}"` });
      return z.NEVER;
    }),
  ),
  // Electron's update server (electron-updater generic provider): https, or http on this machine only.
  POS_UPDATE_URL: optional(
    z.string().refine(isUpdateUrl, {
      error: 'POS_UPDATE_URL must be an https:// address without user, password, query or fragment',
    }),
  ),
  POS_UPDATE_CHANNEL: optional(
    z.enum(['stable', 'beta'], { error: (i) => `POS_UPDATE_CHANNEL must be stable or beta, got "${String(i.input)}"` }),
  ),
  LOG_LEVEL: optional(
    z.enum(LOG_LEVELS, { error: (i) => `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${String(i.input)}"` }),
  ),
});

export interface TillSettings {
  /** Unset: the entry's own default (~/.edge-pos for the web host, Electron's userData). */
  dataDir?: string;
  terminalId?: string;
  storeId?: string;
  /** POS_DEMO=0 starts with an empty store. */
  seedDemo: boolean;
  kiosk: boolean;
  devices: DeviceMode;
  printer?: string;
  scale?: string;
  /** The shelf-label printer (POS_LABEL_PRINTER, POS_LABEL_LANGUAGE). */
  labelPrinter?: { uri: string; language: 'tspl' | 'zpl' };
  /** Payment codes: real gateways (files below), emulators or the sandbox; unset = by device mode. */
  payments?: PaymentMode;
  paymentGateways: PaymentGatewayFiles;
  customerDisplay?: string;
  displayPaidHoldMs: number;
  logLevel: LogLevel;
  sync?: CoreSyncOptions;
  /** Electron's automatic updates: the update server (unset: off) and the channel. */
  update: { url?: string; channel: 'stable' | 'beta' };
}

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

export function tillSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): TillSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new SettingsError(parsed.error.issues.map((i) => i.message).join('; '));
  const e = parsed.data;
  return {
    dataDir: e.POS_DATA_DIR,
    terminalId: e.POS_TERMINAL_ID,
    storeId: e.POS_STORE_ID,
    seedDemo: e.POS_DEMO !== '0',
    kiosk: e.POS_KIOSK === '1',
    // auto: the devices set up for this terminal, else a built-in printer emulator.
    devices: e.POS_DEVICES ?? 'auto',
    printer: e.POS_PRINTER,
    scale: e.POS_SCALE,
    ...(e.POS_LABEL_PRINTER
      ? { labelPrinter: { uri: e.POS_LABEL_PRINTER, language: e.POS_LABEL_LANGUAGE ?? ('tspl' as const) } }
      : {}),
    payments: e.POS_PAYMENTS,
    paymentGateways: { wechatpay: e.POS_WECHATPAY, alipay: e.POS_ALIPAY },
    customerDisplay: e.POS_CUSTOMER_DISPLAY,
    displayPaidHoldMs: Math.round((e.POS_DISPLAY_PAID_SECONDS ?? 60) * 1000),
    logLevel: e.LOG_LEVEL ?? 'info',
    update: { url: e.POS_UPDATE_URL, channel: e.POS_UPDATE_CHANNEL ?? 'stable' },
    // HUB_URL and/or CLOUD_URL with ENROLL_CODE; off when neither URL is set.
    sync: syncSettingsFromEnv(env),
  };
}
