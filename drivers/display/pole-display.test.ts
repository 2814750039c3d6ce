// Pole display over a real PTY pair: the bytes that reach the display are checked exactly.
import { SerialPort } from 'serialport';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { createPtyPair } from '../emulators';
import { createTransport } from '../transports';
import { fitColumns, PoleDisplay, twoColumns } from './pole-display';
import { PoleDisplayEmulator, PoleDisplayScreen } from './pole-display-emulator';

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
      Buffer.from('1f240101', 'hex'),
      iconv.encode('苹果 Apple' + ' '.repeat(10), 'gb18030'),
      Buffer.from('1f240102', 'hex'),
      iconv.encode('¥12.50' + ' '.repeat(14), 'gb18030'),
    ]);
    const end = Date.now() + 2000;
    while (Buffer.concat(got).length < expected.length && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(Buffer.concat(got).toString('hex')).toBe(expected.toString('hex'));
    await d.close();
    await new Promise((r) => far.close(r));
    await pty.close();
  });

  it('lays out name and price in one row, the price kept whole', () => {
    expect(twoColumns('Apple x2', '12.50', 20, false)).toBe('Apple x2       12.50');
    expect(twoColumns('苹果（红富士）精品大果', '￥12.50', 20, true)).toBe('苹果（红富士 ￥12.50');
    expect(twoColumns('A very long English product name', '1,234.50', 20, false)).toBe('A very long 1,234.50');
  });

  it('the emulator screen decodes init, clear, cursor, GB18030 and split sequences', () => {
    const s = new PoleDisplayScreen(true);
    const bytes = Buffer.concat([
      Buffer.from('1b400c', 'hex'),
      Buffer.from('1f240102', 'hex'),
      iconv.encode('合计 TOTAL  ￥25.00', 'gb18030'),
      Buffer.from('1f240101', 'hex'),
      iconv.encode('苹果 Apple', 'gb18030'),
    ]);
    // Byte by byte: every multi-byte command and character arrives split.
    for (const b of bytes) s.feed(Buffer.from([b]));
    expect(s.lines()).toEqual(['苹果 Apple' + ' '.repeat(10), '合计 TOTAL  ￥25.00 ']);
    expect(s.commands).toEqual(['init', 'clear', 'cursor 1,2', 'cursor 1,1']);
    const ascii = new PoleDisplayScreen(false);
    ascii.feed(Buffer.concat([Buffer.from('1f240101', 'hex'), Buffer.from('TOTAL 9.90\xff', 'latin1')]));
    expect(ascii.lines()[0]).toBe('TOTAL 9.90?' + ' '.repeat(9));
  });

  it('a PoleDisplay over TCP reaches the emulator, which shows both rows', async () => {
    const emu = new PoleDisplayEmulator({ port: 0, cjk: false });
    await emu.start();
    const d = new PoleDisplay('disp', createTransport(emu.uri!), { cjk: false });
    await d.start('till');
    expect(d.ready).toBe(true);
    await d.show(twoColumns('Milk 250ml x2', '7.00', 20, false), twoColumns('TOTAL', '7.00', 20, false));
    const lines = await emu.waitFor((l) => l[1]!.startsWith('TOTAL'));
    expect(lines).toEqual(['Milk 250ml x2   7.00', 'TOTAL           7.00']);
    await d.close();
    await emu.stop();
  });
});
