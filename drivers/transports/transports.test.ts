import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDeviceUri } from './device-uri';
import { createTransport } from './open-transport';
import { MockTransport } from './mock-transport';

describe('device URIs', () => {
  it('parses the four exact forms', () => {
    expect(parseDeviceUri('tcp://192.168.1.87:9100')).toMatchObject({
      scheme: 'tcp',
      host: '192.168.1.87',
      port: 9100,
    });
    expect(parseDeviceUri('tcp://printer.local')).toMatchObject({ port: 9100 });
    expect(parseDeviceUri('serial:/dev/ttyUSB0?baud=9600')).toMatchObject({
      scheme: 'serial',
      path: '/dev/ttyUSB0',
      baud: 9600,
    });
    expect(parseDeviceUri('serial:/dev/ttyS1?baud=115200&terminator=CRLF')).toMatchObject({
      baud: 115200,
      params: { terminator: 'CRLF' },
    });
    expect(parseDeviceUri('usb:/dev/usb/lp0')).toMatchObject({ scheme: 'usb', path: '/dev/usb/lp0' });
    expect(parseDeviceUri('hid:05e0:1200')).toMatchObject({ scheme: 'hid', vendorId: 0x05e0, productId: 0x1200 });
  });
  it('rejects typos with a clear error', () => {
    for (const bad of [
      'tcp://host:99999',
      'serial:ttyUSB0',
      'serial:/dev/ttyUSB0?baud=9601',
      'usb:lp0',
      'hid:05e0',
      'hid:xyz:1',
      'lpt1:',
    ]) {
      expect(() => parseDeviceUri(bad)).toThrow(/Invalid device URI/);
    }
  });
});

describe('USB printer device file transport', () => {
  it('writes to a regular file standing in for /dev/usb/lp0', async () => {
    const f = join(mkdtempSync(join(tmpdir(), 'pos-lp-')), 'lp0');
    writeFileSync(f, '');
    const t = createTransport(`usb:${f}`);
    await t.open();
    await t.write(Buffer.from([0x1b, 0x40]));
    await t.write(Buffer.from('hi\n'));
    await t.close();
    expect(readFileSync(f).toString('hex')).toBe('1b4068690a');
  });
  it('writes to a FIFO (a reader on the other end, like the usblp driver)', async () => {
    const f = join(mkdtempSync(join(tmpdir(), 'pos-lp-')), 'lp1');
    execFileSync('mkfifo', [f]);
    const chunks: Buffer[] = [];
    const t = createTransport(`usb:${f}`);
    await t.open();
    const reader = createReadStream(f);
    reader.on('data', (d) => chunks.push(d as Buffer));
    await t.write(Buffer.from('ESC/POS'));
    await t.close();
    await new Promise<void>((r) => reader.on('close', () => r()));
    expect(Buffer.concat(chunks).toString()).toBe('ESC/POS');
  });
  it('fails clearly when the device file is missing (printer unplugged)', async () => {
    await expect(createTransport('usb:/nonexistent/lp9').open()).rejects.toThrow(/ENOENT/);
  });
});

describe('mock transport (test binding)', () => {
  it('records writes, plays device bytes and simulates unplug', async () => {
    const m = new MockTransport();
    const got: Buffer[] = [];
    const closed: (Error | null)[] = [];
    m.on('data', (d) => got.push(d));
    m.on('close', (e) => closed.push(e));
    await m.open();
    await m.write(Buffer.from('a'));
    m.feed('b');
    m.unplug();
    await expect(m.write(Buffer.from('c'))).rejects.toThrow(/not connected/);
    expect([m.allWritten().toString(), Buffer.concat(got).toString(), closed.length]).toEqual(['a', 'b', 1]);
  });
});
