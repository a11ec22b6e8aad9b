/**
 * softmax and log_softmax over any axis (the last by default), composed from primitives and stable
 * for any logits: log_softmax(z) = z - max(z) - log(sum(exp(z - max(z)))). The max is a constant for
 * the gradient (it cancels mathematically), so no gradient flows through it.
 *
 * Reference: Keras 3 keras/src/activations/activations.py (`softmax(x, axis=-1)`, which caches the
 * logits as `_keras_logits` for the crossentropies).
 */
import { ShapeError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { max, stopGradient, sum } from '../autodiff/primitives.js';
import { div, exp, log, sub } from './arithmetic.js';

/** The logits each last-axis softmax output was computed from, so crossentropy can use the stable path. */
const logitsOfOutput = new WeakMap<Tensor, Tensor>();

/**
 * The axis as a non-negative index.
 * @throws ShapeError unless an integer in [-rank, rank).
 */
function checkAxis(owner: string, x: Tensor, axis: unknown): number {
  const rank = x.rank;
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -rank || axis >= rank) {
    const shown = typeof axis === 'string' ? `'${axis}'` : String(axis);
    throw new ShapeError(`${owner}: axis ${shown} is not an axis of a tensor of rank ${rank}; expected an integer in [${-rank}, ${rank - 1}] (default -1, the last).`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** z - max(z) over `axis`, with the max treated as a constant. */
function shifted(logits: Tensor, axis: number): Tensor {
  return sub(logits, stopGradient(max(logits, axis, true)));
}

/**
 * log_softmax over `axis` (default -1). Shapes: any -> same.
 * Example: logSoftmax([1000, 0, -1000]) = [0, -1000, -2000] exactly.
 * @throws ShapeError for an axis out of range or not an integer.
 */
export function logSoftmax(logits: Tensor, axis = -1): Tensor {
  const a = checkAxis('logSoftmax', logits, axis);
  const z = shifted(logits, a);
  return sub(z, log(sum(exp(z), a, true)));
}

/**
 * softmax over `axis` (default -1, the last): exp(z - max) / sum(exp(z - max)), each slice along
 * `axis` sums to 1. Shapes: any -> same. Over the last axis the result remembers its logits (see
 * `logitsOf`), as Keras does with `_keras_logits`, so crossentropy takes the stable path.
 * @throws ShapeError for an axis out of range or not an integer.
 * @example softmax(tensor([[0, 0], [1, 1]], [2, 2]), 0) // [[e^0/(1+e), e^0/(1+e)], [e/(1+e), e/(1+e)]] = [[0.2689, 0.2689], [0.7311, 0.7311]]
 */
export function softmax(logits: Tensor, axis = -1): Tensor {
  const a = checkAxis('softmax', logits, axis);
  const e = exp(shifted(logits, a));
  const y = div(e, sum(e, a, true));
  if (a === logits.rank - 1) logitsOfOutput.set(y, logits);
  return y;
}

/** The logits a softmax output came from, if it came from `softmax` over the last axis. */
export function logitsOf(probabilities: Tensor): Tensor | undefined {
  return logitsOfOutput.get(probabilities);
}
