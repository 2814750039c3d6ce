// Discovery of attached devices for the setup screen and `pos devices`: serial ports
// (serialport's list, which needs udev), HID devices (node-hid; usage page 0x8C marks HID POS
// scanners), USB printer-class device files (/dev/usb/lp*) and configured network printers
// (a short TCP connect probe on loopback/LAN addresses the technician configured).
// `pos devices` starts with this module, so it loads no zod or serialport at start: serialport
// when the serial ports are listed, the device URI parser (zod) only for network printers.
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { HID_POS_USAGE_PAGE } from '../scanner';
import { formatHidUri, nodeHidBinding, type HidBinding } from '../transports/hid';

export interface DiscoveredDevice {
  uri: string;
  transport: 'serial' | 'hid' | 'usb' | 'tcp';
  /** What the device most likely is, when we can tell. */
  likely: 'printer' | 'scanner' | 'scale' | 'display' | 'unknown';
  description: string;
  reachable?: boolean;
}

export interface DiscoveryOptions {
  hid?: HidBinding;
  usbDir?: string;
  /** Network printer URIs from the terminal's configuration, probed with a TCP connect. */
  networkPrinters?: string[];
  probeTimeoutMs?: number;
  listSerial?: () => Promise<{ path: string; manufacturer?: string; vendorId?: string; productId?: string }[]>;
}

function probeTcp(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('error', () => done(false));
    s.connect(port, host, () => done(true));
  });
}

export async function discoverDevices(opts: DiscoveryOptions = {}): Promise<DiscoveredDevice[]> {
  const out: DiscoveredDevice[] = [];
  // require(), not import(): serialport is CommonJS, and import() first scans it and every module
  // it re-exports for their export names (~30 ms of `pos devices` measured).
  const listSerial =
    opts.listSerial ??
    (() =>
      // import.meta is empty in the Electron main bundle (CommonJS): __filename is there instead.
      (createRequire(import.meta.url ?? __filename)('serialport') as typeof import('serialport')).SerialPort.list());
  try {
    for (const p of await listSerial()) {
      const usb = p.vendorId ? ` (USB ${p.vendorId}:${p.productId ?? '?'})` : '';
      out.push({
        uri: `serial:${p.path}?baud=9600`,
        transport: 'serial',
        likely: 'unknown',
        description: `${p.manufacturer ?? 'serial port'}${usb}`,
      });
    }
  } catch {
    /* no udev / no permission: serial discovery is best effort */
  }
  for (const d of (opts.hid ?? nodeHidBinding).devices()) {
    const pos = d.usagePage === HID_POS_USAGE_PAGE;
    out.push({
      uri: formatHidUri(d.vendorId, d.productId),
      transport: 'hid',
      likely: pos ? 'scanner' : 'unknown',
      description:
        `${d.manufacturer ?? ''} ${d.product ?? ''}`.trim() +
        (pos ? ' [HID POS scanner]' : d.usagePage === 1 && d.usage === 6 ? ' [keyboard]' : ''),
    });
  }
  const usbDir = opts.usbDir ?? '/dev/usb';
  try {
    for (const f of (await readdir(usbDir)).filter((n) => /^lp\d+$/.test(n)).sort())
      out.push({
        uri: `usb:${join(usbDir, f)}`,
        transport: 'usb',
        likely: 'printer',
        description: 'USB printer-class device',
      });
  } catch {
    /* no /dev/usb: no USB printers */
  }
  const networkPrinters = opts.networkPrinters ?? [];
  if (!networkPrinters.length) return out;
  const { parseDeviceUri } = await import('../transports');
  await Promise.all(
    networkPrinters.map(async (uri) => {
      const u = parseDeviceUri(uri);
      if (u.scheme !== 'tcp') return;
      const reachable = await probeTcp(u.host, u.port, opts.probeTimeoutMs ?? 700);
      out.push({
        uri: u.raw,
        transport: 'tcp',
        likely: 'printer',
        description: `network printer ${u.host}:${u.port}`,
        reachable,
      });
    }),
  );
  return out;
}
