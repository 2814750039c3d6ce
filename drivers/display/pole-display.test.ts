// Pole display over a real PTY pair: the bytes that reach the display are checked exactly.
import { SerialPort } from 'serialport';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { createPtyPair } from '../emulators';
import { createTransport } from '../transports';
import { fitColumns, PoleDisplay } from './pole-display';

describe('2x20 pole display', () => {
  it('fits text to 20 columns, CJK as two columns', () => {
    expect(fitColumns('TOTAL', 20, false)).toBe('TOTAL' + ' '.repeat(15));
    expect(fitColumns('合计 ¥12.50', 20, true)).toBe('合计 ¥12.50' + ' '.repeat(9));
    expect(fitColumns('苹果'.repeat(20), 20, true)).toBe('苹果'.repeat(5));
    expect(fitColumns('苹果 1.00', 20, false)).toBe('?? 1.00' + ' '.repeat(13));
  });

  it('sends init, clear, cursor and GB18030 lines over serial', async () => {
    const pty = await createPtyPair();
    const far = new SerialPort({ path: pty.a, baudRate: 9600 });
    const got: Buffer[] = [];
    far.on('data', (d: Buffer) => got.push(d));
    await new Promise((r) => far.once('open', r));
    const d = new PoleDisplay('disp', createTransport(`serial:${pty.b}?baud=9600`), { cjk: true });
    await d.start('till');
    await d.show('苹果 Apple', '¥12.50');
    const expected = Buffer.concat([
      Buffer.from('1b400c', 'hex'),
      Buffer.from('1f240101', 'hex'), iconv.encode('苹果 Apple' + ' '.repeat(10), 'gb18030'),
      Buffer.from('1f240102', 'hex'), iconv.encode('¥12.50' + ' '.repeat(14), 'gb18030'),
    ]);
    const end = Date.now() + 2000;
    while (Buffer.concat(got).length < expected.length && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(Buffer.concat(got).toString('hex')).toBe(expected.toString('hex'));
    await d.close();
    await new Promise((r) => far.close(r));
    await pty.close();
  });
});
