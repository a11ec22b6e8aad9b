/** Functional gradients: `grad` and `valueAndGrad`, as in JAX and TF.js. */
import { allocate } from '../core/dtype.js';
import { ShapeError } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { backward } from './backward.js';

/**
 * Returns a function that evaluates `f` and its gradient with respect to every argument.
 * `f` must return a scalar (one element).
 *
 * @throws ShapeError when `f` returns more than one element.
 * @example valueAndGrad((x) => sum(mul(x, x)))(tensor([1, 2])) // value 5, grads [[2, 4]]
 */
export function valueAndGrad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => { value: Tensor; grads: Tensor[] } {
  return (...xs) => {
    const leaves = xs.map((x) => new Tensor(x.data, x.shape, true));
    const value = f(...leaves);
    if (value.size !== 1) {
      throw new ShapeError(`valueAndGrad: the function must return a scalar, got shape ${formatShape(value.shape)}. Reduce it (e.g. with sum or mean) first.`);
    }
    const gs = backward(value, leaves);
    const grads = gs.map((g, i) => new Tensor(g ?? allocate(leaves[i].dtype, leaves[i].size), leaves[i].shape));
    return { value: new Tensor(value.data, value.shape), grads };
  };
}

/** Returns a function that computes the gradient of scalar `f` with respect to every argument. */
export function grad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => Tensor[] {
  const vg = valueAndGrad(f);
  return (...xs) => vg(...xs).grads;
}
