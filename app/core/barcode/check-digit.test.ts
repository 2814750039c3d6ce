import { describe, expect, it } from 'vitest';
import { gs1CheckDigit, hasValidGs1CheckDigit, priceCheckDigit } from './check-digit';

describe('gs1CheckDigit', () => {
  it('matches published GTINs', () => {
    expect(gs1CheckDigit('400638133393')).toBe(1); // EAN-13 4006381333931
    expect(gs1CheckDigit('03600029145')).toBe(2); // UPC-A 036000291452
    expect(gs1CheckDigit('9638507')).toBe(4); // EAN-8 96385074
    expect(gs1CheckDigit('978030640615')).toBe(7); // ISBN 9780306406157
    expect(gs1CheckDigit('37610425002123456')).toBe(9); // SSCC example from the GS1 spec
  });
  it('refuses non-digits', () => {
    expect(() => gs1CheckDigit('12a4')).toThrow(RangeError);
  });
  it('hasValidGs1CheckDigit is false for wrong check, letters and too-short input', () => {
    expect(hasValidGs1CheckDigit('4006381333931')).toBe(true);
    expect(hasValidGs1CheckDigit('4006381333932')).toBe(false);
    expect(hasValidGs1CheckDigit('40063813339a1')).toBe(false);
    expect(hasValidGs1CheckDigit('5')).toBe(false);
  });
});

describe('priceCheckDigit (GS1 GenSpecs price/weight check digit)', () => {
  it('matches the worked examples of the specification', () => {
    expect(priceCheckDigit('2875')).toBe(9);
    expect(priceCheckDigit('14685')).toBe(6);
  });
  it('is a digit for every 4- and 5-digit value', () => {
    const seen = new Set<number>();
    for (let v = 0; v < 100000; v += 37) seen.add(priceCheckDigit(String(v).padStart(5, '0')));
    for (let v = 0; v < 10000; v += 7) seen.add(priceCheckDigit(String(v).padStart(4, '0')));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it('refuses other lengths', () => {
    expect(() => priceCheckDigit('123')).toThrow(RangeError);
    expect(() => priceCheckDigit('123456')).toThrow(RangeError);
  });
});
