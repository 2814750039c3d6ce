import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatFen, parseYuan, formatGrams, parseGrams, roundCash } from './money';

describe('money formatting', () => {
  it('formats fen as yuan with two decimals', () => {
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(1234)).toBe('¥12.34');
    expect(formatFen(123456789)).toBe('¥1,234,567.89');
    expect(formatFen(-250)).toBe('-¥2.50');
  });

  it('parses typed yuan without floats', () => {
    expect(parseYuan('12')).toBe(1200);
    expect(parseYuan('12.5')).toBe(1250);
    expect(parseYuan('0.05')).toBe(5);
    expect(parseYuan('.5')).toBe(50);
    expect(parseYuan('100,20')).toBe(10020);
    expect(parseYuan('')).toBeNull();
    expect(parseYuan('.')).toBeNull();
    expect(parseYuan('1.234')).toBeNull();
    expect(parseYuan('abc')).toBeNull();
    expect(parseYuan('-3')).toBeNull();
  });

  it('round-trips every amount through format and parse', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), (fen) => {
        expect(parseYuan(formatFen(fen, '').replaceAll(',', ''))).toBe(fen);
      }),
    );
  });

  it('formats and parses grams', () => {
    expect(formatGrams(512)).toBe('0.512 kg');
    expect(formatGrams(1500)).toBe('1.500 kg');
    expect(parseGrams('512')).toBe(512);
    expect(parseGrams('0')).toBeNull();
    expect(parseGrams('1.5')).toBeNull();
  });

  it('rounds cash totals (抹零)', () => {
    expect(roundCash(1234, 'none', 10)).toBe(1234);
    expect(roundCash(1234, 'down', 10)).toBe(1230);
    expect(roundCash(1235, 'nearest', 10)).toBe(1240);
    expect(roundCash(1234, 'nearest', 10)).toBe(1230);
    expect(roundCash(1299, 'down', 100)).toBe(1200);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e8 }), fc.constantFrom(10, 50, 100), (t, u) => {
        const d = roundCash(t, 'down', u);
        const n = roundCash(t, 'nearest', u);
        expect(d % u).toBe(0);
        expect(t - d).toBeGreaterThanOrEqual(0);
        expect(t - d).toBeLessThan(u);
        expect(Math.abs(t - n) * 2).toBeLessThanOrEqual(u);
      }),
    );
  });
});
