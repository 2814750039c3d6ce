// Order-independent checksum of a set of op ids: count plus the sum of a 48-bit hash of each id
// (mod 2^48). Two replicas with the same ops in a scope have the same digest whatever the order
// they received them in, and a digest can be updated incrementally as ops arrive.

const MOD = 2 ** 48;

/** 48-bit FNV-1a style hash of a string, as a safe integer. */
export function opHash(id: string): number {
  // Two 24-bit lanes keep every intermediate product inside double precision.
  let lo = 0x9dc5 ^ 0x811c;
  let hi = 0x1b873593 & 0xffffff;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    lo = Math.imul(lo ^ c, 0x01000193) >>> 0;
    hi = Math.imul(hi ^ (c + (lo & 0xff)), 0x5bd1e995) >>> 0;
  }
  return ((hi & 0xffffff) * 0x1000000 + (lo & 0xffffff)) % MOD;
}

export interface Digest {
  count: number;
  sum: number;
}

export function emptyDigest(): Digest {
  return { count: 0, sum: 0 };
}

export function addToDigest(d: Digest, id: string): Digest {
  return { count: d.count + 1, sum: (d.sum + opHash(id)) % MOD };
}

export function formatDigest(d: Digest): string {
  return `${d.count}:${d.sum.toString(36)}`;
}
