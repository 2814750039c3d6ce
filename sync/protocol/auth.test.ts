// Device credentials: the claims of a credential whose signature verified are kept so repeat
// requests skip the Ed25519 check (auth.ts). The cache must never make a credential count that
// would not verify on its own: not under another key, not with a changed payload or signature.
import { describe, expect, it } from 'vitest';
import { AuthError, generateSigningKeys, issueToken, verifyToken, type DeviceClaims } from './auth';

const claims: DeviceClaims = { d: 'T01', st: 'S1', r: 'terminal', iat: 1_764_000_000_000 };

function refusal(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof AuthError ? err.code : String(err);
  }
}

describe('verifyToken', () => {
  it('answers the same claims on every request, and a copy each time', () => {
    const keys = generateSigningKeys();
    const token = issueToken(claims, keys.privateKeyPem);
    const first = verifyToken(token, keys.publicKeyPem);
    first.st = 'S2';
    expect(verifyToken(token, keys.publicKeyPem)).toEqual(claims);
  });

  it('refuses a credential verified once under one cloud key when another key asks', () => {
    const mine = generateSigningKeys();
    const other = generateSigningKeys();
    const token = issueToken(claims, mine.privateKeyPem);
    expect(verifyToken(token, mine.publicKeyPem)).toEqual(claims);
    expect(refusal(() => verifyToken(token, other.publicKeyPem))).toBe('UNAUTHENTICATED');
    // …and the refusal did not evict or poison the genuine entry.
    expect(verifyToken(token, mine.publicKeyPem)).toEqual(claims);
  });

  it('refuses a changed payload or signature even after the genuine credential was seen', () => {
    const keys = generateSigningKeys();
    const token = issueToken(claims, keys.privateKeyPem);
    verifyToken(token, keys.publicKeyPem);
    const [payload, sig] = token.split('.') as [string, string];
    const hq = Buffer.from(JSON.stringify({ ...claims, r: 'hq' })).toString('base64url');
    expect(refusal(() => verifyToken(`${hq}.${sig}`, keys.publicKeyPem))).toBe('UNAUTHENTICATED');
    const flipped = sig.slice(0, -2) + (sig.at(-2) === 'A' ? 'B' : 'A') + sig.at(-1);
    expect(refusal(() => verifyToken(`${payload}.${flipped}`, keys.publicKeyPem))).toBe('UNAUTHENTICATED');
    expect(refusal(() => verifyToken(`${token}.x`, keys.publicKeyPem))).toBe('UNAUTHENTICATED');
    expect(refusal(() => verifyToken(undefined, keys.publicKeyPem))).toBe('UNAUTHENTICATED');
  });
});
