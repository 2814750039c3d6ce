// Device credentials. The cloud signs a small claim set with Ed25519; every replica that knows
// the cloud's public key (the hub learns it when it enrolls) can verify a device offline.
// Revocation is checked by the cloud in its devices table and replicated to hubs as a
// `device_revoked` fact in the store's scope.
import type { DeviceReport } from './device-report';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  timingSafeEqual,
  verify,
  type KeyObject,
} from 'node:crypto';
import { z } from 'zod';
import { SYNC_HTTP_STATUS } from './http-status';

// manager / technician: store devices whose ops may carry store markdowns / store-wide till
// config (sync/core/authorship.ts); issued only through HQ pairing codes of that role.
export const DEVICE_ROLES = ['terminal', 'hub', 'hq', 'manager', 'technician'] as const;
export type DeviceRole = (typeof DEVICE_ROLES)[number];

export interface DeviceClaims {
  d: string;
  st: string;
  r: DeviceRole;
  iat: number;
}

const claimsSchema = z.object({
  d: z.string().min(1).max(40),
  st: z.string().min(1).max(32),
  r: z.enum(DEVICE_ROLES),
  iat: z.number().int(),
});

export class AuthError extends Error {
  constructor(
    public readonly code:
      'UNAUTHENTICATED' | 'FORBIDDEN' | 'REVOKED' | 'ENROLL_REFUSED' | 'SCOPE_FORBIDDEN' | 'CONFLICT',
    message: string,
    /** The store a refused pairing code belongs to, when known (a used code): throttling counts it. */
    public readonly storeId?: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
  get status(): number {
    return SYNC_HTTP_STATUS[this.code];
  }
}

/**
 * A device is its store plus its terminal id: `T01` of store S1 and `T01` of store S2 are two
 * devices (every till defaults to `T01`). Keys per-device state: limits, last-seen, enrollment.
 */
export function deviceKey(claims: Pick<DeviceClaims, 'st' | 'd'>): string {
  return `${claims.st}/${claims.d}`;
}

export interface SigningKeys {
  publicKeyPem: string;
  privateKeyPem: string;
}

export function generateSigningKeys(): SigningKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

// Parsing a PEM costs about as much as the Ed25519 check itself, and every request verifies a
// credential: key objects are kept per PEM (a process holds one or two keys).
const publicKeys = new Map<string, KeyObject>();
const privateKeys = new Map<string, KeyObject>();
function keyObject(cache: Map<string, KeyObject>, pem: string, make: (pem: string) => KeyObject): KeyObject {
  let key = cache.get(pem);
  if (!key) {
    key = make(pem);
    if (cache.size >= 16) cache.clear();
    cache.set(pem, key);
  }
  return key;
}

export function issueToken(claims: DeviceClaims, privateKeyPem: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const sig = sign(null, Buffer.from(payload), keyObject(privateKeys, privateKeyPem, createPrivateKey)).toString(
    'base64url',
  );
  return `${payload}.${sig}`;
}

// A device sends the same credential with every push and pull: the claims of a credential whose
// signature verified once are kept (per key, bounded), so the Ed25519 check and the claims parse
// run once per credential rather than once per request. Only the signature is cached; whether
// the device is still enrolled is the authority's check on every request.
const verifiedTokens = new Map<string, { pem: string; claims: DeviceClaims }>();
const VERIFIED_TOKENS_MAX = 8192;

export function verifyToken(token: string | undefined, publicKeyPem: string): DeviceClaims {
  if (!token) throw new AuthError('UNAUTHENTICATED', 'no device credential; enroll this device with a pairing code');
  const known = verifiedTokens.get(token);
  if (known && known.pem === publicKeyPem) return { ...known.claims };
  const claims = verifySignedToken(token, publicKeyPem);
  if (verifiedTokens.size >= VERIFIED_TOKENS_MAX) verifiedTokens.clear();
  verifiedTokens.set(token, { pem: publicKeyPem, claims });
  return { ...claims };
}

function verifySignedToken(token: string, publicKeyPem: string): DeviceClaims {
  const [payload, sig, rest] = token.split('.');
  if (!payload || !sig || rest !== undefined) throw new AuthError('UNAUTHENTICATED', 'malformed device credential');
  let ok = false;
  try {
    ok = verify(
      null,
      Buffer.from(payload),
      keyObject(publicKeys, publicKeyPem, createPublicKey),
      Buffer.from(sig, 'base64url'),
    );
  } catch {
    ok = false;
  }
  if (!ok) throw new AuthError('UNAUTHENTICATED', 'device credential signature does not verify');
  const parsed = claimsSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  if (!parsed.success) throw new AuthError('UNAUTHENTICATED', 'device credential claims are malformed');
  return parsed.data;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Constant-time check of a shared secret (admin token, display key). Both sides are hashed
 * first, so neither the content nor the length leaks through timing. An empty secret or an
 * empty answer never matches.
 */
export function secretMatches(given: string | null | undefined, expected: string): boolean {
  if (!expected) return false;
  const same = timingSafeEqual(sha256(given ?? ''), sha256(expected));
  return same && typeof given === 'string' && given.length > 0;
}

/** Scopes a device reads and may write. Store devices: their store plus the chain catalog. */
export function scopesFor(claims: DeviceClaims): { read: string[]; write: string[] } {
  if (claims.r === 'hq') return { read: ['*'], write: ['*'] };
  return { read: ['chain', `store:${claims.st}`], write: [`store:${claims.st}`] };
}

export function mayWrite(write: string[], scope: string): boolean {
  return write.includes('*') || write.includes(scope);
}

export interface EnrollResult {
  token: string;
  deviceId: string;
  storeId: string;
  role: DeviceRole;
  read: string[];
  write: string[];
  publicKey: string;
}

/** What a sync server asks of whoever decides who may sync. */
export interface EnrollRequest {
  code: string;
  deviceId: string;
  role?: DeviceRole;
  /** The store the device is set up for; a code of another store is refused before it is used up. */
  storeId?: string;
  /** A technician confirms this device replaces the enrolled one of the same id (else 409 CONFLICT). */
  replace?: boolean;
}

export interface DeviceAuthority {
  enroll(input: EnrollRequest): Promise<EnrollResult>;
  /** Verifies a bearer token and that the device is not revoked. */
  verify(token: string | undefined): Promise<DeviceClaims>;
  /** Called after a successful request (the cloud records last-seen for staleness). */
  seen?(claims: DeviceClaims): Promise<void>;
  /** Keeps a device's status report for the fleet view (POST /sync/report); absent: the route answers 404. */
  report?(claims: DeviceClaims, report: DeviceReport): Promise<void>;
}
