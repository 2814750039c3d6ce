import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyRealtimeStatus,
  encodeAsb,
  encodePaperReply,
  encodeRealtimeReply,
  parseAsb,
  readyToPrint,
  statusCode,
  statusMessage,
  StatusReplyParser,
  UNKNOWN_STATUS,
  type PrinterStatus,
} from './status';

const statusArb = fc.record({
  online: fc.boolean(),
  coverOpen: fc.boolean(),
  paperNearEnd: fc.boolean(),
  paperOut: fc.boolean(),
  drawerOpen: fc.boolean(),
  error: fc.boolean(),
});

describe('printer status', () => {
  it('parses DLE EOT replies (Epson reference values)', () => {
    let s: PrinterStatus = { ...UNKNOWN_STATUS };
    s = applyRealtimeStatus(s, 1, 0x16); // online, drawer pin high
    expect(s.online).toBe(true);
    s = applyRealtimeStatus(s, 2, 0x16); // cover open
    expect(s.coverOpen).toBe(true);
    s = applyRealtimeStatus(s, 4, 0x7e); // near end + paper out
    expect(s.paperOut && s.paperNearEnd).toBe(true);
    expect(statusCode(s)).toBe('cover_open');
    s = applyRealtimeStatus(s, 1, 0x1e);
    expect(s.online).toBe(false);
  });

  it('round-trips DLE EOT and ASB for every status', () => {
    fc.assert(
      fc.property(statusArb, (st) => {
        let s: PrinterStatus = { ...UNKNOWN_STATUS };
        for (const n of [1, 2, 4] as const) s = applyRealtimeStatus(s, n, encodeRealtimeReply(n, st));
        expect({ ...s, error: st.error }).toEqual(st);
        expect(parseAsb(encodeAsb(st))).toEqual(st);
      }),
    );
  });

  it('splits a mixed reply stream: DLE EOT, ASB packets and GS r', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('rt', 'asb', 'paper'), statusArb), { maxLength: 20 }),
        fc.integer({ min: 1, max: 7 }),
        (items, chunk) => {
          const bytes: number[] = [];
          for (const [k, st] of items) {
            if (k === 'rt') bytes.push(encodeRealtimeReply(2, st));
            else if (k === 'asb') bytes.push(...encodeAsb(st));
            else bytes.push(encodePaperReply(st));
          }
          const p = new StatusReplyParser();
          const got: string[] = [];
          for (let i = 0; i < bytes.length; i += chunk)
            for (const r of p.push(Uint8Array.from(bytes.slice(i, i + chunk))))
              got.push(r.kind === 'realtime' ? 'rt' : r.kind);
          expect(got).toEqual(items.map(([k]) => k));
        },
      ),
    );
  });

  it('has a plain English message for each condition (the till translates the code)', () => {
    expect(statusMessage('cover_open')).toBe('Printer cover is open. Close the cover to continue.');
    expect(statusMessage('paper_out')).toContain('out of paper');
    expect(statusCode({ ...UNKNOWN_STATUS, online: true }, false)).toBe('disconnected');
    expect(readyToPrint({ ...UNKNOWN_STATUS, online: true, paperNearEnd: true })).toBe(true);
    expect(readyToPrint({ ...UNKNOWN_STATUS, online: true, paperOut: true })).toBe(false);
  });
});
