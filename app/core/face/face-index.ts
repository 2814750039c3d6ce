// 1:N face search held in memory. Brute force over 1024-d templates reads 400 MB per query at
// 100,000 members (memory-bound: ~40 ms even at full bandwidth), so the search has two stages:
//
//   1. every template is also kept as a 128-d random projection (Johnson–Lindenstrauss: a fixed,
//      seeded Gaussian matrix, so dot products are preserved in expectation); one pass over
//      these (51 MB at 100k) keeps the best `shortlist` members;
//   2. the shortlist is re-scored exactly with the full templates, and only exact scores are
//      compared with the threshold and returned.
//
// So a returned score is always the exact cosine; the projection can only cost recall when a
// true match falls outside the shortlist (the bench checks a planted match is found). Pure.

export interface FaceMatch {
  memberId: string;
  score: number;
}

export interface FaceSearchOptions {
  threshold: number;
  limit: number;
  /** How many members stage 1 keeps for exact re-scoring (default 256). */
  shortlist?: number;
  /** Up to this many templates the search is exhaustive and exact (default 20,000). */
  exactUpTo?: number;
}

export const PROJECTION_DIMS = 128;
const EXACT_UP_TO = 20_000;
const PROJECTION_SEED = 0x5eed_face;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussianMatrix(rows: number, cols: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const m = new Float32Array(rows * cols);
  const scale = 1 / Math.sqrt(rows);
  for (let i = 0; i < m.length; i += 2) {
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u)) * scale;
    m[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < m.length) m[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return m;
}

export class FaceIndex {
  readonly dims: number;
  private readonly projection: Float32Array; // PROJECTION_DIMS × dims, row-major
  private ids: string[] = [];
  private slot = new Map<string, number>();
  private full: Float32Array;
  private proj: Float32Array;

  constructor(dims: number, capacity = 64) {
    this.dims = dims;
    this.projection = gaussianMatrix(PROJECTION_DIMS, dims, PROJECTION_SEED);
    this.full = new Float32Array(capacity * dims);
    this.proj = new Float32Array(capacity * PROJECTION_DIMS);
  }

  get size(): number {
    return this.ids.length;
  }

  has(memberId: string): boolean {
    return this.slot.has(memberId);
  }

  /** The stage-1 projection of a template (store it beside the template to skip this on load). */
  projectionOf(embedding: Float32Array): Float32Array {
    const out = new Float32Array(PROJECTION_DIMS);
    this.project(embedding, out, 0);
    return out;
  }

  /** Adds or replaces a member's template (expected L2-normalised), with its projection if known. */
  set(memberId: string, embedding: Float32Array, projection?: Float32Array): void {
    if (embedding.length !== this.dims) throw new RangeError(`template has ${embedding.length} dims, not ${this.dims}`);
    let at = this.slot.get(memberId);
    if (at === undefined) {
      at = this.ids.length;
      if ((at + 1) * this.dims > this.full.length) this.grow();
      this.ids.push(memberId);
      this.slot.set(memberId, at);
    }
    this.full.set(embedding, at * this.dims);
    if (projection?.length === PROJECTION_DIMS) this.proj.set(projection, at * PROJECTION_DIMS);
    else this.project(embedding, this.proj, at * PROJECTION_DIMS);
  }

  delete(memberId: string): boolean {
    const at = this.slot.get(memberId);
    if (at === undefined) return false;
    const last = this.ids.length - 1;
    if (at !== last) {
      const moved = this.ids[last] as string;
      this.full.copyWithin(at * this.dims, last * this.dims, (last + 1) * this.dims);
      this.proj.copyWithin(at * PROJECTION_DIMS, last * PROJECTION_DIMS, (last + 1) * PROJECTION_DIMS);
      this.ids[at] = moved;
      this.slot.set(moved, at);
    }
    this.ids.pop();
    this.slot.delete(memberId);
    // Wipe the freed slot: no template lingers in memory after erasure.
    this.full.fill(0, last * this.dims, (last + 1) * this.dims);
    this.proj.fill(0, last * PROJECTION_DIMS, (last + 1) * PROJECTION_DIMS);
    return true;
  }

  /** Best matches with exact cosine ≥ threshold, best first, at most `limit`. */
  search(query: Float32Array, opts: FaceSearchOptions): FaceMatch[] {
    if (query.length !== this.dims) throw new RangeError(`query has ${query.length} dims, not ${this.dims}`);
    const n = this.ids.length;
    const shortlist = Math.max(opts.limit, opts.shortlist ?? 256);
    let pool: number[];
    // Exact up to EXACT_UP_TO templates: the projection shortlist lost recall on correlated
    // templates in the bench (docs/members-face.md), so it is only used beyond a store's size.
    if (n <= Math.max(shortlist, opts.exactUpTo ?? EXACT_UP_TO)) pool = Array.from({ length: n }, (_, i) => i);
    else pool = this.stageOne(query, shortlist);
    const out: FaceMatch[] = [];
    const d = this.dims;
    for (const i of pool) {
      let s = 0;
      const o = i * d;
      for (let j = 0; j < d; j++) s += (query[j] as number) * (this.full[o + j] as number);
      if (s >= opts.threshold) out.push({ memberId: this.ids[i] as string, score: s });
    }
    out.sort((a, b) => b.score - a.score || (a.memberId < b.memberId ? -1 : 1));
    return out.slice(0, opts.limit);
  }

  private stageOne(query: Float32Array, k: number): number[] {
    const q = new Float32Array(PROJECTION_DIMS);
    this.project(query, q, 0);
    const bestIdx = new Int32Array(k).fill(-1);
    const bestScore = new Float32Array(k).fill(-Infinity);
    let minAt = 0;
    let min = -Infinity;
    const p = this.proj;
    const n = this.ids.length;
    for (let i = 0; i < n; i++) {
      const o = i * PROJECTION_DIMS;
      let s = 0;
      for (let j = 0; j < PROJECTION_DIMS; j++) s += (q[j] as number) * (p[o + j] as number);
      if (s <= min) continue;
      bestIdx[minAt] = i;
      bestScore[minAt] = s;
      min = Infinity;
      for (let j = 0; j < k; j++) {
        const b = bestScore[j] as number;
        if (b < min) {
          min = b;
          minAt = j;
        }
      }
    }
    return Array.from(bestIdx).filter((i) => i >= 0);
  }

  private project(v: Float32Array, into: Float32Array, offset: number): void {
    const d = this.dims;
    for (let r = 0; r < PROJECTION_DIMS; r++) {
      let s = 0;
      const o = r * d;
      for (let j = 0; j < d; j++) s += (this.projection[o + j] as number) * (v[j] as number);
      into[offset + r] = s;
    }
  }

  private grow(): void {
    const cap = Math.max(64, (this.full.length / this.dims) * 2);
    const full = new Float32Array(cap * this.dims);
    full.set(this.full);
    const proj = new Float32Array(cap * PROJECTION_DIMS);
    proj.set(this.proj);
    this.full = full;
    this.proj = proj;
  }
}
