// The 1:N index: what it returns is always the exact cosine, best first, at most `limit`, only
// at or above the threshold; the projection shortlist must not lose a true match among many
// members; deletes leave no template behind and keep the others findable.
import { describe, expect, it } from 'vitest';
import { FaceIndex } from './face-index';

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}
const unit = (v: Float32Array) => {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return v.map((x) => x / n);
};
const randomUnit = (dims: number, r: () => number) => unit(Float32Array.from({ length: dims }, r));
/** A vector at cosine ≈ `cos` from `v`. */
function near(v: Float32Array, cos: number, r: () => number): Float32Array {
  const noise = randomUnit(v.length, r);
  const d = noise.reduce((s, x, i) => s + x * (v[i] as number), 0);
  const orth = unit(noise.map((x, i) => x - d * (v[i] as number)));
  return unit(v.map((x, i) => cos * x + Math.sqrt(1 - cos * cos) * (orth[i] as number)));
}
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] as number), 0);

describe('FaceIndex', () => {
  it('finds a planted member among 2,000 others through the shortlist, with the exact score', () => {
    const r = rng(7);
    const idx = new FaceIndex(1024);
    const members: Float32Array[] = [];
    for (let i = 0; i < 2_000; i++) {
      const v = randomUnit(1024, r);
      members.push(v);
      idx.set(`m${i}`, v);
    }
    for (const target of [3, 999, 1_999]) {
      const probe = near(members[target]!, 0.8, r);
      const found = idx.search(probe, { threshold: 0.5, limit: 3, exactUpTo: 0 });
      expect(found).toHaveLength(1);
      expect(found[0]!.memberId).toBe(`m${target}`);
      expect(found[0]!.score).toBeCloseTo(dot(probe, members[target]!), 5);
    }
  }, 180_000);

  it('finds planted members among 30,000 templates that share a large common component (codes are centred)', () => {
    // Real embeddings are not spread evenly: every template here is 70 % one common direction
    // plus a member's own part, so any two members score about 0.5 and uncentred sign codes
    // would all look alike. Stage 1 must still keep the true member in its shortlist.
    const r = rng(21);
    const dims = 256;
    const common = randomUnit(dims, r);
    const idx = new FaceIndex(dims);
    const members: Float32Array[] = [];
    for (let i = 0; i < 30_000; i++) {
      const own = randomUnit(dims, r);
      const v = unit(common.map((c, j) => 0.7 * c + 0.7 * (own[j] as number)));
      members.push(v);
      idx.set(`m${i}`, v);
    }
    let found = 0;
    const targets = Array.from({ length: 40 }, (_, k) => k * 743);
    for (const target of targets) {
      const probe = near(members[target]!, 0.85, r);
      const hits = idx.search(probe, { threshold: 0.8, limit: 3, exactUpTo: 0, shortlist: 128 });
      if (hits[0]?.memberId === `m${target}`) found++;
    }
    expect(found).toBe(targets.length);
  }, 180_000);

  it('returns at most `limit`, best first, only at or above the threshold', () => {
    const r = rng(11);
    const idx = new FaceIndex(64);
    const base = randomUnit(64, r);
    const cosines = [0.95, 0.9, 0.85, 0.8, 0.6, 0.3];
    cosines.forEach((c, i) => idx.set(`m${i}`, near(base, c, r)));
    const found = idx.search(base, { threshold: 0.7, limit: 3 });
    expect(found.map((f) => f.memberId)).toEqual(['m0', 'm1', 'm2']);
    expect(idx.search(base, { threshold: 0.7, limit: 10 }).map((f) => f.memberId)).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(idx.search(base, { threshold: 0.99, limit: 3 })).toEqual([]);
  });

  it('a deleted member is never found again and the member moved into its slot still is', () => {
    const r = rng(3);
    const idx = new FaceIndex(32);
    const vs = Array.from({ length: 5 }, () => randomUnit(32, r));
    vs.forEach((v, i) => idx.set(`m${i}`, v));
    expect(idx.delete('m1')).toBe(true);
    expect(idx.delete('m1')).toBe(false);
    expect(idx.size).toBe(4);
    expect(idx.search(vs[1]!, { threshold: 0.9, limit: 3 })).toEqual([]);
    expect(idx.search(vs[4]!, { threshold: 0.9, limit: 3 })[0]?.memberId).toBe('m4');
    // Re-enrolment replaces, never duplicates.
    idx.set('m4', vs[0]!);
    expect(idx.size).toBe(4);
    expect(idx.search(vs[0]!, { threshold: 0.99, limit: 3 }).map((f) => f.memberId)).toEqual(['m0', 'm4']);
  });

  it('refuses a template of the wrong size', () => {
    const idx = new FaceIndex(16);
    expect(() => idx.set('m', new Float32Array(8))).toThrow(/16/);
    expect(() => idx.search(new Float32Array(8), { threshold: 0, limit: 1 })).toThrow(/16/);
  });
});
