/**
 * Gradient check by float64 central differences: (f(x + h e_i) - f(x - h e_i)) / 2h against the
 * analytic gradient, element by element.
 */
import { ValueError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { valueAndGrad } from './grad.js';
import { noGrad } from './node.js';

export interface GradcheckResult {
  /** Largest |analytic - numeric| / max(1, |numeric|) over all elements of all inputs. */
  maxError: number;
  /** Where the largest error occurred. */
  worst: { input: number; index: number; analytic: number; numeric: number };
}

/**
 * Compares the analytic gradient of scalar `f` with central differences.
 * @param inputs - float64 tensors (float32 differences are too coarse to check anything).
 * @param h - step, default 1e-6 (truncation error O(h^2), rounding error O(eps/h)).
 * @throws ValueError when an input is not float64.
 */
export function gradcheck(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], h = 1e-6): GradcheckResult {
  for (const [i, x] of inputs.entries()) {
    if (x.dtype !== 'float64') throw new ValueError(`gradcheck: input ${i} is ${x.dtype}; pass float64 tensors (tensor(values, shape, 'float64')).`);
  }
  const { grads } = valueAndGrad(f)(...inputs);
  const result: GradcheckResult = { maxError: 0, worst: { input: -1, index: -1, analytic: 0, numeric: 0 } };
  const copies = inputs.map((x) => new Tensor(new Float64Array(x.data), x.shape));
  noGrad(() => {
    copies.forEach((x, i) => {
      for (let j = 0; j < x.size; j++) {
        const orig = x.data[j];
        x.data[j] = orig + h;
        const plus = f(...copies).data[0];
        x.data[j] = orig - h;
        const minus = f(...copies).data[0];
        x.data[j] = orig;
        const numeric = (plus - minus) / (2 * h);
        const analytic = grads[i].data[j];
        const err = Math.abs(analytic - numeric) / Math.max(1, Math.abs(numeric));
        if (!(err <= result.maxError)) {
          result.maxError = err;
          result.worst = { input: i, index: j, analytic, numeric };
        }
      }
    });
  });
  return result;
}
