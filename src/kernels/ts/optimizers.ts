import type { TypedArray } from '../../core/dtype.js';

/**
 * One Adam step on one weight, in place, in one pass (see `Kernels.adamUpdate`):
 *   m <- m + (g - m)(1 - beta1);  v <- v + (g^2 - v)(1 - beta2);  w <- w - alpha m / (sqrt(v) + epsilon)
 * Arithmetic in float64, each stored value rounded once: the native kernel does the same
 * operations in the same order and gives the same bits.
 */
export function adamUpdate(w: TypedArray, g: TypedArray, m: TypedArray, v: TypedArray, alpha: number,
  beta1: number, beta2: number, epsilon: number): void {
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    m[i] += (gi - m[i]) * c1;
    v[i] += (gi * gi - v[i]) * c2;
    w[i] -= (alpha * m[i]) / (Math.sqrt(v[i]) + epsilon);
  }
}

/**
 * One SGD step on one weight, in place (see `Kernels.sgdUpdate`): without velocity w <- w - lr g;
 * with it v <- mu v - lr g, then w <- w + v, or w <- w + mu v - lr g (Nesterov, Keras form).
 */
export function sgdUpdate(w: TypedArray, g: TypedArray, velocity: TypedArray | null, lr: number,
  momentum: number, nesterov: boolean): void {
  const n = w.length;
  if (velocity === null) {
    for (let i = 0; i < n; i++) w[i] -= lr * g[i];
  } else if (nesterov) {
    for (let i = 0; i < n; i++) {
      velocity[i] = momentum * velocity[i] - lr * g[i];
      w[i] += momentum * velocity[i] - lr * g[i];
    }
  } else {
    for (let i = 0; i < n; i++) {
      velocity[i] = momentum * velocity[i] - lr * g[i];
      w[i] += velocity[i];
    }
  }
}
