// Fuzz channels 4 and 5 (docs/fuzzing.md), the parts that need no till: random and mutated
// device bytes into the pure decoders (ESC/POS, scale weight frames, HID POS and HID keyboard
// scanner reports, the serial line assembler, the pole display, the keyboard-wedge detector),
// random bytes over real TCP sockets into the printer and pole display emulators, and random and
// mutated barcodes into parseBarcode. Invariants: a decoder throws nothing but its coded error
// (and only where its contract says it throws at all), the emulators keep answering, and
// parseBarcode never throws and never reports a price or weight that is not a safe integer ≥ 0.
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { gs1CheckDigit, parseBarcode } from '../../app/core/barcode';
import { WedgeDetector } from '../../app/renderer/src/input';
import { PoleDisplayEmulator, PoleDisplayScreen } from '../../drivers/display';
import { PrinterEmulator } from '../../drivers/emulators';
import { EscPosDecoder } from '../../drivers/escpos';
import { parseWeightFrame, WeightFrameError, formatWeightFrame } from '../../drivers/scale';
import {
  buildHidPosReports,
  HidKeyboardDecoder,
  HidPosReportError,
  LineAssembler,
  parseHidPosReport,
} from '../../drivers/scanner';
import { draw, FuzzCounts, scaled } from './fuzz-support';

const counts = new FuzzCounts('device-bytes');
afterAll(() => counts.report());

const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));
/** ESC/POS-looking streams: real command prefixes with random arguments, text and noise. */
const escposish = fc
  .array(
    fc.oneof(
      fc
        .constantFrom(
          [0x1b, 0x40],
          [0x1d, 0x56, 0x00],
          [0x1d, 0x28, 0x6b],
          [0x1b, 0x70],
          [0x10, 0x04],
          [0x1d, 0x61],
          [0x1d, 0x76, 0x30, 0x00],
          [0x1d, 0x38, 0x4c],
          [0x1c, 0x26],
          [0x1d, 0x6b],
          [0x1b, 0x2a],
        )
        .map((a) => Buffer.from(a)),
      bytes(24),
      fc.string({ maxLength: 20 }).map((s) => Buffer.from(s, 'utf8')),
    ),
    { maxLength: 12 },
  )
  .map((parts) => Buffer.concat(parts));

function expectOnly(channel: string, fn: () => void, allowed: ((e: unknown) => boolean) | null, input: unknown): void {
  try {
    fn();
  } catch (e) {
    if (!allowed || !allowed(e)) counts.fail(channel, `threw ${(e as Error)?.name}: ${(e as Error)?.message}`, input);
  }
}

/** A fresh connection's real-time status query (DLE EOT 1) gets its one-byte answer. */
function printerAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    const t = setTimeout(() => {
      sock.destroy();
      resolve(false);
    }, 5000);
    sock.on('error', () => {
      clearTimeout(t);
      resolve(false);
    });
    sock.on('data', () => {
      clearTimeout(t);
      sock.destroy();
      resolve(true);
    });
    sock.on('connect', () => sock.write(Buffer.from([0x10, 0x04, 0x01])));
  });
}

