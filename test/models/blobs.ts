// Test data shared by the Sequential and functional model tests.
import { Rng } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';

/**
 * Three Gaussian blobs in 2-D, centres (0, 3), (-3, -2), (3, -2), std 0.7, drawn from `new Rng(seed)`;
 * row i belongs to class i mod 3. Shapes: x [n, 2], y [n].
 */
export function blobs(n: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed);
  const centers = [[0, 3], [-3, -2], [3, -2]];
  const x = new Float32Array(2 * n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x[2 * i] = centers[c][0] + 0.7 * rng.nextNormal();
    x[2 * i + 1] = centers[c][1] + 0.7 * rng.nextNormal();
    y[i] = c;
  }
  return { x: new Tensor(x, [n, 2]), y: new Tensor(y, [n]) };
}
