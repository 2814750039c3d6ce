// PIN hashing with scrypt and a random salt per staff member. The cost parameters are stored
// with the hash ("scrypt$N$r$p$salt$hash") so they can be raised later without a migration.
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

export const DEFAULT_PIN_SCRYPT_N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

export function hashPin(pin: string, n: number = DEFAULT_PIN_SCRYPT_N): string {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, KEYLEN, { N: n, r: R, p: P, maxmem: 256 * n * R });
  return `scrypt$${n}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Async so that checking a PIN against every staff member runs on the libuv pool in parallel. */
export function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return Promise.resolve(false);
  const n = Number(parts[1]);
  const r = Number(parts[2]);
  const p = Number(parts[3]);
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  return new Promise((resolve) => {
    scrypt(pin, salt, expected.length, { N: n, r, p, maxmem: 256 * n * r }, (err, key) => {
      resolve(!err && key.length === expected.length && timingSafeEqual(key, expected));
    });
  });
}
