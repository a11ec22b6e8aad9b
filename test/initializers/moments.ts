/** Sample moments of a typed array, accumulated in float64 (helper of the initializer tests). */
export interface Moments {
  readonly n: number;
  readonly mean: number;
  /** Population variance (divides by n; the difference from n - 1 is far below the tolerances). */
  readonly variance: number;
  /** Excess kurtosis m4 / m2^2 - 3: 0 normal, -1.2 uniform, -0.6345 normal truncated at +-2 sigma. */
  readonly excessKurtosis: number;
  readonly min: number;
  readonly max: number;
  readonly maxAbs: number;
}

export function moments(data: ArrayLike<number>): Moments {
  const n = data.length;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = data[i];
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = sum / n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = data[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m4 += d2 * d2;
  }
  m2 /= n;
  m4 /= n;
  return { n, mean, variance: m2, excessKurtosis: m4 / (m2 * m2) - 3, min, max, maxAbs: Math.max(-min, max) };
}

/** Excess kurtosis of each distribution (uniform -6/5, normal 0; truncated normal by scipy.stats.truncnorm). */
export const EXCESS_KURTOSIS = {
  uniform: -1.2,
  truncated_normal: -0.6344632828703505,
  untruncated_normal: 0,
} as const;

/** Standard error of a sample variance over n draws: v * sqrt((kurtosis_excess + 2) / n). */
export function varianceStandardError(variance: number, excessKurtosis: number, n: number): number {
  return variance * Math.sqrt((excessKurtosis + 2) / n);
}

/** One float32 ulp of x (the spacing of float32 values at |x|), for bounds checked on float32 data. */
export function float32Ulp(x: number): number {
  const a = Math.abs(x);
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}
