import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import * as cmd from './commands';
import { encodeReceipt, columnsFor } from './encode-receipt';
import { EscPosDecoder } from './decoder';
import { sampleReceipt } from './sample-receipt';
import { ReceiptBuilder, displayWidth } from '../emulators';

const hex = (b: Buffer) => b.toString('hex');

describe('ESC/POS command goldens (byte-exact)', () => {
  it('init is ESC @', () => expect(hex(cmd.init())).toBe('1b40'));
  it('code page is ESC t n', () => {
    expect(hex(cmd.codePage(0))).toBe('1b7400');
    expect(hex(cmd.codePage(16))).toBe('1b7410');
  });
  it('Chinese mode is FS & / FS .', () => {
    expect(hex(cmd.chineseModeOn())).toBe('1c26');
    expect(hex(cmd.chineseModeOff())).toBe('1c2e');
    expect(hex(cmd.kanjiCodeSystem(0))).toBe('1c4300');
  });
  it('QR is GS ( k: model 2, size, level, store, print', () => {
    expect(hex(cmd.qrCode('ABC', { size: 4, level: 'M' }))).toBe(
      '1d286b0400314132001d286b03003143041d286b03003145311d286b0600315030414243' + '1d286b0300315130',
    );
  });
  it('QR store length is little-endian over 255 bytes', () => {
    const q = cmd.qrCode('x'.repeat(300));
    const store = q.indexOf(Buffer.from([0x31, 0x50, 0x30]));
    expect([q[store - 2], q[store - 1]]).toEqual([303 & 0xff, 303 >> 8]);
    expect(() => cmd.qrCode('')).toThrow(RangeError);
  });
  it('cut is GS V m n', () => {
    expect(hex(cmd.cut('partial', 0))).toBe('1d564200');
    expect(hex(cmd.cut('full', 3))).toBe('1d564103');
  });
  it('drawer kick is ESC p m t1 t2 with configurable pin and pulse', () => {
    expect(hex(cmd.drawerKick(2, 100, 200))).toBe('1b70003264');
    expect(hex(cmd.drawerKick(5, 50, 50))).toBe('1b70011919');
    expect(hex(cmd.drawerKick(2, 10_000, 0))).toBe('1b7000ffff');
  });
  it('status queries', () => {
    expect(hex(cmd.realtimeStatus(1))).toBe('100401');
    expect(hex(cmd.automaticStatusBack(0x0f))).toBe('1d610f');
    expect(hex(cmd.transmitPaperStatus())).toBe('1d7201');
  });
});

describe('encodeReceipt', () => {
  const doc = sampleReceipt({ lines: 8, saleNumber: 'T01-000777' });

  it('starts with init, prints Chinese in FS & mode as GB18030, ends cut + ack', () => {
    const b = encodeReceipt(doc, { width: 80 });
    expect(hex(b.subarray(0, 2))).toBe('1b40');
    expect(b.includes(Buffer.from([0x1d, 0x61, 0x00]))).toBe(false); // ASB stays on
    expect(b.includes(Buffer.concat([cmd.codePage(0), cmd.chineseModeOn()]))).toBe(true);
    expect(b.includes(iconv.encode('鲜生活超市', 'gb18030'))).toBe(true);
    expect(b.includes(cmd.qrCode('T01-000777', { size: 4, level: 'M' }))).toBe(true);
    expect(hex(b.subarray(b.length - 7))).toBe('1d5642001d7201');
    expect(b.includes(Buffer.from([0x1b, 0x70]))).toBe(false);
  });

  it('adds the drawer kick between cut and acknowledgement', () => {
    const b = encodeReceipt(doc, { width: 58, drawerKick: { pin: 5, onMs: 60, offMs: 120 } });
    expect(hex(b.subarray(b.length - 12))).toBe('1d5642001b70011e3c1d7201');
  });

  it.each([58, 80] as const)('lays out %i mm receipts within the paper width', (width) => {
    const ops = new EscPosDecoder().push(encodeReceipt(doc, { width }));
    const rb = new ReceiptBuilder();
    ops.forEach((o) => rb.apply(o));
    const r = rb.finish(true);
    expect(r.text).toContain('谢谢惠顾');
    expect(r.text).toContain('T01-000777');
    for (const l of r.lines)
      if (!l.qr && l.size === 0) expect(displayWidth(l.text)).toBeLessThanOrEqual(columnsFor(width));
  });

  it('marks reprints on paper, without doubling a mark the document already has', () => {
    const text = (b: Buffer) =>
      new EscPosDecoder()
        .push(b)
        .filter((o) => o.op === 'text')
        .map((o) => (o as { text: string }).text)
        .join('');
    const t = text(encodeReceipt(doc, { reprint: true }));
    expect(t.match(/REPRINT/g)?.length).toBe(2);
    const already = text(encodeReceipt({ receiptline: `^^^重印 REPRINT\n${doc}`, reprint: true }));
    expect(already.match(/REPRINT/g)?.length).toBe(1);
    const chineseOnly = text(encodeReceipt({ receiptline: `^^^重打小票\n${doc}`, reprint: true }));
    expect([chineseOnly.match(/REPRINT/g)?.length, chineseOnly.match(/重打小票/g)?.length]).toEqual([1, 1]);
    expect(text(encodeReceipt(doc))).not.toContain('REPRINT');
  });

  it('supports cp936 (GBK) for older printers', () => {
    const b = encodeReceipt('中文 GBK', { encoding: 'cp936' });
    expect(b.includes(iconv.encode('中文', 'cp936'))).toBe(true);
  });
});