describe('fuzz: device bytes into the decoders', () => {
  it('ESC/POS decoder, pole display, line assembler: any bytes, any split, never throw', () => {
    const cases = draw('escpos', fc.tuple(fc.oneof(escposish, bytes(300)), fc.nat()), scaled(12_000));
    for (const [b, cut] of cases) {
      const at = b.length ? cut % b.length : 0;
      expectOnly(
        'escpos',
        () => {
          const d = new EscPosDecoder();
          d.push(b.subarray(0, at));
          d.push(b.subarray(at));
        },
        null,
        b.toString('hex'),
      );
      expectOnly(
        'pole',
        () => {
          const s = new PoleDisplayScreen(cut % 2 === 0);
          s.feed(b.subarray(0, at));
          s.feed(b.subarray(at));
          if (s.lines().length !== 2) throw new Error('lost a row');
        },
        null,
        b.toString('hex'),
      );
      expectOnly(
        'line',
        () => {
          const l = new LineAssembler(['\r', '\n', '\r\n', '\x03'][cut % 4]!, 64);
          for (const r of [...l.push(b.subarray(0, at)), ...l.push(b.subarray(at))])
            if (!r.ok && !['OVERLONG', 'GARBAGE'].includes(r.code)) throw new Error('bad code');
        },
        null,
        b.toString('hex'),
      );
      counts.add('device.escpos');
      counts.add('device.pole');
      counts.add('device.line');
    }
  });

  it('weight frames and scanner reports throw only their coded errors', () => {
    const frame = fc.oneof(
      fc
        .record({
          stable: fc.boolean(),
          overload: fc.boolean(),
          net: fc.boolean(),
          grams: fc.integer({ min: -99_999, max: 9_999_999 }),
        })
        .map((f) => formatWeightFrame(f)),
      fc
        .tuple(
          fc.constantFrom('ST', 'US', 'OL', 'XX'),
          fc.constantFrom('GS', 'NT', ''),
          fc.constantFrom('+', '-', ''),
          fc.string({ unit: fc.constantFrom(...'0123456789. '), maxLength: 12 }),
          fc.constantFrom('kg', 'g', 'lb', 'oz', 'KG', ''),
        )
        .map((p) => `${p[0]},${p[1]},${p[2]}${p[3]}${p[4]}`),
      fc.string({ maxLength: 40 }),
    );
    for (const f of draw('scale', frame, scaled(12_000))) {
      expectOnly(
        'scale',
        () => {
          const w = parseWeightFrame(f);
          if (!Number.isSafeInteger(w.grams)) throw new Error(`grams ${w.grams} is not an integer`);
        },
        (e) => e instanceof WeightFrameError && e.code === 'SCALE_FRAME_INVALID',
        f,
      );
      counts.add('device.scale');
    }
    const report = fc.oneof(
      bytes(80),
      fc.tuple(fc.string({ maxLength: 120 }), fc.nat()).map(([s, n]) => {
        const r = buildHidPosReports(s, ']E0');
        const x = Buffer.from(r[n % r.length]!);
        x[n % 64] = n & 0xff;
        return x;
      }),
    );
    const kb = new HidKeyboardDecoder();
    for (const r of draw('scanner', report, scaled(12_000))) {
      expectOnly(
        'hid-pos',
        () => parseHidPosReport(r),
        (e) => e instanceof HidPosReportError && e.code === 'SCANNER_REPORT_INVALID',
        r.toString('hex'),
      );
      // The keyboard decoder's contract: reports under 8 bytes are refused (the scanner driver catches it).
      expectOnly(
        'hid-keyboard',
        () => kb.push(r),
        (e) => r.length < 8 && e instanceof Error && /too short/.test(e.message),
        r.toString('hex'),
      );
      counts.add('device.hid-pos');
      counts.add('device.hid-keyboard');
    }
  });

  it('keyboard-wedge detector: any key stream, never throws, a scan is at least minLength', () => {
    const key = fc.record({
      key: fc.oneof(
        fc.string({ minLength: 1, maxLength: 1 }),
        fc.constantFrom('Enter', 'Tab', 'Shift', 'Process', 'Dead', 'Backspace', 'Unidentified', ''),
      ),
      gap: fc.oneof(fc.nat(15), fc.nat(2000), fc.integer({ min: -50, max: 0 })),
      ctrl: fc.boolean(),
      repeat: fc.boolean(),
      composing: fc.boolean(),
    });
    const cfg = fc.record({
      prefix: fc.constantFrom('', ']', '~'),
      suffix: fc.constantFrom('', '\r', '\n', '\t', '#'),
      maxInterKeyMs: fc.integer({ min: 1, max: 100 }),
      minLength: fc.nat(14),
    });
    for (const [c, keys] of draw('wedge', fc.tuple(cfg, fc.array(key, { maxLength: 40 })), scaled(4_000))) {
      expectOnly(
        'wedge',
        () => {
          const w = new WedgeDetector(c);
          let t = 1000;
          for (const k of keys) {
            t += k.gap;
            const step = w.key({
              key: k.key,
              time: t,
              ctrl: k.ctrl && k.gap % 3 === 0,
              repeat: k.repeat && k.gap % 5 === 0,
              composing: k.composing && k.gap % 7 === 0,
            });
            if (step.scan !== null && step.scan.length < Math.max(1, c.minLength))
              throw new Error(`scan "${step.scan}" shorter than minLength ${c.minLength}`);
            w.flush(t);
          }
        },
        null,
        { c, keys },
      );
      counts.add('device.wedge', keys.length + 1);
    }
  });

  // The emulators run in this process: a decoder that spins freezes the test with it, past its
  // timeout (it was skipped for that until the GS 8 L fix, docs/fuzzing.md "Found so far").
  it('printer and pole display emulators take random bytes over TCP and keep answering', async () => {
    const printer = new PrinterEmulator({ port: 0 });
    const pole = new PoleDisplayEmulator({ port: 0 });
    await printer.start();
    await pole.start();
    try {
      const chunks = draw(
        'tcp',
        fc.array(fc.oneof(escposish, bytes(200)), { minLength: 1, maxLength: 8 }),
        scaled(600),
      );
      for (const [n, parts] of chunks.entries()) {
        const port = n % 2 === 0 ? printer.port! : Number(new URL(pole.uri!).port);
        const answered =
          (await new Promise<boolean>((resolve) => {
            const sock = connect(port, '127.0.0.1');
            sock.on('error', () => resolve(false));
            sock.on('connect', () => {
              for (const p of parts) sock.write(p);
              setTimeout(() => {
                sock.destroy();
                resolve(true);
              }, 2);
            });
          })) &&
          (n % 2 === 1 || (await printerAnswers(printer.port!)));
        counts.add('device.tcp', parts.length);
        if (!answered)
          counts.fail(
            'tcp',
            `${n % 2 === 0 ? 'printer' : 'pole display'} emulator stopped answering`,
            parts.map((p) => p.toString('hex')),
          );
      }
      expect(pole.lines()).toHaveLength(2);
    } finally {
      await printer.stop();
      await pole.stop();
    }
  }, 120_000);
});

