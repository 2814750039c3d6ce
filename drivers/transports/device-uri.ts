// Device URIs: the one string a technician types to name a device.
//   tcp://host:9100   serial:/dev/ttyUSB0?baud=9600   usb:/dev/usb/lp0   hid:VID:PID (hex)
// Parsing is strict so that a typo gives a clear error instead of a silent default.
import { z } from 'zod';

export type DeviceUri =
  | { scheme: 'tcp'; host: string; port: number; raw: string }
  | { scheme: 'serial'; path: string; baud: number; params: Record<string, string>; raw: string }
  | { scheme: 'usb'; path: string; raw: string }
  | { scheme: 'hid'; vendorId: number; productId: number; raw: string }
  | { scheme: 'mock'; name: string; raw: string };

export class DeviceUriError extends Error {
  readonly code = 'DEVICE_URI_INVALID';
  constructor(
    readonly uri: string,
    reason: string,
  ) {
    super(`Invalid device URI "${uri}": ${reason}`);
    this.name = 'DeviceUriError';
  }
}

const BAUDS = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;
const hex4 = /^[0-9a-fA-F]{1,4}$/;

export const deviceUriSchema = z.string().trim().min(4).max(300);

export function parseDeviceUri(input: string): DeviceUri {
  const raw = deviceUriSchema.parse(input);
  if (raw.startsWith('tcp://')) {
    const m = /^tcp:\/\/([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?\/?$/.exec(raw);
    if (!m) throw new DeviceUriError(raw, 'expected tcp://host:port');
    const port = m[2] ? Number(m[2]) : 9100;
    if (port < 1 || port > 65535) throw new DeviceUriError(raw, 'port out of range');
    return { scheme: 'tcp', host: m[1]!.replace(/^\[|\]$/g, ''), port, raw };
  }
  if (raw.startsWith('serial:')) {
    const [pathPart, query = ''] = raw.slice('serial:'.length).split('?', 2) as [string, string?];
    if (!pathPart.startsWith('/')) throw new DeviceUriError(raw, 'expected serial:/dev/ttyX');
    const params = Object.fromEntries(new URLSearchParams(query));
    const baud = params.baud ? Number(params.baud) : 9600;
    if (!(BAUDS as readonly number[]).includes(baud))
      throw new DeviceUriError(raw, `baud must be one of ${BAUDS.join(', ')}`);
    return { scheme: 'serial', path: pathPart, baud, params, raw };
  }
  if (raw.startsWith('usb:')) {
    const path = raw.slice(4);
    if (!path.startsWith('/')) throw new DeviceUriError(raw, 'expected usb:/dev/usb/lpN');
    return { scheme: 'usb', path, raw };
  }
  if (raw.startsWith('hid:')) {
    const [v, p, extra] = raw.slice(4).split(':');
    if (!v || !p || extra !== undefined || !hex4.test(v) || !hex4.test(p))
      throw new DeviceUriError(raw, 'expected hid:VID:PID in hex, e.g. hid:05e0:1200');
    return { scheme: 'hid', vendorId: parseInt(v, 16), productId: parseInt(p, 16), raw };
  }
  if (raw.startsWith('mock:')) return { scheme: 'mock', name: raw.slice(5), raw };
  throw new DeviceUriError(raw, 'unknown scheme (use tcp://, serial:, usb:, hid:)');
}
