// Seeded random numbers for the synthetic history (sfc32: fast, 128-bit state, good enough for
// simulation), with the distributions demand needs: normal, gamma, Poisson and the negative
// binomial as a gamma–Poisson mixture.

export interface Random {
  next(): number;
  normal(mean?: number, sd?: number): number;
  gamma(shape: number, scale: number): number;
  poisson(mean: number): number;
  /** Negative binomial with this mean and dispersion k (variance = mean + mean² / k). */
  negBinomial(mean: number, k: number): number;
  int(lo: number, hiInclusive: number): number;
}

export function createRandom(seed: number): Random {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 ^ (seed * 31);
  let c = 0xb7e15162 ^ (seed * 131);
  let d = 1;
  const next = (): number => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  const normal = (mean = 0, sd = 1): number => {
    const u = Math.max(next(), 1e-12);
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  // Marsaglia–Tsang; shape < 1 boosted.
  const gamma = (shape: number, scale: number): number => {
    if (shape < 1) return gamma(shape + 1, scale) * Math.pow(Math.max(next(), 1e-12), 1 / shape);
    const dd = shape - 1 / 3;
    const cc = 1 / Math.sqrt(9 * dd);
    for (;;) {
      const x = normal();
      const v = Math.pow(1 + cc * x, 3);
      if (v <= 0) continue;
      const u = next();
      if (Math.log(Math.max(u, 1e-300)) < 0.5 * x * x + dd - dd * v + dd * Math.log(v)) return dd * v * scale;
    }
  };
  const poisson = (mean: number): number => {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(normal(mean, Math.sqrt(mean))));
    const l = Math.exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= next();
    } while (p > l);
    return k - 1;
  };
  return {
    next,
    normal,
    gamma,
    poisson,
    negBinomial: (mean, k) => (mean <= 0 ? 0 : poisson(gamma(k, mean / k))),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
  };
}