describe('fuzz: barcodes into parseBarcode', () => {
  it('never throws; prices and weights it reports are safe non-negative integers', () => {
    const digits = (min: number, max = min) =>
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
    const ai = fc.tuple(
      fc.constantFrom('01', '10', '17', '21', '3100', '3103', '3922', '3923', '3932', '393', '8200', '99', '00'),
      fc.oneof(digits(0, 20), fc.string({ maxLength: 12 })),
    );
    const code = fc.oneof(
      fc.oneof(digits(7), digits(11), digits(12), digits(13)).map((d) => d + gs1CheckDigit(d)),
      fc
        .tuple(
          fc.constantFrom('', ']C1', ']d2', ']Q3', ']e0', ']E0'),
          fc.array(ai, { maxLength: 5 }),
          fc.constantFrom('\u001d', '', '('),
        )
        .map(
          ([aim, ais, sep]) =>
            aim + ais.map(([a, v]) => (sep === '(' ? `(${a})${v}` : a + v)).join(sep === '(' ? '' : sep),
        ),
      fc
        .tuple(
          fc.constantFrom('https://id.gs1.org', 'http://x', 'https://a.b/c/d', 'HTTPS://ID.GS1.ORG', 'https://%zz'),
          fc.array(ai, { maxLength: 4 }),
        )
        .map(
          ([h, ais]) =>
            `${h}/${ais.map(([a, v]) => `${a}/${encodeURIComponent(v)}`).join('/')}?${ais.map(([a, v]) => `${a}=${v}`).join('&')}`,
        ),
      fc.tuple(fc.constantFrom('2', '20', '21', '25', '29', '02', '04'), digits(0, 12)).map(([p, d]) => p + d),
      fc.string({ maxLength: 600 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
    );
    for (const c of draw('parse-barcode', code, scaled(40_000))) {
      let r: ReturnType<typeof parseBarcode> | undefined;
      expectOnly(
        'parse-barcode',
        () => {
          r = parseBarcode(c);
        },
        null,
        c,
      );
      counts.add('barcode.parse');
      if (r?.ok && 'price' in r && r.price !== undefined && !(Number.isSafeInteger(r.price) && r.price >= 0))
        counts.fail('parse-barcode', `price ${r.price}`, c);
      if (
        r?.ok &&
        'weightGrams' in r &&
        r.weightGrams !== undefined &&
        !(Number.isSafeInteger(r.weightGrams) && r.weightGrams >= 0)
      )
        counts.fail('parse-barcode', `weight ${r.weightGrams}`, c);
    }
    expect(counts.failures, counts.failures.join('\n')).toEqual([]);
  });

  it('device decoders kept their invariants', () => {
    expect(counts.failures, counts.failures.join('\n')).toEqual([]);
  });
});
