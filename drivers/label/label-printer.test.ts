// Label printer: a shelf label goes out as TSPL or ZPL over TCP 9100, a serial PTY and a USB
// printer device file, the emulator renders it to PNG, and the test decodes the PNG's barcode
// with its own EAN-13 reader (not bwip-js, which drew it) and reads the text back.
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair } from '../emulators';
import { createTransport } from '../transports';
import {
  encodeTspl,
  encodeZpl,
  LabelPrinter,
  LabelPrinterEmulator,
  shelfLabelJob,
  TsplDecoder,
  ZplDecoder,
  type LabelJob,
} from './index';

// EAN-13 digit patterns (1 = bar), GS1 General Specifications §5.2.1.2.
const L = [
  '0001101',
  '0011001',
  '0010011',
  '0111101',
  '0100011',
  '0110001',
  '0101111',
  '0111011',
  '0110111',
  '0001011',
];
const G = L.map((p) =>
  [...p]
    .reverse()
    .map((c) => (c === '1' ? '0' : '1'))
    .join(''),
);
const R = L.map((p) => [...p].map((c) => (c === '1' ? '0' : '1')).join(''));
const PARITY = ['LLLLLL', 'LLGLGG', 'LLGGLG', 'LLGGGL', 'LGLLGG', 'LGGLLG', 'LGGGLL', 'LGLGLG', 'LGLGGL', 'LGGLGL'];

/** Reads an EAN-13 from one pixel row of a PNG: threshold, module width from the start guard. */
async function decodeEan13(png: Buffer, row: number): Promise<string | null> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const bits: number[] = [];
  for (let x = 0; x < info.width; x++) bits.push(data[row * info.width + x]! < 128 ? 1 : 0);
  const start = bits.indexOf(1);
  if (start < 0) return null;
  let end = start;
  let w = 0;
  while (bits[end] === 1) end++;
  w = end - start; // the first guard bar is one module wide
  const modules: string[] = [];
  for (let i = 0; i < 95; i++) modules.push(String(bits[start + i * w + Math.floor(w / 2)] ?? 0));
  const m = modules.join('');
  if (m.slice(0, 3) !== '101' || m.slice(45, 50) !== '01010' || m.slice(92, 95) !== '101') return null;
  let parity = '';
  let digits = '';
  for (let i = 0; i < 6; i++) {
    const p = m.slice(3 + i * 7, 10 + i * 7);
    const l = L.indexOf(p);
    const g = G.indexOf(p);
    if (l < 0 && g < 0) return null;
    digits += l >= 0 ? l : g;
    parity += l >= 0 ? 'L' : 'G';
  }
  for (let i = 0; i < 6; i++) {
    const r = R.indexOf(m.slice(50 + i * 7, 57 + i * 7));
    if (r < 0) return null;
    digits += r;
  }
  const first = PARITY.indexOf(parity);
  return first < 0 ? null : String(first) + digits;
}

const milk = {
  name: '有机牛奶 1L',
  price: 1850,
  unit: 'each' as const,
  perKgPrice: 1800,
  origin: '内蒙古',
  memberPrice: 1680,
  barcode: '6901234567892',
};

function texts(job: LabelJob): string[] {
  return job.elements.flatMap((e) => (e.kind === 'text' ? [e.text] : []));
}

function barcodeRow(job: LabelJob): number {
  const b = job.elements.find((e) => e.kind === 'barcode');
  if (!b || b.kind !== 'barcode') throw new Error('no barcode');
  return b.y + Math.floor(b.height / 2);
}

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** An emulator on a free TCP port, stopped after the test. */
async function tcpEmulator(): Promise<LabelPrinterEmulator> {
  const emu = new LabelPrinterEmulator({ port: 0 });
  await emu.start();
  cleanup.push(() => emu.stop());
  return emu;
}
/** A raw connection to it (the printer language is chosen per connection by its first byte). */
async function connectRaw(emu: LabelPrinterEmulator): Promise<ReturnType<typeof createTransport>> {
  const t = createTransport(emu.uri!);
  await t.open();
  cleanup.push(() => t.close());
  return t;
}

