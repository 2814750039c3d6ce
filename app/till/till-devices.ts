// The till's store devices as the core sees them (TillDevices), backed by the device hub.
// The core's handlers do role checks, manager approval and audit; this layer turns the hub's
// devices and errors into the contract's DeviceView / WeightReading and coded PosErrors (the
// renderer says them in the cashier's language), and validates what a technician types on the
// setup screen.
import { basename } from 'node:path';
import type { DeviceKind, DeviceView, WeightReading } from '../contract';
import { PosError } from '../contract';
import type { DeviceSetting, TillDevices } from '../core';
import {
  DeviceHubError,
  DeviceUriError,
  parseDeviceUri,
  ScaleError,
  type DeviceHub,
  type DeviceStatusLine,
  type DiscoveredDevice,
} from '../../drivers';

export interface TillDevicesOptions {
  hub: DeviceHub;
  /** The customer display feed's read-only key (stored in the data dir, from openTill). */
  displayKey: () => string;
  /** Replaces the stored display key; returns the new one. */
  rotateDisplayKey: () => string;
  /** How long the scale may take to settle before WEIGHT_UNSTABLE (default 2500 ms). */
  scaleTimeoutMs?: number;
  /** Upper bound for looking for attached devices in `list()` (default 2500 ms). */
  discoveryTimeoutMs?: number;
}

/** English words for a status without its own message (API users; the screens translate the status code). */
const STATUS_WORDS: Record<string, string> = {
  connecting: 'Connecting…',
  disconnected: 'Not connected. Check the cable or network.',
  disabled: 'Switched off in the settings.',
  stopped: 'Not running.',
};

// Which transports make sense for which kind of device.
const SCHEMES: Record<DeviceKind, string[]> = {
  printer: ['tcp', 'serial', 'usb'],
  drawer: ['tcp', 'serial', 'usb'],
  scanner: ['serial', 'hid'],
  scale: ['serial', 'tcp'],
  display: ['serial', 'tcp'],
};

type OptionValue = string | number | boolean;
type OptionRule = (v: OptionValue) => OptionValue | undefined;

const num =
  (min: number, max: number, allowed?: number[]): OptionRule =>
  (v) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min || n > max || (allowed && !allowed.includes(n))) return undefined;
    return n;
  };
const bool: OptionRule = (v) => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined);
const oneOf =
  (...values: string[]): OptionRule =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? v : undefined;
const text =
  (maxLen: number): OptionRule =>
  (v) =>
    typeof v === 'string' && v.length >= 1 && v.length <= maxLen ? v : undefined;

const DRAWER_OPTIONS: Record<string, [OptionRule, string]> = {
  pin: [num(2, 5, [2, 5]), '2 or 5'],
  pulseMs: [num(10, 510), '10–510'],
};
const OPTIONS: Record<DeviceKind, Record<string, [OptionRule, string]>> = {
  printer: {
    width: [num(58, 80, [58, 80]), '58 or 80'],
    encoding: [oneOf('gb18030', 'cp936'), 'gb18030 or cp936'],
    ackTimeoutMs: [num(1000, 600_000), '1000–600000'],
    bidirectional: [bool, 'true or false'],
    ...DRAWER_OPTIONS,
  },
  drawer: { ...DRAWER_OPTIONS, bidirectional: [bool, 'true or false'] },
  scanner: {
    protocol: [oneOf('serial', 'hid-pos', 'hid-keyboard'), 'serial, hid-pos or hid-keyboard'],
    terminator: [text(8), 'CR, LF, CRLF, TAB, ETX or the characters'],
    maxLength: [num(8, 4096), '8–4096'],
  },
  scale: { continuous: [bool, 'true or false'] },
  display: { cjk: [bool, 'true or false'] },
};

function badInput(details: Record<string, string>): PosError {
  return new PosError('BAD_INPUT', details);
}

/** Checks a setting the technician typed; returns the options with their proper types. */
export function validateSetting(s: DeviceSetting): Record<string, OptionValue> {
  let scheme: string;
  try {
    scheme = parseDeviceUri(s.uri).scheme;
  } catch (err) {
    const reason = err instanceof DeviceUriError ? err.message : String(err);
    throw badInput({ reason: 'device-uri', uri: s.uri, why: reason });
  }
  if (!SCHEMES[s.kind].includes(scheme)) {
    throw badInput({ reason: 'device-scheme', kind: s.kind, scheme, allowed: SCHEMES[s.kind].join(', ') });
  }
  const rules = OPTIONS[s.kind];
  const out: Record<string, OptionValue> = {};
  for (const [key, value] of Object.entries(s.options ?? {})) {
    const rule = rules[key];
    if (!rule) {
      const known = Object.keys(rules).join(', ');
      throw badInput({ reason: 'device-option', kind: s.kind, key, known });
    }
    const v = rule[0](value);
    if (v === undefined) throw badInput({ reason: 'device-option-value', key, expected: rule[1] });
    out[key] = v;
  }
  return out;
}

function statusWords(line: DeviceStatusLine | null, status: string): string | null {
  if (line?.message) return line.message;
  if (status === 'ok') return null;
  return STATUS_WORDS[status] ?? status;
}

/** The options a technician set (the emulator's own marker is shown as `emulated` instead). */
function shownOptions(o: Record<string, unknown>): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const [k, v] of Object.entries(o))
    if (k !== 'emulated' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) out[k] = v;
  return out;
}

