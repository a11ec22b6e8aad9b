// Fixed-seed test data for the kernel tests: uniform floats, and NaN-filled outputs (a kernel
// must overwrite every element; one it skips stays NaN).

/** Uniform floats in [-scale, scale) from a fixed-seed LCG (Numerical Recipes constants). */
export function randomArray(n: number, seed: number, scale = 1): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = scale * (s / 2 ** 31 - 1);
  }
  return x;
}

/** n float32 NaNs. */
export const nanArray = (n: number): Float32Array => new Float32Array(n).fill(NaN);
/** n float64 NaNs. */
export const nan64 = (n: number): Float64Array => new Float64Array(n).fill(NaN);