describe('label printer', () => {
  it('prints a TSPL shelf label over TCP 9100; the emulator renders a PNG whose barcode decodes', async () => {
    const emu = await tcpEmulator();
    const printer = new LabelPrinter(createTransport(emu.uri!), { language: 'tspl' });
    cleanup.push(() => printer.close());
    const job = shelfLabelJob(milk, 2);
    await printer.print([job]);
    await expect.poll(() => emu.labels.length, { timeout: 10_000 }).toBe(1);
    await emu.idle();
    const printed = emu.labels[0]!;
    expect(printed.language).toBe('tspl');
    expect(printed.job.copies).toBe(2);
    expect(texts(printed.job)).toEqual([
      '有机牛奶 1L',
      '￥18.50',
      '单位 元/个',
      '折合 ￥18.00/kg',
      '产地 内蒙古',
      '会员价 ￥16.80',
    ]);
    expect(printed.png.subarray(1, 4).toString()).toBe('PNG');
    expect(await decodeEan13(printed.png, barcodeRow(printed.job))).toBe('6901234567892');
  });

  it('prints ZPL over a serial line (PTY) and reads the same label back', async () => {
    const pty = await createPtyPair();
    cleanup.push(() => pty.close());
    const emu = new LabelPrinterEmulator({ port: null, serialPath: pty.a });
    await emu.start();
    cleanup.push(() => emu.stop());
    const printer = new LabelPrinter(createTransport(`serial:${pty.b}?baud=9600`), { language: 'zpl' });
    cleanup.push(() => printer.close());
    const loose = { name: '散装香蕉', price: 698, unit: 'kg' as const, origin: '海南', barcode: '2100023' };
    const job = shelfLabelJob(loose);
    await printer.print([job]);
    await expect.poll(() => emu.labels.length, { timeout: 10_000 }).toBe(1);
    const printed = emu.labels[0]!;
    expect(printed.language).toBe('zpl');
    expect(printed.job).toEqual(job);
    expect(texts(printed.job)).toContain('单位 元/kg');
    expect(printed.job.elements.find((e) => e.kind === 'barcode')).toMatchObject({
      symbology: 'CODE128',
      data: '2100023',
    });
  });

  it('writes to a USB printer device file; the bytes decode to the same job', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-label-usb-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'lp0');
    writeFileSync(file, '');
    const printer = new LabelPrinter(createTransport(`usb:${file}`), { language: 'tspl' });
    cleanup.push(() => printer.close());
    const job = shelfLabelJob(milk);
    await printer.print([job]);
    const jobs = new TsplDecoder().push(readFileSync(file));
    expect(jobs).toEqual([job]);
  });

  it('refuses to print while the head is open (TSPL status query) and prints once it is closed', async () => {
    const emu = await tcpEmulator();
    emu.status.headOpen = true;
    const printer = new LabelPrinter(createTransport(emu.uri!), { language: 'tspl' });
    cleanup.push(() => printer.close());
    await expect(printer.print([shelfLabelJob(milk)])).rejects.toMatchObject({ code: 'LABEL_HEAD_OPEN' });
    emu.status.headOpen = false;
    await printer.print([shelfLabelJob(milk)]);
    await expect.poll(() => emu.labels.length, { timeout: 10_000 }).toBe(1);
  });

  it('TSPL and ZPL round-trip any text (quotes, commas, carets, tildes, underscores, CJK)', () => {
    const text = fc
      .string({ minLength: 1, maxLength: 30, unit: fc.constantFrom(...'ab"c,^~_ 价签牛奶￥1.'.split('')) })
      .filter((s) => s.trim() === s && s.length > 0);
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 3 }), (t, m) => {
        const job: LabelJob = {
          widthDots: 480,
          heightDots: 320,
          copies: 1,
          elements: [{ kind: 'text', x: 8, y: 8, size: 24 * m, text: t }],
        };
        expect(new TsplDecoder().push(encodeTspl(job))).toEqual([job]);
        expect(new ZplDecoder().push(encodeZpl(job))).toEqual([job]);
      }),
    );
  });

  it('keeps running on junk: a bad command is noted, the next label still prints', async () => {
    const emu = await tcpEmulator();
    const t = await connectRaw(emu);
    await t.write(Buffer.from('TEXT 1,2\r\nBARCODE 1,1,"QR",1,1,0,1,1,"x"\r\n'));
    await t.write(encodeTspl(shelfLabelJob(milk)));
    await expect.poll(() => emu.labels.length, { timeout: 10_000 }).toBe(1);
    expect(emu.errors.length).toBeGreaterThan(0);
  });

  it('refuses a label size no printer has (2 m square, 256 M pixels) at once; the next label prints', async () => {
    const emu = await tcpEmulator();
    const t = await connectRaw(emu);
    const started = Date.now();
    await t.write(Buffer.from('SIZE 2000 mm,2000 mm\r\nCLS\r\nTEXT 10,10,"TSS24.BF2",0,1,1,"x"\r\nPRINT 1,1\r\n'));
    await t.write(encodeTspl(shelfLabelJob(milk)));
    // ZPL on its own connection (the language is chosen per connection): a width of 0.
    await (await connectRaw(emu)).write(Buffer.from('^XA^PW0^LL320^FO10,10^FDx^FS^XZ'));
    await expect.poll(() => emu.labels.length, { timeout: 10_000 }).toBe(1);
    await emu.idle();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(emu.labels[0]!.job.widthDots).toBeLessThanOrEqual(2_400);
    expect(emu.errors.filter((e) => e.includes('label size')).length).toBe(2);
  });
});
