import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HybridClock, OpFactory, validateOps, type Op } from '../core';
import { gzipSync } from 'node:zlib';
import { decodeBatch, decodeBatchAsync, encodeBatch, encodeRawBatch, SYNC_INFLATE_BYTES, WireError } from './wire';

const f = new OpFactory(new HybridClock({ nodeId: 'W1', now: () => 1_700_000_000_000 }));

describe('wire', () => {
  it('round-trips any batch of ops, and the raw encoder gives the same batch', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(3), fc.string({ maxLength: 20 }), fc.integer({ min: -50, max: 50 })), {
          maxLength: 40,
        }),
        (spec) => {
          const ops: Op[] = spec.map(([kind, text, q]) =>
            kind === 0
              ? f.move('S1', `sku${q}`, 'adjust', q, text || undefined)
              : kind === 1
                ? f.set('chain', 'product', 'p', 'name', text)
                : kind === 2
                  ? f.fact('store:S1', 'audit', `a${q}`, { note: text, n: q })
                  : f.points('store:S1', 'm', q, text),
          );
          const decoded = validateOps(decodeBatch(encodeBatch(ops, { cursor: 7 })).rows);
          expect(decoded).toEqual(ops);
          const raw = ops.map((o) => ({ ...o, b: o.b === null ? null : JSON.stringify(o.b) }));
          expect(validateOps(decodeBatch(encodeRawBatch(raw)).rows)).toEqual(ops);
          expect(decodeBatch(encodeBatch(ops, { cursor: 7 })).extra).toEqual({ cursor: 7 });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses every truncation of a batch', () => {
    const full = encodeBatch(Array.from({ length: 50 }, (_, i) => f.move('S1', 'x', 'sale', i + 1)));
    for (let cut = 0; cut < full.length; cut += 7) {
      expect(() => decodeBatch(full.subarray(0, cut))).toThrow(WireError);
    }
  });

  it('stops inflating at the cap: a gzip bomb is BATCH_TOO_LARGE, sync and async, and a normal batch still decodes', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    const tooLarge = (err: unknown) => err instanceof WireError && err.code === 'BATCH_TOO_LARGE';
    expect(() => decodeBatch(bomb, 1024 * 1024)).toThrow(WireError);
    try {
      decodeBatch(bomb, 1024 * 1024);
    } catch (err) {
      expect(tooLarge(err)).toBe(true);
    }
    await expect(decodeBatchAsync(bomb, 1024 * 1024)).rejects.toSatisfy(tooLarge);
    const ok = encodeBatch([f.move('S1', 'a', 'sale', 1)]);
    expect((await decodeBatchAsync(ok, 1024 * 1024)).rows).toHaveLength(1);
    await expect(decodeBatchAsync(ok.subarray(0, ok.length - 5))).rejects.toSatisfy(
      (e: unknown) => e instanceof WireError && e.code === 'BATCH_MALFORMED',
    );
  });

  it('inflates a batch past the event-loop bound in the thread pool: still decoded, and a bomb past the cap still refused', async () => {
    const note = 'x'.repeat(SYNC_INFLATE_BYTES + 1024);
    const big = encodeBatch([f.fact('store:S1', 'audit', 'big', { note })]);
    const decoded = await decodeBatchAsync(big, SYNC_INFLATE_BYTES * 4);
    expect((decoded.rows[0] as { b: { note: string } }).b.note).toBe(note);
    const bomb = gzipSync(Buffer.alloc(SYNC_INFLATE_BYTES * 5, 0x20));
    await expect(decodeBatchAsync(bomb, SYNC_INFLATE_BYTES * 4)).rejects.toSatisfy(
      (e: unknown) => e instanceof WireError && e.code === 'BATCH_TOO_LARGE',
    );
    // Torn past the bound: the thread pool's inflate refuses it as malformed.
    await expect(decodeBatchAsync(big.subarray(0, big.length - 5), SYNC_INFLATE_BYTES * 4)).rejects.toSatisfy(
      (e: unknown) => e instanceof WireError && e.code === 'BATCH_MALFORMED',
    );
  });
});
