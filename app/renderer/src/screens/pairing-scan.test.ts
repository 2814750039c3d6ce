import { describe, expect, it } from 'vitest';
import { parsePairingScan } from './pairing-scan';

describe('parsePairingScan', () => {
  it('reads the code and the hub from a pairing QR', () => {
    expect(parsePairingScan('POS-PAIR:AB12-CD34-EF56@http://192.168.1.10:8791')).toEqual({
      code: 'AB12-CD34-EF56',
      hubUrl: 'http://192.168.1.10:8791',
    });
  });
  it('reads a QR with the code alone, and takes any other scan as the code', () => {
    expect(parsePairingScan('POS-PAIR:AB12-CD34-EF56')).toEqual({ code: 'AB12-CD34-EF56' });
    expect(parsePairingScan(' AB12-CD34-EF56\n')).toEqual({ code: 'AB12-CD34-EF56' });
  });
  it('does not take a hub that is not an http address', () => {
    expect(parsePairingScan('POS-PAIR:AB12@ftp://x').hubUrl).toBeUndefined();
  });
});
