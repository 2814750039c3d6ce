// Dynamic member codes (会员码): what the member's mini-program shows as a QR code. The cloud
// signs {member id, expiry, nonce} with the chain's Ed25519 key (the key that signs device
// credentials, so every paired till already holds the public key and verifies a code offline).
// The signed bytes start with a domain tag, so a member code can never pass as a device
// credential or the other way round. Replay (the same nonce twice) is the till's check: it
// needs state (app/core/members).
//
//   PM1.<payload: base64url JSON {m, iat, exp, n}>.<Ed25519 signature, base64url>
import { createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';

export const MEMBER_CODE_PREFIX = 'PM1.';
const DOMAIN = 'pos-member-code/v1.';
/** Default life of a code: the mini-program refreshes it every minute. */
export const MEMBER_CODE_TTL_MS = 60_000;
/** Tills accept a code up to this long before its iat (phone clocks run fast). */
const CLOCK_SKEW_MS = 30_000;

const payloadSchema = z.object({
  m: z.string().min(1).max(80),
  iat: z.number().int().positive(),
  exp: z.number().int().positive(),
  n: z.string().regex(/^[0-9a-f]{16,64}$/),
});
type MemberCodePayload = z.infer<typeof payloadSchema>;

export type MemberCodeCheck =
  | { ok: true; memberId: string; nonce: string; expiresAt: number }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'not-yet-valid'; expiredMsAgo?: number };

/** True when a scanned string has the member-code shape (cheap; says nothing about validity). */
export function looksLikeMemberCode(code: string): boolean {
  return code.startsWith(MEMBER_CODE_PREFIX) && code.length < 600;
}

export function signMemberCode(
  memberId: string,
  privateKey: string | KeyObject,
  opts: { now?: number; ttlMs?: number; nonce?: string } = {},
): { code: string; expiresAt: number } {
  const now = opts.now ?? Date.now();
  const payload: MemberCodePayload = {
    m: memberId,
    iat: now,
    exp: now + (opts.ttlMs ?? MEMBER_CODE_TTL_MS),
    n: opts.nonce ?? randomBytes(12).toString('hex'),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const sig = sign(null, Buffer.from(DOMAIN + body), key).toString('base64url');
  return { code: `${MEMBER_CODE_PREFIX}${body}.${sig}`, expiresAt: payload.exp };
}

const keyCache = new Map<string, KeyObject>();
function publicKeyObject(pem: string): KeyObject {
  let k = keyCache.get(pem);
  if (!k) {
    k = createPublicKey(pem);
    if (keyCache.size > 8) keyCache.clear();
    keyCache.set(pem, k);
  }
  return k;
}

/** Pure check of one scanned code (never throws). Replay is the caller's check. */
export function verifyMemberCode(code: string, publicKeyPem: string, now: number): MemberCodeCheck {
  if (!looksLikeMemberCode(code)) return { ok: false, reason: 'malformed' };
  const parts = code.slice(MEMBER_CODE_PREFIX.length).split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
  const [body, sig] = parts as [string, string];
  let good = false;
  try {
    good = verify(null, Buffer.from(DOMAIN + body), publicKeyObject(publicKeyPem), Buffer.from(sig, 'base64url'));
  } catch {
    good = false;
  }
  if (!good) return { ok: false, reason: 'signature' };
  let parsed: MemberCodePayload;
  try {
    const r = payloadSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    if (!r.success) return { ok: false, reason: 'malformed' };
    parsed = r.data;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (parsed.iat > now + CLOCK_SKEW_MS) return { ok: false, reason: 'not-yet-valid' };
  if (now >= parsed.exp) return { ok: false, reason: 'expired', expiredMsAgo: now - parsed.exp };
  return { ok: true, memberId: parsed.m, nonce: parsed.n, expiresAt: parsed.exp };
}
