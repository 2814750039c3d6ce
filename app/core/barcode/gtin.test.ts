import { describe, expect, it } from 'vitest';
import { compressUpcA, expandUpcE, toGtin14 } from './gtin';

describe('expandUpcE', () => {
  it('expands each zero-suppression pattern', () => {
    expect(expandUpcE('01234565')).toBe('012345000065'); // last digit 5–9
    expect(expandUpcE('04252614')).toBe('042100005264'); // last digit 0–2 → d1 d2 d6 0000 d3 d4 d5
    expect(expandUpcE('0123453')).toMatch(/^01230000045\d$/); // last digit 3
    expect(expandUpcE('123444')).toMatch(/^01234000004\d$/); // 6 digits: number system 0, last digit 4
  });
  it('computes the check digit when none is given', () => {
    expect(expandUpcE('0123456')).toBe('012345000065');
    expect(expandUpcE('123456')).toBe('012345000065');
  });
  it('refuses a number system other than 0/1 and wrong lengths', () => {
    expect(() => expandUpcE('21234565')).toThrow(RangeError);
    expect(() => expandUpcE('12345')).toThrow(RangeError);
    expect(() => expandUpcE('0123456a')).toThrow(RangeError);
  });
});

describe('compressUpcA', () => {
  it('inverts expandUpcE', () => {
    expect(compressUpcA('012345000065')).toBe('01234565');
    expect(compressUpcA('042100005264')).toBe('04252614');
  });
  it('returns null where zero suppression is impossible', () => {
    expect(compressUpcA('036000291452')).toBeNull();
    expect(compressUpcA('236000291452')).toBeNull();
  });
});

describe('toGtin14', () => {
  it('normalises every retail symbology to 14 digits', () => {
    expect(toGtin14('4006381333931')).toBe('04006381333931');
    expect(toGtin14('036000291452')).toBe('00036000291452');
    expect(toGtin14('96385074')).toBe('00000096385074');
    expect(toGtin14('01234565')).toBe('00012345000065');
    expect(toGtin14('10012345000062')).toBe('10012345000062');
  });
  it('returns null for a wrong check digit, letters or other lengths', () => {
    expect(toGtin14('4006381333932')).toBeNull();
    expect(toGtin14('400638133393X')).toBeNull();
    expect(toGtin14('12345')).toBeNull();
    expect(toGtin14('')).toBeNull();
  });
});
