import { describe, expect, it } from 'vitest';
import { HybridClock, parseStamp, formatStamp, stampsForTimes, type ClockWarning } from './hlc';

describe('HybridClock', () => {
  it('issues strictly increasing stamps even when the wall clock stands still or goes back', () => {
    let t = 1_700_000_000_000;
    const c = new HybridClock({ nodeId: 'T1', now: () => t });
    const a = c.tick();
    const b = c.tick();
    t -= 5000;
    const d = c.tick();
    expect(a < b && b < d).toBe(true);
    expect(parseStamp(d).wall).toBe(1_700_000_000_000);
  });

  it('round-trips stamps and orders by node id as the tiebreak', () => {
    const s = { wall: 1_700_000_000_123, counter: 7, node: 'HUB_1' };
    expect(parseStamp(formatStamp(s))).toEqual(s);
    expect(formatStamp({ ...s, node: 'A' }) < formatStamp({ ...s, node: 'B' })).toBe(true);
    expect(() => parseStamp('not-a-stamp')).toThrow(/malformed/);
  });

  it('moves past a remote stamp from a slightly faster clock', () => {
    const t = 1_700_000_000_000;
    const c = new HybridClock({ nodeId: 'T1', now: () => t });
    const remote = formatStamp({ wall: t + 60_000, counter: 3, node: 'T2' });
    expect(c.receive(remote)).toBe(true);
    expect(c.tick() > remote).toBe(true);
  });

  it('refuses a far-future stamp with a warning and is not poisoned by it', () => {
    const t = 1_700_000_000_000;
    const warnings: ClockWarning[] = [];
    const c = new HybridClock({ nodeId: 'T1', now: () => t, maxDriftMs: 60_000, onWarning: (w) => warnings.push(w) });
    const future = formatStamp({ wall: t + 365 * 86_400_000, counter: 0, node: 'BAD' });
    expect(c.receive(future)).toBe(false);
    expect(warnings[0]?.code).toBe('CLOCK_FUTURE_STAMP');
    expect(warnings[0]?.message).toMatch(/ahead/);
    // Our next stamps stay at real time, and a normal peer is still accepted.
    expect(parseStamp(c.tick()).wall).toBe(t);
    expect(c.receive(formatStamp({ wall: t + 1000, counter: 0, node: 'T2' }))).toBe(true);
    expect(parseStamp(c.tick()).wall).toBe(t + 1000);
    expect(c.isTooFarAhead(future)).toBe(true);
  });

  it('takes its physical time from the server once told', () => {
    const c = new HybridClock({ nodeId: 'T1', now: () => 1_000_000 });
    c.observeServerTime(5_000_000);
    expect(parseStamp(c.tick()).wall).toBe(5_000_000);
  });

  it('rejects node ids that would break stamp parsing', () => {
    expect(() => new HybridClock({ nodeId: 'has space', now: () => 0 })).toThrow();
  });
});

describe("stampsForTimes (ops minted after the fact, e.g. the core's backfill)", () => {
  it('numbers the rows of one millisecond, spills past the counter range into the next ms, and repeats exactly', () => {
    const walls = [5, 5, 7, ...Array.from({ length: 36 ** 3 + 1 }, () => 9)];
    const stamps = stampsForTimes(walls, 'T01_bf');
    expect(stamps.slice(0, 3)).toEqual([
      formatStamp({ wall: 5, counter: 0, node: 'T01_bf' }),
      formatStamp({ wall: 5, counter: 1, node: 'T01_bf' }),
      formatStamp({ wall: 7, counter: 0, node: 'T01_bf' }),
    ]);
    // The 46,657th row of millisecond 9 does not fit the 3-digit counter: it becomes ms 10, counter 0.
    expect(parseStamp(stamps.at(-2)!)).toEqual({ wall: 9, counter: 36 ** 3 - 1, node: 'T01_bf' });
    expect(parseStamp(stamps.at(-1)!)).toEqual({ wall: 10, counter: 0, node: 'T01_bf' });
    expect(new Set(stamps).size).toBe(stamps.length);
    expect([...stamps].sort()).toEqual(stamps);
    expect(stampsForTimes(walls, 'T01_bf')).toEqual(stamps);
  });
});
