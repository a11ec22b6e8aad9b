import type { TypedArray } from '../../core/dtype.js';

/**
 * Reference GEMM, row-major: C = alpha * op(A) op(B) + beta * C (see `Kernels.gemm`).
 * Loop order i-p-j keeps the inner loop contiguous in B and C for the common no-transpose case.
 * This is the oracle the WebAssembly kernel is checked against, and the fallback without SIMD.
 */
export function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: TypedArray, b: TypedArray, beta: number, c: TypedArray): void {
  const mn = m * n;
  if (beta === 0) c.fill(0, 0, mn);
  else if (beta !== 1) for (let i = 0; i < mn; i++) c[i] *= beta;
  if (alpha === 0 || k === 0) return;
  // Strides of op(A)[i, p] and op(B)[p, j] in the stored arrays.
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  if (!transB) {
    for (let i = 0; i < m; i++) {
      const cOff = i * n;
      for (let p = 0; p < k; p++) {
        const av = alpha * a[i * aRow + p * aCol];
        const bOff = p * n;
        for (let j = 0; j < n; j++) c[cOff + j] += av * b[bOff + j];
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      const cOff = i * n;
      for (let j = 0; j < n; j++) {
        const bOff = j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * aRow + p * aCol] * b[bOff + p];
        c[cOff + j] += alpha * s;
      }
    }
  }
}
