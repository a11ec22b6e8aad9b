import type { TypedArray } from '../../core/dtype.js';

/**
 * Fused batch normalization forward (see `Kernels.batchNormForward`), x viewed as
 * [outer, features, inner]. Training: mean and biased variance per feature over outer and inner,
 * two passes (mean first, then squared deviations: no cancellation for inputs with a large mean),
 * written to `mean` and `variance`; else `mean` and `variance` are read. Then
 * invStd = 1 / sqrt(variance + epsilon) and y = (x - mean) gamma invStd + beta.
 * Sums in float64, in the order below; the native kernel does the same and gives the same bits.
 */
export function batchNormForward(x: TypedArray, outer: number, features: number, inner: number,
  gamma: TypedArray | null, beta: TypedArray | null, epsilon: number, training: boolean,
  mean: Float64Array, variance: Float64Array, invStd: Float64Array, y: TypedArray): void {
  if (training) {
    const count = outer * inner;
    mean.fill(0);
    variance.fill(0);
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < features; c++) {
        const base = (o * features + c) * inner;
        let s = 0;
        for (let i = 0; i < inner; i++) s += x[base + i];
        mean[c] += s;
      }
    }
    for (let c = 0; c < features; c++) mean[c] /= count;
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < features; c++) {
        const base = (o * features + c) * inner;
        const m = mean[c];
        let s = 0;
        for (let i = 0; i < inner; i++) { const d = x[base + i] - m; s += d * d; }
        variance[c] += s;
      }
    }
    for (let c = 0; c < features; c++) variance[c] /= count;
  }
  for (let c = 0; c < features; c++) invStd[c] = 1 / Math.sqrt(variance[c] + epsilon);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < features; c++) {
      const base = (o * features + c) * inner;
      const m = mean[c];
      const scale = (gamma !== null ? gamma[c] : 1) * invStd[c];
      const shift = beta !== null ? beta[c] : 0;
      for (let i = 0; i < inner; i++) y[base + i] = (x[base + i] - m) * scale + shift;
    }
  }
}

/**
 * Fused batch normalization backward (see `Kernels.batchNormBackward`), with xhat = (x - mean) invStd:
 * sumDy = sum dy and sumDyXhat = sum dy xhat per feature (the gradients of beta and gamma);
 * training: dx = gamma invStd (dy - sumDy / n - xhat sumDyXhat / n), n = outer inner;
 * inference (constant statistics): dx = gamma invStd dy. dx is skipped when null.
 */
export function batchNormBackward(x: TypedArray, dy: TypedArray, outer: number, features: number, inner: number,
  gamma: TypedArray | null, mean: Float64Array, invStd: Float64Array, training: boolean,
  dx: TypedArray | null, sumDy: Float64Array, sumDyXhat: Float64Array): void {
  sumDy.fill(0);
  sumDyXhat.fill(0);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < features; c++) {
      const base = (o * features + c) * inner;
      const m = mean[c];
      const s = invStd[c];
      let a = 0;
      let b = 0;
      for (let i = 0; i < inner; i++) { const g = dy[base + i]; a += g; b += g * (x[base + i] - m) * s; }
      sumDy[c] += a;
      sumDyXhat[c] += b;
    }
  }
  if (dx === null) return;
  const count = outer * inner;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < features; c++) {
      const base = (o * features + c) * inner;
      const s = invStd[c];
      const k = (gamma !== null ? gamma[c] : 1) * s;
      const m = mean[c];
      if (training) {
        const meanDy = sumDy[c] / count;
        const meanDyXhat = sumDyXhat[c] / count;
        for (let i = 0; i < inner; i++) dx[base + i] = k * (dy[base + i] - meanDy - (x[base + i] - m) * s * meanDyXhat);
      } else {
        for (let i = 0; i < inner; i++) dx[base + i] = k * dy[base + i];
      }
    }
  }
}
