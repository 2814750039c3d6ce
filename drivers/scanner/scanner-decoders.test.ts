import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitAim, symbologyName } from './aim';
import { buildKeyboardReports, HidKeyboardDecoder } from './hid-keyboard';
import { buildHidPosReports, parseHidPosReport } from './hid-pos-report';
import { LineAssembler, parseTerminator } from './line-assembler';

describe('HID POS reports (usage page 0x8C)', () => {
  it('reads length, data, AIM id and continuation flag', () => {
    const r = Buffer.alloc(64);
    r[0] = 0x02;
    r[1] = 13;
    Buffer.from('6901234567892').copy(r, 2);
    Buffer.from(']E0').copy(r, 58);
    r[63] = 0;
    expect(parseHidPosReport(r)).toEqual({ data: Buffer.from('6901234567892'), aim: ']E0', more: false });
  });
  it('splits long codes over continued reports and rejects malformed ones', () => {
    const reports = buildHidPosReports('x'.repeat(130), ']Q1');
    expect(reports.map((r) => [r[1], r[63]])).toEqual([
      [56, 1],
      [56, 1],
      [18, 0],
    ]);
    expect(() => parseHidPosReport(Buffer.alloc(10))).toThrow(/too short/);
    const bad = Buffer.alloc(64);
    bad[0] = 2;
    bad[1] = 99;
    expect(() => parseHidPosReport(bad)).toThrow(/exceeds/);
  });
});

describe('HID keyboard usage decoding', () => {
  it('decodes digits, letters with shift, symbols and Enter', () => {
    const d = new HidKeyboardDecoder();
    const out = buildKeyboardReports(']C1Ab-9').flatMap((r) => d.push(r));
    expect(out.map((e) => (e.kind === 'char' ? e.char : e.kind)).join('|')).toBe(']|C|1|A|b|-|9|enter');
  });
  it('counts a key once while held and again after release (repeated digits)', () => {
    const d = new HidKeyboardDecoder();
    const press = Buffer.from([0, 0, 0x1e, 0, 0, 0, 0, 0]);
    const ev = [press, press, Buffer.alloc(8), press].flatMap((r) => d.push(r));
    expect(ev).toEqual([
      { kind: 'char', char: '1' },
      { kind: 'char', char: '1' },
    ]);
  });
  it('round-trips any printable ASCII text', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~'.split('')),
          maxLength: 40,
        }),
        (s) => {
          const d = new HidKeyboardDecoder();
          const ev = buildKeyboardReports(s).flatMap((r) => d.push(r));
          expect(
            ev
              .filter((e) => e.kind === 'char')
              .map((e) => (e as { char: string }).char)
              .join(''),
          ).toBe(s);
        },
      ),
    );
  });
});

describe('line assembler (serial scanners)', () => {
  it('splits at the configured terminator', () => {
    const a = new LineAssembler(parseTerminator('CRLF'));
    expect(a.push(Buffer.from('123\r\n45'))).toEqual([{ ok: true, line: '123' }]);
    expect(a.push(Buffer.from('6\r\n'))).toEqual([{ ok: true, line: '456' }]);
  });
  it('reports garbage and overlong lines, then recovers', () => {
    const a = new LineAssembler('\r', 16);
    const r = a.push(
      Buffer.concat([Buffer.from([0x01, 0xff, 0x41, 0x0d]), Buffer.from('x'.repeat(40)), Buffer.from('\rOK123\r')]),
    );
    expect(r.map((x) => (x.ok ? x.line : x.code))).toEqual(['GARBAGE', 'OVERLONG', 'OK123']);
  });
  it('never throws and always recovers on the next clean line (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (noise) => {
        const a = new LineAssembler('\r', 64);
        a.push(noise);
        const r = a.push(Buffer.from('\r6901234567892\r'));
        expect(r.at(-1)).toEqual({ ok: true, line: '6901234567892' });
      }),
    );
  });
});

describe('AIM ids', () => {
  it('splits and names symbologies', () => {
    expect(splitAim(']E06901234567892')).toEqual({ aim: ']E0', data: '6901234567892' });
    expect(splitAim('6901234567892').aim).toBeNull();
    expect(symbologyName(']Q1')).toBe('QR Code');
    expect(symbologyName(']E4')).toBe('EAN-8');
  });
});

describe('HID POS parser robustness', () => {
  it('either parses or throws HidPosReportError on any report (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (r) => {
        try {
          const f = parseHidPosReport(r);
          expect(f.data.length).toBeLessThanOrEqual(56);
        } catch (e) {
          expect((e as Error).name).toBe('HidPosReportError');
        }
      }),
    );
  });
});
