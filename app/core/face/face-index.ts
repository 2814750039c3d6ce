// 1:N face search held in memory. Brute force over 1024-d templates reads 400 MB per query at
// 100,000 members (memory-bound: ~40 ms even at full bandwidth), so beyond a store's size the
// search has two stages:
//
//   1. every template is also kept as a 128-d random projection (Johnson–Lindenstrauss: a fixed,
//      seeded Gaussian matrix, so dot products are preserved in expectation), and as a 128-bit
//      code: the signs of that projection minus the members' mean projection (sign random
//      projection: the Hamming distance between two codes estimates the angle between the
//      mean-centred templates). One pass over the codes (16 bytes a member, 1.6 MB at 100k) with a
//      32-bit popcount gives every member's distance; a histogram of the distances (0–128)
//      picks the `shortlist` nearest without sorting;
//   2. the shortlist is re-scored exactly with the full templates, and only exact scores are
//      compared with the threshold and returned.
//
// So a returned score is always the exact cosine; the codes can only cost recall when a true
// match falls outside the shortlist (the tests and the bench check planted matches are found).
// Centring matters: face embeddings share a large common component, and uncentred signs would
// all agree. The mean is taken when the codes are built and kept until the index has doubled or
// halved; a template added in between is coded with the same mean, so codes stay comparable. Pure.

export interface FaceMatch {
  memberId: string;
  score: number;
}

export interface FaceSearchOptions {
  threshold: number;
  limit: number;
  /** How many members stage 1 keeps for exact re-scoring (default 512). */
  shortlist?: number;
  /** Up to this many templates the search is exhaustive and exact (default 20,000). */
  exactUpTo?: number;
}

export const PROJECTION_DIMS = 128;
const CODE_BYTES = PROJECTION_DIMS / 8;
const SHORTLIST = 512;
const EXACT_UP_TO = 20_000;
const PROJECTION_SEED = 0x5eed_face;
/** Set bits of a 32-bit word (SWAR). */
function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

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
  /** Stage-1 codes (CODE_BYTES a member) and the mean projection they are centred on. */
  private codes = new Uint8Array(0);
  private codeMean: Float32Array | null = null;
  /** How many members the codes were last built for (rebuilt when the index doubles or halves). */
  private codedFor = 0;

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
    if (this.codeMean && this.codes.length >= (at + 1) * CODE_BYTES)
      this.encode(this.proj, at * PROJECTION_DIMS, this.codes, at * CODE_BYTES);
    else this.codeMean = null; // no room (or never built): rebuilt at the next large search
  }

  delete(memberId: string): boolean {
    const at = this.slot.get(memberId);
    if (at === undefined) return false;
    const last = this.ids.length - 1;
    if (at !== last) {
      const moved = this.ids[last] as string;
      this.full.copyWithin(at * this.dims, last * this.dims, (last + 1) * this.dims);
      this.proj.copyWithin(at * PROJECTION_DIMS, last * PROJECTION_DIMS, (last + 1) * PROJECTION_DIMS);
      if (this.codeMean) this.codes.copyWithin(at * CODE_BYTES, last * CODE_BYTES, (last + 1) * CODE_BYTES);
      this.ids[at] = moved;
      this.slot.set(moved, at);
    }
    this.ids.pop();
    this.slot.delete(memberId);
    // Wipe the freed slot: no template lingers in memory after erasure.
    this.full.fill(0, last * this.dims, (last + 1) * this.dims);
    this.proj.fill(0, last * PROJECTION_DIMS, (last + 1) * PROJECTION_DIMS);
    if (this.codeMean) this.codes.fill(0, last * CODE_BYTES, (last + 1) * CODE_BYTES);
    return true;
  }

  /** Best matches with exact cosine ≥ threshold, best first, at most `limit`. */
  search(query: Float32Array, opts: FaceSearchOptions): FaceMatch[] {
    if (query.length !== this.dims) throw new RangeError(`query has ${query.length} dims, not ${this.dims}`);
    const n = this.ids.length;
    const shortlist = Math.max(opts.limit, opts.shortlist ?? SHORTLIST);
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
    const n = this.ids.length;
    if (!this.codeMean || n > 2 * this.codedFor || n < this.codedFor / 2) this.buildCodes();
    const q = new Float32Array(PROJECTION_DIMS);
    this.project(query, q, 0);
    const qc = new Uint8Array(CODE_BYTES);
    this.encode(q, 0, qc, 0);
    // Every member's Hamming distance to the query's code, then a histogram of the distances.
    const dist = new Uint8Array(n);
    const hist = new Uint32Array(PROJECTION_DIMS + 1);
    const w = new Uint32Array(this.codes.buffer, this.codes.byteOffset, this.codes.length >>> 2);
    const [q0, q1, q2, q3] = new Uint32Array(qc.buffer) as unknown as [number, number, number, number];
    for (let i = 0; i < n; i++) {
      const o = i << 2;
      const d =
        popcount32((w[o] as number) ^ q0) +
        popcount32((w[o + 1] as number) ^ q1) +
        popcount32((w[o + 2] as number) ^ q2) +
        popcount32((w[o + 3] as number) ^ q3);
      dist[i] = d;
      hist[d]!++;
    }
    // The smallest cut-off distance that keeps at least k members; ties at the cut-off are cut at k.
    let cut = 0;
    for (let seen = 0; cut <= PROJECTION_DIMS; cut++) if ((seen += hist[cut] as number) >= k) break;
    const out: number[] = [];
    const atCut: number[] = [];
    for (let i = 0; i < n; i++) {
      const d = dist[i] as number;
      if (d < cut) out.push(i);
      else if (d === cut) atCut.push(i);
    }
    for (const i of atCut) {
      if (out.length >= k) break;
      out.push(i);
    }
    return out;
  }

  /** Centres the codes on the members' mean projection and codes every member. */
  private buildCodes(): void {
    const n = this.ids.length;
    const mean = new Float32Array(PROJECTION_DIMS);
    for (let i = 0; i < n; i++) {
      const o = i * PROJECTION_DIMS;
      for (let j = 0; j < PROJECTION_DIMS; j++) mean[j] = (mean[j] as number) + (this.proj[o + j] as number);
    }
    for (let j = 0; j < PROJECTION_DIMS; j++) mean[j] = (mean[j] as number) / Math.max(1, n);
    this.codeMean = mean;
    this.codes = new Uint8Array((this.proj.length / PROJECTION_DIMS) * CODE_BYTES);
    for (let i = 0; i < n; i++) this.encode(this.proj, i * PROJECTION_DIMS, this.codes, i * CODE_BYTES);
    this.codedFor = n;
  }

  private encode(proj: Float32Array, from: number, into: Uint8Array, at: number): void {
    const mean = this.codeMean as Float32Array;
    for (let b = 0; b < CODE_BYTES; b++) {
      let byte = 0;
      for (let bit = 0; bit < 8; bit++) {
        const j = b * 8 + bit;
        if ((proj[from + j] as number) > (mean[j] as number)) byte |= 1 << bit;
      }
      into[at + b] = byte;
    }
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
    const codes = new Uint8Array(cap * CODE_BYTES);
    codes.set(this.codes.subarray(0, Math.min(this.codes.length, codes.length)));
    this.codes = codes;
  }
}
