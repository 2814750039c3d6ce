import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EscPosDecoder, type EscPosOp } from './decoder';
import { encodeReceipt } from './encode-receipt';
import { sampleReceipt } from './sample-receipt';

describe('EscPosDecoder', () => {
  it('never throws on arbitrary bytes and keeps at most one unfinished command', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const d = new EscPosDecoder();
        d.push(bytes);
        expect(d.pending).toBeLessThanOrEqual(bytes.length);
      }),
    );
  });

  it('decodes the same ops however the stream is chunked', () => {
    const bytes = encodeReceipt(sampleReceipt({ lines: 5 }), { width: 58, drawerKick: {} });
    const whole = new EscPosDecoder().push(bytes);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), (n) => {
        const d = new EscPosDecoder();
        const ops: EscPosOp[] = [];
        for (let i = 0; i < bytes.length; i += n) ops.push(...d.push(bytes.subarray(i, i + n)));
        // Text runs may split at chunk edges; compare joined text and the command sequence.
        const norm = (o: typeof ops) => ({
          text: o
            .filter((x) => x.op === 'text')
            .map((x) => (x as { text: string }).text)
            .join(''),
          cmds: o.filter((x) => x.op !== 'text').map((x) => JSON.stringify(x)),
        });
        expect(norm(ops)).toEqual(norm(whole));
      }),
      { numRuns: 40 },
    );
    expect(whole.some((o) => o.op === 'qr')).toBe(true);
    expect(whole.some((o) => o.op === 'drawer')).toBe(true);
    expect(whole.filter((o) => o.op === 'cut')).toHaveLength(1);
  });
});
