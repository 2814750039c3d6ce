import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatOptions, parseOptions } from './device-options';

describe('device options typed on the setup screen', () => {
  it('parses key=value lists with numbers, booleans and words', () => {
    expect(parseOptions('width=58, encoding=cp936，pin: 5\ncontinuous=true')).toEqual({
      width: 58,
      encoding: 'cp936',
      pin: 5,
      continuous: true,
    });
    expect(parseOptions('  ')).toEqual({});
    expect(parseOptions('terminator=CRLF')).toEqual({ terminator: 'CRLF' });
  });

  it('refuses what is not key=value', () => {
    expect(parseOptions('width 58')).toBeNull();
    expect(parseOptions('=58')).toBeNull();
    expect(parseOptions('width=')).toBeNull();
  });

  it('reads back what it formats', () => {
    const key = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,10}$/);
    const value = fc.oneof(
      fc.integer({ min: 0, max: 100000 }),
      fc.boolean(),
      fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/).filter((s) => s !== 'true' && s !== 'false'),
    );
    fc.assert(
      fc.property(fc.dictionary(key, value), (o) => {
        expect(parseOptions(formatOptions(o))).toEqual(o);
      }),
    );
  });
});
