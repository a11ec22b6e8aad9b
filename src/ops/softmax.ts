/**
 * softmax and log_softmax over the last axis, composed from primitives and stable for any logits:
 * log_softmax(z) = z - max(z) - log(sum(exp(z - max(z)))). The max is a constant for the gradient
 * (it cancels mathematically), so no gradient flows through it.
 */
import type { Tensor } from '../core/tensor.js';
import { max, stopGradient, sum } from '../autodiff/primitives.js';
import { div, exp, log, sub } from './arithmetic.js';

/** The logits each softmax output was computed from, so crossentropy can use the stable path. */
const logitsOfOutput = new WeakMap<Tensor, Tensor>();

/** z - max(z) over the last axis, with the max treated as a constant. */
function shifted(logits: Tensor): Tensor {
  return sub(logits, stopGradient(max(logits, -1, true)));
}

/**
 * log_softmax over the last axis. Shapes: [..., classes] -> same.
 * Example: logSoftmax([1000, 0, -1000]) = [0, -1000, -2000] exactly.
 */
export function logSoftmax(logits: Tensor): Tensor {
  const z = shifted(logits);
  return sub(z, log(sum(exp(z), -1, true)));
}

/**
 * softmax over the last axis: exp(z - max) / sum(exp(z - max)). Shapes: [..., classes] -> same.
 * The result remembers its logits (see `logitsOf`), as Keras does with `_keras_logits`.
 */
export function softmax(logits: Tensor): Tensor {
  const e = exp(shifted(logits));
  const y = div(e, sum(e, -1, true));
  logitsOfOutput.set(y, logits);
  return y;
}

/** The logits a softmax output came from, if it came from `softmax`. */
export function logitsOf(probabilities: Tensor): Tensor | undefined {
  return logitsOfOutput.get(probabilities);
}
