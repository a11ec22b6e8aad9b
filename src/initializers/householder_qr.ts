/**
 * Reduced QR decomposition by Householder reflections, in float64, for the orthogonal initializer.
 * No dependency: a few dozen lines are enough for the sizes of weight matrices.
 */

/** The reduced QR factors that the orthogonal initializer needs. */
export interface ReducedQr {
  /** Q, m x n with orthonormal columns, stored column-major: column j is q[j*m .. j*m + m). */
  readonly q: Float64Array;
  /** The diagonal of R (length n). Its signs fix the sign ambiguity of Q. */
  readonly rDiagonal: Float64Array;
}

/**
 * Reduced QR of an m x n matrix A (m >= n), A = Q R, with Q m x n (Q^T Q = I) and R n x n upper
 * triangular. A is given column-major (column j at `a[j*m .. j*m + m)`) and is overwritten.
 *
 * Algorithm (Golub & Van Loan, "Matrix Computations", 4th ed., Algorithm 5.2.1): for k = 0..n-1,
 * the reflection H_k = I - 2 v v^T (|v| = 1) maps column k below the diagonal onto
 * alpha e_k with alpha = -sign(x_0) |x| (the sign avoids cancellation), and is applied to the
 * remaining columns; then Q = H_0 H_1 ... H_{n-1} [I_n; 0], accumulated backwards.
 * Cost about 4 m n^2 flops. A column that is already zero below the diagonal gets H = I, R_kk = 0.
 *
 * @param a - the matrix, column-major, length m * n (overwritten).
 * @param m - rows, m >= n.
 * @param n - columns.
 */
export function householderQr(a: Float64Array, m: number, n: number): ReducedQr {
  if (m < n) throw new RangeError(`householderQr: expected rows >= columns, got ${m} x ${n}.`);
  // vs[k] holds v_k in rows k..m-1 (the rest unused); empty when H_k = I.
  const vs: (Float64Array | null)[] = [];
  const rDiagonal = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const colK = k * m;
    let norm2 = 0;
    for (let i = k; i < m; i++) norm2 += a[colK + i] * a[colK + i];
    const norm = Math.sqrt(norm2);
    const x0 = a[colK + k];
    // |x| below the diagonal already 0 except x0: R_kk = x0, no reflection needed.
    if (norm === 0 || norm === Math.abs(x0)) {
      rDiagonal[k] = x0;
      vs.push(null);
      continue;
    }
    const alpha = x0 >= 0 ? -norm : norm;
    // v = x - alpha e_0, normalized; |v|^2 = 2 norm (norm + |x0|).
    const v = new Float64Array(m - k);
    v[0] = x0 - alpha;
    for (let i = k + 1; i < m; i++) v[i - k] = a[colK + i];
    const vNorm = Math.sqrt(2 * norm * (norm + Math.abs(x0)));
    for (let i = 0; i < v.length; i++) v[i] /= vNorm;
    rDiagonal[k] = alpha;
    // Apply H_k to columns k+1..n-1: col -= 2 v (v . col).
    for (let j = k + 1; j < n; j++) {
      const col = j * m + k;
      let dot = 0;
      for (let i = 0; i < v.length; i++) dot += v[i] * a[col + i];
      dot *= 2;
      for (let i = 0; i < v.length; i++) a[col + i] -= dot * v[i];
    }
    vs.push(v);
  }
  // Q = H_0 ... H_{n-1} applied to the first n columns of I, innermost reflection first.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * m + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k];
    if (v === null) continue;
    // H_k only touches rows k..m-1; columns j < k of Q are still e_j there (zero in rows >= k).
    for (let j = k; j < n; j++) {
      const col = j * m + k;
      let dot = 0;
      for (let i = 0; i < v.length; i++) dot += v[i] * q[col + i];
      dot *= 2;
      for (let i = 0; i < v.length; i++) q[col + i] -= dot * v[i];
    }
  }
  return { q, rDiagonal };
}
