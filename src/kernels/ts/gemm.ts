import type { TypedArray } from '../../core/dtype.js';

/**
 * Reference GEMM, row-major: C = alpha * op(A) op(B) + beta * C (see `Kernels.gemm`).
 *
 * Every element is summed in float64 and stored once: C[i, j] = round(alpha acc + beta C[i, j]),
 * acc = sum_p op(A)[i, p] op(B)[p, j] in p order (beta = 0: C is not read). A float32 product of
 * two float32 values is exact in float64, so the stored value is within one float32 rounding of the
 * exact result (plus k 2^-53 of the sum of the terms' magnitudes): the oracle the WebAssembly and
 * native kernels (float32 accumulators) are checked against, and the fallback without SIMD.
 * Accumulating in the float32 array instead (one rounding per term) left errors of ~sqrt(k) 2^-24
 * of the terms' magnitudes, which flipped the sign of near-zero relu pre-activations (and so the
 * relu mask of the backward) where float64 did not.
 *
 * Loop order i-p-j keeps the inner loop contiguous in B and in the float64 row accumulator for the
 * common no-transpose case; transB uses one scalar dot product per element.
 */
export function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: TypedArray, b: TypedArray, beta: number, c: TypedArray): void {
  const mn = m * n;
  if (alpha === 0 || k === 0) {
    if (beta === 0) c.fill(0, 0, mn);
    else if (beta !== 1) for (let i = 0; i < mn; i++) c[i] *= beta;
    return;
  }
  // Strides of op(A)[i, p] and op(B)[p, j] in the stored arrays.
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  if (!transB) {
    const acc = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      acc.fill(0);
      for (let p = 0; p < k; p++) {
        const av = a[i * aRow + p * aCol];
        const bOff = p * n;
        for (let j = 0; j < n; j++) acc[j] += av * b[bOff + j];
      }
      store(c, i * n, acc, n, alpha, beta);
    }
  } else {
    const acc = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const bOff = j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * aRow + p * aCol] * b[bOff + p];
        acc[j] = s;
      }
      store(c, i * n, acc, n, alpha, beta);
    }
  }
}

/** C[off + j] = alpha acc[j] + beta C[off + j] for j < n, in float64, rounded once (beta = 0: C not read). */
function store(c: TypedArray, off: number, acc: Float64Array, n: number, alpha: number, beta: number): void {
  if (beta === 0) for (let j = 0; j < n; j++) c[off + j] = alpha * acc[j];
  else for (let j = 0; j < n; j++) c[off + j] = alpha * acc[j] + beta * c[off + j];
}
