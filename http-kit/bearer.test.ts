// One reading of the bearer credential for every server (the till's web host and the sync
// servers used to read it two ways: case-sensitive with anything after the space, or
// case-insensitive with one word).
import { describe, expect, it } from 'vitest';
import { bearer } from './bearer';

describe('bearer', () => {
  it('reads the token after the Bearer scheme, in any case, with spaces around', () => {
    expect(bearer('Bearer abc.def')).toBe('abc.def');
    expect(bearer('bearer abc')).toBe('abc');
    expect(bearer('BEARER   abc  ')).toBe('abc');
    expect(bearer('Bearer\tabc')).toBe('abc');
  });

  it('is no credential when absent, empty, of another scheme or more than one word', () => {
    for (const h of [
      undefined,
      null,
      '',
      'Bearer',
      'Bearer ',
      'Basic YWxhZGRpbg==',
      'Bearer a b',
      'Bearerabc',
      'Token abc',
    ])
      expect(bearer(h), String(h)).toBeUndefined();
  });
});