const uriKey = (uri: string) => uri.split('?')[0]!.toLowerCase();

function detectedView(d: DiscoveredDevice, taken: Set<string>): DeviceView | null {
  if (taken.has(uriKey(d.uri))) return null;
  const kind: DeviceKind =
    d.likely !== 'unknown'
      ? d.likely
      : d.transport === 'hid'
        ? 'scanner'
        : d.transport === 'usb' || d.transport === 'tcp'
          ? 'printer'
          : 'scale';
  const tail =
    d.transport === 'hid'
      ? d.uri.slice(4).replace(':', '-')
      : basename(d.uri.replace(/^\w+:(\/\/)?/, '').split('?')[0]!);
  const id = `${kind}-${tail}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 40);
  // The status says "detected, not set up"; the message is what the hardware calls itself.
  return {
    id,
    kind,
    uri: d.uri,
    status: 'detected',
    message: d.description || null,
    configured: false,
    emulated: false,
    options: {},
  };
}

/** Maps what the hub throws to the contract's codes, with the reason the screens translate. */
function toPosError(err: unknown): unknown {
  if (err instanceof PosError) return err;
  if (err instanceof DeviceHubError) {
    switch (err.code) {
      case 'PRINTER_NOT_READY':
        return new PosError('DEVICE_ERROR', { reason: err.status ?? 'error', status: err.status ?? 'error' });
      case 'DEVICE_NOT_FOUND':
        return new PosError('NOT_FOUND', { reason: 'device', deviceId: err.details.deviceId ?? '' });
      case 'PRINTER_NOT_CONFIGURED':
        return new PosError('DEVICE_UNAVAILABLE', { reason: 'no-printer' });
      case 'SCALE_NOT_CONFIGURED':
        return new PosError('DEVICE_UNAVAILABLE', { reason: 'no-scale' });
      case 'DRAWER_UNAVAILABLE':
        return new PosError('DEVICE_UNAVAILABLE', {
          reason:
            err.details.reason === 'no-drawer' || !err.details.reason ? 'no-drawer' : `drawer-${err.details.reason}`,
        });
      default:
        return new PosError('DEVICE_UNAVAILABLE', { hubCode: err.code });
    }
  }
  if (err instanceof ScaleError) {
    switch (err.code) {
      case 'SCALE_UNSTABLE':
        return new PosError('WEIGHT_UNSTABLE', { reason: 'unstable' });
      case 'SCALE_NEGATIVE':
        return new PosError('WEIGHT_INVALID', { reason: 'negative' });
      case 'SCALE_OVERLOAD':
        return new PosError('WEIGHT_INVALID', { reason: 'overload' });
      case 'SCALE_ZERO_WEIGHT':
        return new PosError('WEIGHT_INVALID', { reason: 'zero' });
      case 'SCALE_NO_ANSWER':
        return new PosError('DEVICE_UNAVAILABLE', { reason: 'no-answer' });
    }
  }
  return err;
}

async function mapped<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toPosError(err);
  }
}

export function createTillDevices(opts: TillDevicesOptions): TillDevices {
  const { hub } = opts;
  const discover = async (): Promise<DiscoveredDevice[]> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<DiscoveredDevice[]>((resolve) => {
      timer = setTimeout(() => resolve([]), opts.discoveryTimeoutMs ?? 2500);
    });
    try {
      // Configured network printers are already listed with their live status: no TCP probe.
      return await Promise.race([hub.discover({ probeNetwork: false }).catch(() => []), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    async list(): Promise<DeviceView[]> {
      // Look for attached devices first, so the statuses below are as fresh as the answer.
      const found = await discover();
      const configured: DeviceView[] = hub.configured().map(({ config, line }) => {
        const status = line?.status ?? (config.enabled ? 'stopped' : 'disabled');
        return {
          id: config.deviceId,
          kind: config.kind,
          uri: config.uri,
          status,
          message: statusWords(line, status),
          configured: true,
          emulated: config.options.emulated === true,
          options: shownOptions(config.options),
        };
      });
      const taken = new Set(configured.map((d) => uriKey(d.uri)));
      const detected = found.map((d) => detectedView(d, taken)).filter((d): d is DeviceView => d !== null);
      return [...configured, ...detected];
    },

    configure: (s) =>
      mapped(async () => {
        const options = validateSetting(s);
        await hub.configure({ deviceId: s.deviceId, kind: s.kind, uri: s.uri.trim(), options });
      }),

    remove: (deviceId) =>
      mapped(async () => {
        if (!(await hub.remove(deviceId))) throw new PosError('NOT_FOUND', { reason: 'device', deviceId });
      }),

    testPrint: (deviceId) => mapped(() => hub.testPrint({ printerId: deviceId })),

    openDrawer: () =>
      mapped(async () => {
        await hub.kickDrawer();
      }),

    readWeight: () =>
      mapped(async (): Promise<WeightReading> => {
        const r = await hub.readWeight({ timeoutMs: opts.scaleTimeoutMs ?? 2500 });
        return { deviceId: r.deviceId, grams: r.grams, stable: true, at: new Date().toISOString() };
      }),

    customerDisplayPath: () => `/display/#key=${opts.displayKey()}`,
    rotateDisplayKey: () => `/display/#key=${opts.rotateDisplayKey()}`,
  };
}
