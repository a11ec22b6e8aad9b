/** Reductions composed from the sum primitive. */
import { normalizeAxes } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { sum } from '../autodiff/primitives.js';
import { div } from './arithmetic.js';

/** Mean over `axes` (all when omitted). */
export function mean(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const ax = normalizeAxes(axes, x.rank);
  const count = ax.reduce((p, a) => p * x.shape[a], 1);
  return div(sum(x, ax, keepDims), Math.max(count, 1));
}
