// Member codes: a code verifies offline with the chain's public key until it expires; any
// change to it, or a code signed by another chain, is refused; it never passes as a device
// credential. Replay is checked by the till (app/core/members/members.test.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSigningKeys, verifyToken } from './auth';
import { looksLikeMemberCode, signMemberCode, verifyMemberCode } from './member-code';

const chain = generateSigningKeys();
const other = generateSigningKeys();
const T0 = Date.parse('2026-12-05T10:00:00Z');

describe('member codes', () => {
  it('verifies offline until the 60 s expiry, then says how long ago it expired', () => {
    const { code, expiresAt } = signMemberCode('m-1', chain.privateKeyPem, { now: T0 });
    expect(expiresAt).toBe(T0 + 60_000);
    expect(looksLikeMemberCode(code)).toBe(true);
    expect(verifyMemberCode(code, chain.publicKeyPem, T0 + 59_999)).toMatchObject({ ok: true, memberId: 'm-1' });
    expect(verifyMemberCode(code, chain.publicKeyPem, T0 + 60_000)).toEqual({
      ok: false,
      reason: 'expired',
      expiredMsAgo: 0,
    });
    expect(verifyMemberCode(code, chain.publicKeyPem, T0 + 240_000)).toMatchObject({ expiredMsAgo: 180_000 });
  });

  it("refuses another chain's code and a code from the future", () => {
    const { code } = signMemberCode('m-1', other.privateKeyPem, { now: T0 });
    expect(verifyMemberCode(code, chain.publicKeyPem, T0)).toEqual({ ok: false, reason: 'signature' });
    const future = signMemberCode('m-1', chain.privateKeyPem, { now: T0 + 3_600_000 }).code;
    expect(verifyMemberCode(future, chain.publicKeyPem, T0)).toEqual({ ok: false, reason: 'not-yet-valid' });
  });

  it('refuses every one-character change (tamper property)', () => {
    const { code } = signMemberCode('m-42', chain.privateKeyPem, { now: T0 });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(fc.nat({ max: code.length - 1 }), fc.constantFrom(...alphabet.split('')), (i, c) => {
        fc.pre(code[i] !== c);
        const bad = code.slice(0, i) + c + code.slice(i + 1);
        const r = verifyMemberCode(bad, chain.publicKeyPem, T0);
        // base64url's last character can carry unused bits; a change there that decodes to the same bytes is the same code.
        const same =
          r.ok &&
          Buffer.from(bad.split('.')[2] ?? '', 'base64url').equals(Buffer.from(code.split('.')[2]!, 'base64url')) &&
          bad.split('.')[1] === code.split('.')[1];
        expect(r.ok === false || same).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on junk and is not a device credential', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        expect(verifyMemberCode('PM1.' + s, chain.publicKeyPem, T0).ok).toBe(false);
      }),
    );
    const { code } = signMemberCode('m-1', chain.privateKeyPem, { now: T0 });
    expect(() => verifyToken(code.slice(4), chain.publicKeyPem)).toThrow();
  });
});
