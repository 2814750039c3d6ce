// Device hub with a real SQLite file, the printer emulator on TCP, a serial printer over a
// PTY pair, a HID scanner at the binding level and discovery of USB printer device files.
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair, HidScannerEmulator, PrinterEmulator, ReceiptBuilder } from '../emulators';
import { MockHidBinding } from '../transports';
import { EscPosDecoder, sampleReceipt } from '../escpos';
import { createDeviceHub, DeviceHubError, type DeviceStatusLine } from './device-hub';
import { discoverDevices } from '../discovery';
import type { ScanEvent } from '../scanner';

const logger = { info() {}, warn() {}, error() {} };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const until = async (cond: () => boolean, ms = 8000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

function tempDb() {
  const dir = mkdtempSync(join(tmpdir(), 'pos-hub-'));
  const db = new Database(join(dir, 'till.db'));
  cleanups.push(() => {
    db.close();
  });
  return db;
}

describe('device hub', () => {
  it('persists per-terminal config, prints through the queue, kicks the drawer, reports status in zh-CN/en', async () => {
    const emu = new PrinterEmulator({ port: 0 });
    await emu.start();
    cleanups.push(() => emu.stop());
    const hid = new MockHidBinding();
    const scanEmu = new HidScannerEmulator(hid, 0x0c2e, 0x0b87, 'hid-pos');
    const db = tempDb();
    const hub = createDeviceHub({
      db,
      logger,
      bindings: { hid },
      config: {
        terminalId: 'T01',
        receiptWidth: 58,
        drawer: { pin: 2, onMs: 120, offMs: 240 },
        backoff: { minMs: 50, maxMs: 200 },
        devices: [
          { deviceId: 'printer', kind: 'printer', uri: emu.uri! },
          { deviceId: 'scanner', kind: 'scanner', uri: 'hid:0c2e:0b87' },
        ],
      },
    });
    cleanups.push(() => hub.stop());
    const lines: DeviceStatusLine[] = [];
    const scans: ScanEvent[] = [];
    hub.on('device.status', (l) => lines.push(l));
    hub.on('scan', (s) => scans.push(s));
    await hub.start();
    await until(() => hub.status().every((d) => d.status === 'ok'));

    const printed: string[] = [];
    hub.on('printed', (p) => printed.push(p.saleId!));
    const a = hub.printReceipt(sampleReceipt({ saleNumber: 'T01-000001' }), { saleId: 'sale-1', kickDrawer: true });
    expect(hub.printReceipt(sampleReceipt({ saleNumber: 'T01-000001' }), { saleId: 'sale-1' })).toEqual({
      jobId: a.jobId,
      queued: false,
    });
    await until(() => printed.length === 1);
    expect(emu.receipts[0]!.text).toContain('T01-000001');
    expect(emu.drawerKicks).toBe(1);
    await hub.kickDrawer();
    await until(() => emu.drawerKicks === 2);

    scanEmu.scan('6901234567892', ']E0');
    expect(scans[0]).toMatchObject({ data: '6901234567892', symbology: ']E0' });

    emu.setStatus({ paperOut: true });
    await until(() => hub.status().some((d) => d.status === 'paper_out'));
    expect(hub.status().find((d) => d.id === 'printer')!.message).toMatch(/out of paper/);

    // The configuration is in SQLite: a second hub on the same file sees it without seeding.
    expect(hub.configStore.list().map((c) => c.deviceId)).toEqual(['printer', 'scanner']);
    const again = createDeviceHub({ db, logger, config: { terminalId: 'T01' } });
    expect(again.configStore.list()).toHaveLength(2);
    expect(() => again.configStore.upsert({ deviceId: 'x', kind: 'printer', uri: 'lpt1:' })).toThrow(
      /valid device URI/,
    );
  });

  it('reconnects after the printer goes away and says so in plain words meanwhile', async () => {
    const emu = new PrinterEmulator({ port: 0 });
    await emu.start();
    cleanups.push(() => emu.stop());
    const hub = createDeviceHub({
      db: tempDb(),
      logger,
      config: {
        terminalId: 'T02',
        backoff: { minMs: 50, maxMs: 150 },
        devices: [{ deviceId: 'p', kind: 'printer', uri: emu.uri! }],
      },
    });
    cleanups.push(() => hub.stop());
    await hub.start();
    await until(() => hub.status()[0]!.status === 'ok');
    const lines: DeviceStatusLine[] = [];
    const onStatus = (l: DeviceStatusLine) => lines.push(l);
    hub.on('device.status', onStatus);
    await emu.unplug();
    await until(() => hub.status()[0]!.status === 'disconnected');
    expect(lines.at(-1)).toMatchObject({
      id: 'p',
      kind: 'printer',
      status: 'disconnected',
      message: 'Printer is not connected. Check the cable or network.',
    });
    hub.off('device.status', onStatus);
    expect(hub.status()[0]!.message).toBe('Printer is not connected. Check the cable or network.');
    await expect(hub.kickDrawer()).rejects.toMatchObject({ code: 'DRAWER_UNAVAILABLE' });
    hub.printReceipt('queued while away', { saleId: 's-away' });
    await emu.plug();
    await until(() => emu.receipts.length === 1);
    expect(emu.receipts[0]!.text).toContain('queued while away');
  });

  it('says a scale at a port that does not exist is not found, after a bounded time, and keeps retrying', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'pos-hub-')), 'ttyUSB-none');
    const hub = createDeviceHub({
      db: tempDb(),
      logger,
      config: {
        terminalId: 'T05',
        backoff: { minMs: 50, maxMs: 100 },
        notFoundAfterMs: 400,
        devices: [{ deviceId: 'scale-1', kind: 'scale', uri: `serial:${missing}?baud=9600` }],
      },
    });
    cleanups.push(() => hub.stop());
    await hub.start();
    expect(hub.status()[0]!.status).toBe('connecting');
    await until(() => hub.status()[0]!.status === 'not_found', 3000);
    expect(hub.status()[0]!.message).toContain(`not found at serial:${missing}`);
    expect(hub.status()[0]!.message).toContain('Check the cable');
  });

  it('stops promptly while a job waits for paper; the job stays queued as sending for the next start', async () => {
    const emu = new PrinterEmulator({ port: 0 });
    await emu.start();
    cleanups.push(() => emu.stop());
    emu.simulate({ paperOutAfterLines: 3 });
    const hub = createDeviceHub({
      db: tempDb(),
      logger,
      config: { terminalId: 'T05', devices: [{ deviceId: 'p', kind: 'printer', uri: emu.uri! }] },
    });
    await hub.start();
    const { jobId } = hub.printReceipt(sampleReceipt({ saleNumber: 'STOP-1' }), { saleId: 'stop-1' });
    await until(() => hub.status()[0]!.status === 'paper_out');
    const t0 = Date.now();
    await hub.stop();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(hub.jobs.get(jobId)).toMatchObject({ state: 'sending', attempts: 1 });
  });

  it('drives a serial receipt printer over a real PTY pair', async () => {
    const pty = await createPtyPair();
    cleanups.push(() => pty.close());
    const emu = new PrinterEmulator({ port: null, serialPath: pty.a });
    await emu.start();
    cleanups.push(() => emu.stop());
    const hub = createDeviceHub({
      db: tempDb(),
      logger,
      config: {
        terminalId: 'T03',
        devices: [{ deviceId: 'sp', kind: 'printer', uri: `serial:${pty.b}?baud=115200`, options: { width: 58 } }],
      },
    });
    cleanups.push(() => hub.stop());
    await hub.start();
    hub.printReceipt(sampleReceipt({ saleNumber: 'SER-1' }), { saleId: 'ser-1' });
    await until(() => emu.receipts.length === 1);
    expect(emu.receipts[0]!.text).toContain('SER-1');
  });

  it('prints through a USB printer device file (a plain file standing in for /dev/usb/lp0, one-way)', async () => {
    const lp = join(mkdtempSync(join(tmpdir(), 'pos-lp-')), 'lp0');
    writeFileSync(lp, '');
    const hub = createDeviceHub({
      db: tempDb(),
      logger,
      config: { terminalId: 'T04', devices: [{ deviceId: 'usbp', kind: 'printer', uri: `usb:${lp}` }] },
    });
    cleanups.push(() => hub.stop());
    const printed: string[] = [];
    hub.on('printed', (p) => printed.push(p.jobId));
    await hub.start();
    hub.printReceipt(sampleReceipt({ saleNumber: 'USB-1' }), { saleId: 'usb-1' });
    await until(() => printed.length === 1);
    const rb = new ReceiptBuilder();
    for (const op of new EscPosDecoder().push(readFileSync(lp))) rb.apply(op);
    expect(rb.finish(true).text).toContain('USB-1');
    expect(hub.status()[0]).toMatchObject({ id: 'usbp', status: 'ok' });
  });

  it('kicks a separate drawer device with its own pin and pulse, refuses while its printer reports paper out; removes devices', async () => {
    const receipt = new PrinterEmulator({ port: 0 });
    const box = new PrinterEmulator({ port: 0 });
    await receipt.start();
    await box.start();
    cleanups.push(
      () => receipt.stop(),
      () => box.stop(),
    );
    const hub = createDeviceHub({
      db: tempDb(),
      logger,
      config: {
        terminalId: 'T01',
        backoff: { minMs: 50, maxMs: 200 },
        devices: [
          { deviceId: 'printer', kind: 'printer', uri: receipt.uri! },
          { deviceId: 'drawer', kind: 'drawer', uri: box.uri!, options: { pin: 5, pulseMs: 60 } },
        ],
      },
    });
    cleanups.push(() => hub.stop());
    await hub.start();
    await until(() => hub.status().every((d) => d.status === 'ok'));
    expect(await hub.kickDrawer()).toEqual({ deviceId: 'drawer', pin: 5, onMs: 60, offMs: 200 });
    await until(() => box.drawerKicks === 1);
    expect(receipt.drawerKicks).toBe(0);

    box.setStatus({ paperOut: true });
    const refused = await hub.kickDrawer().catch((e: unknown) => e as DeviceHubError);
    expect(refused).toMatchObject({ code: 'PRINTER_NOT_READY', status: 'paper_out' });
    expect((refused as DeviceHubError).details).toEqual({ status: 'paper_out' });
    expect((refused as DeviceHubError).message).toMatch(/out of paper/);
    box.setStatus({ paperOut: false });

    // No scale set up: a clear error, not a hang.
    expect(await hub.readWeight().catch((e: unknown) => (e as DeviceHubError).code)).toBe('SCALE_NOT_CONFIGURED');
    // A test page goes to the receipt printer, not the drawer box.
    const { jobId } = hub.testPrint();
    await until(() => receipt.receipts.length === 1);
    expect(receipt.receipts[0]!.text).toContain('TEST PRINT');
    expect(hub.jobs.get(jobId)?.printerId).toBe('printer');

    expect(await hub.remove('drawer')).toBe(true);
    expect(await hub.remove('drawer')).toBe(false);
    expect(hub.configured().map((c) => c.config.deviceId)).toEqual(['printer']);
    expect((await hub.kickDrawer()).deviceId).toBe('printer');
    await until(() => receipt.drawerKicks === 1);
  });

  it('discovers USB printer device files, HID POS scanners and configured network printers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-usb-'));
    mkdirSync(join(dir, 'usb'));
    writeFileSync(join(dir, 'usb', 'lp0'), '');
    writeFileSync(join(dir, 'usb', 'hiddev0'), '');
    const hid = new MockHidBinding();
    new HidScannerEmulator(hid, 0x0c2e, 0x0b87, 'hid-pos');
    const emu = new PrinterEmulator({ port: 0 });
    await emu.start();
    cleanups.push(() => emu.stop());
    const found = await discoverDevices({
      hid,
      usbDir: join(dir, 'usb'),
      networkPrinters: [emu.uri!, 'tcp://127.0.0.1:1'],
      listSerial: async () => [{ path: '/dev/ttyUSB0', manufacturer: 'FTDI', vendorId: '0403', productId: '6001' }],
    });
    expect(found.map((d) => [d.uri, d.likely, d.reachable ?? null]).sort()).toEqual(
      [
        [`tcp://127.0.0.1:${emu.port}`, 'printer', true],
        ['hid:0c2e:0b87', 'scanner', null],
        ['serial:/dev/ttyUSB0?baud=9600', 'unknown', null],
        ['tcp://127.0.0.1:1', 'printer', false],
        [`usb:${join(dir, 'usb', 'lp0')}`, 'printer', null],
      ].sort(),
    );
  });
});
