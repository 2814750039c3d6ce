// Scanners through the real driver code: serial over a socat PTY pair (a real tty), HID POS
// and keyboard-emulation scanners through MockHidBinding (no HID hardware exists here).
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair, HidScannerEmulator, SerialScannerEmulator } from '../emulators';
import { createTransport, MockHidBinding } from '../transports';
import type { DeviceError } from '../device';
import { BarcodeScanner, type ScanEvent } from './barcode-scanner';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function collect(s: BarcodeScanner) {
  const scans: ScanEvent[] = [],
    errors: DeviceError[] = [];
  s.on('data', (e) => scans.push(e));
  s.on('error', (e) => errors.push(e));
  return { scans, errors };
}
const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('serial scanner over a real PTY pair', () => {
  it('parses scans, survives garbage and overlong lines, stays usable', async () => {
    const pty = await createPtyPair();
    cleanups.push(() => pty.close());
    const emu = new SerialScannerEmulator(pty.a, { terminator: '\r\n' });
    await emu.open();
    cleanups.push(() => emu.close());
    const scanner = new BarcodeScanner('scan1', createTransport(`serial:${pty.b}?baud=9600`), {
      protocol: 'serial',
      terminator: 'CRLF',
      maxLength: 64,
    });
    await scanner.start('till');
    cleanups.push(() => scanner.close());
    const { scans, errors } = collect(scanner);

    await emu.scan('6901234567892', ']E0');
    await until(() => scans.length === 1);
    expect(scans[0]).toMatchObject({ data: '6901234567892', symbology: ']E0', symbologyName: 'EAN-13/UPC-A' });
    expect(scans[0]!.source).toContain(pty.b);

    await emu.sendRaw(Buffer.from([0x00, 0x9f, 0x13, 0xfe, 0x0d, 0x0a]));
    await emu.sendRaw('9'.repeat(200) + '\r\n');
    await emu.scan('4006381333931');
    await until(() => scans.length === 2);
    expect(errors.map((e) => e.code)).toEqual(['SCANNER_GARBAGE', 'SCANNER_OVERLONG']);
    expect(errors[0]!.message).toContain('Scan again');
    expect(scans[1]).toMatchObject({ data: '4006381333931', symbology: null });
  });

  it('ignores scans while disabled (UnifiedPOS DataEventEnabled)', async () => {
    const pty = await createPtyPair();
    cleanups.push(() => pty.close());
    const emu = new SerialScannerEmulator(pty.a);
    await emu.open();
    cleanups.push(() => emu.close());
    const scanner = new BarcodeScanner('scan2', createTransport(`serial:${pty.b}`), { protocol: 'serial' });
    await scanner.start('till');
    cleanups.push(() => scanner.close());
    const { scans } = collect(scanner);
    await scanner.disable('till');
    await emu.scan('111');
    await new Promise((r) => setTimeout(r, 100));
    await scanner.enable('till');
    await emu.scan('222');
    await until(() => scans.length === 1);
    expect(scans.map((s) => s.data)).toEqual(['222']);
    await expect(scanner.claim('someone-else')).rejects.toThrow(/claimed by till/);
  });
});

describe('HID scanners at the binding level', () => {
  it('HID POS: joins continued reports and keeps the AIM id; bad reports raise an error only', async () => {
    const hid = new MockHidBinding();
    const emu = new HidScannerEmulator(hid, 0x0c2e, 0x0b87, 'hid-pos');
    const scanner = new BarcodeScanner('hidpos', createTransport('hid:0c2e:0b87', { hid }), { protocol: 'hid-pos' });
    await scanner.start('till');
    cleanups.push(() => scanner.close());
    const { scans, errors } = collect(scanner);
    const qr = 'https://example.cn/01/06901234567892/10/ABC?' + 'x'.repeat(80);
    emu.scan(qr, ']Q1');
    emu.sendReport(Buffer.from([0x02, 0x05]));
    emu.scan('6901234567892', ']E0');
    expect(scans.map((s) => [s.data, s.symbology])).toEqual([
      [qr, ']Q1'],
      ['6901234567892', ']E0'],
    ]);
    expect(errors.map((e) => e.code)).toEqual(['SCANNER_GARBAGE']);
  });

  it('keyboard-emulation scanner read through the HID binding, with shift', async () => {
    const hid = new MockHidBinding();
    const emu = new HidScannerEmulator(hid, 0x05e0, 0x1200, 'hid-keyboard');
    const scanner = new BarcodeScanner('kbd', createTransport('hid:05e0:1200', { hid }), { protocol: 'hid-keyboard' });
    await scanner.start('till');
    cleanups.push(() => scanner.close());
    const { scans } = collect(scanner);
    emu.scan('ABC-123', ']C0');
    expect(scans.map((s) => [s.data, s.symbology])).toEqual([['ABC-123', ']C0']]);
  });

  it('an unplugged HID scanner reports disconnection', async () => {
    const hid = new MockHidBinding();
    const emu = new HidScannerEmulator(hid, 1, 2, 'hid-pos');
    const scanner = new BarcodeScanner('h', createTransport('hid:0001:0002', { hid }), { protocol: 'hid-pos' });
    const conn: boolean[] = [];
    scanner.on('connection', (c) => conn.push(c));
    await scanner.start('till');
    emu.unplug();
    expect(conn).toEqual([true, false]);
    expect(scanner.state).toBe('closed');
    await expect(scanner.open()).rejects.toThrow(/cannot open/);
  });
});
