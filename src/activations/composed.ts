/**
 * Activations composed from primitives (no kernel of their own): Keras 3's `relu(x, negative_slope,
 * max_value, threshold)`, `relu6`, `hard_sigmoid`, `softsign`, `log_sigmoid` and `celu`. Each is
 * built with `where(x > c, ...)` so that the gradient at every kink is the one stated below (the
 * value of the branch taken at the kink), and is differentiable through the tape like any op.
 *
 * | name | formula | gradient at the kinks |
 * |---|---|---|
 * | relu6 | min(max(x, 0), 6) | 0 at x = 0 and x = 6 (TF's Relu6Grad: (x > 0) & (x < 6)) |
 * | hard_sigmoid | relu6(x + 3) / 6 (Keras 3; Keras 2 used 0.2 x + 0.5) | 0 at x = -3 and x = 3 |
 * | softsign | x / (1 + abs(x)) | smooth: 1 / (1 + abs(x))^2, 1 at 0 |
 * | log_sigmoid | log(1 / (1 + e^-x)) = -softplus(-x), never overflows | smooth: sigmoid(-x) |
 * | celu | max(x, 0) + alpha (e^(min(x, 0) / alpha) - 1) = alpha elu(x / alpha) | C1: 1 at 0 |
 * | relu(x, options) | Keras's ReLU.static_call, see `relu` | 0 at x = threshold and at x = maxValue |
 *
 * Reference: Keras 3 keras/src/activations/activations.py (relu, relu6, hard_sigmoid, softsign,
 * log_sigmoid, celu) and keras/src/backend/tensorflow/nn.py (`hard_sigmoid = relu6(x + 3) / 6`,
 * `celu = maximum(x, 0) + alpha * expm1(minimum(x, 0) / alpha)`); CELU: Barron 2017, arXiv:1704.07483.
 */
import { ValueError, checkOptionKeys, keysOf } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { binary, unary, where } from '../autodiff/primitives.js';
import { add, div, mul, neg, scalarLike, sub } from '../ops/arithmetic.js';

/** Keras 3's default alpha of `celu`. */
export const CELU_ALPHA = 1.0;
/** The saturation value of relu6. */
export const RELU6_MAX = 6;

/** x > c, as 1 or 0 (no gradient). */
const above = (x: Tensor, c: number): Tensor => binary('greater', x, scalarLike(x, c));
/** x < c, as 1 or 0 (no gradient). */
const below = (x: Tensor, c: number): Tensor => binary('greater', scalarLike(x, c), x);

/**
 * relu6(x) = min(max(x, 0), 6). Shapes: any -> same.
 * Gradient 1 on (0, 6), 0 elsewhere, including x = 0 and x = 6 (TF's Relu6Grad).
 * @example relu6(tensor([-1, 0, 3, 6, 7])) // [0, 0, 3, 6, 6]
 */
export function relu6(x: Tensor): Tensor {
  const zero = scalarLike(x, 0);
  return where(above(x, 0), where(below(x, RELU6_MAX), x, scalarLike(x, RELU6_MAX)), zero);
}

/**
 * Keras 3's hard sigmoid: relu6(x + 3) / 6, i.e. 0 for x <= -3, 1 for x >= 3, x / 6 + 0.5 between.
 * Shapes: any -> same. Gradient 1/6 on (-3, 3), 0 elsewhere (0 at x = +-3).
 * Keras 2 and TF.js used 0.2 x + 0.5 clipped to [0, 1]; Keras 3 changed to this form.
 * @example hardSigmoid(tensor([-4, -3, 0, 1.5, 3])) // [0, 0, 0.5, 0.75, 1]
 */
export function hardSigmoid(x: Tensor): Tensor {
  return div(relu6(add(x, 3)), 6);
}

/**
 * softsign(x) = x / (1 + |x|). Shapes: any -> same. Gradient 1 / (1 + |x|)^2 (1 at 0).
 * @example softsign(tensor([-3, 0, 1])) // [-0.75, 0, 0.5]
 */
export function softsign(x: Tensor): Tensor {
  return div(x, add(unary('abs', x), 1));
}

/**
 * log_sigmoid(x) = log(1 / (1 + e^-x)) = -softplus(-x), with the stable softplus kernel: finite for
 * any x (log_sigmoid(-1000) = -1000, log_sigmoid(1000) = 0). Shapes: any -> same.
 * Gradient sigmoid(-x) = 1 - sigmoid(x).
 * @example logSigmoid(tensor([0])) // [-0.6931471805599453] (= -log 2)
 */
export function logSigmoid(x: Tensor): Tensor {
  return neg(unary('softplus', neg(x)));
}

/** Options of `celu`. */
export interface CeluOptions {
  /** alpha > 0: the negative part tends to -alpha. Default 1 (Keras 3). */
  alpha?: number;
}

/**
 * CELU(x) = x for x > 0, alpha (e^(x / alpha) - 1) otherwise, computed as alpha elu(x / alpha) with
 * the elu kernel (expm1, accurate near 0). Continuously differentiable: the gradient is 1 at 0 from
 * both sides. Shapes: any -> same.
 * @throws ValueError unless alpha is a finite number > 0 (Keras divides by alpha), or for an unknown option.
 * @example celu(tensor([-1, 0, 2]), { alpha: 2 }) // [2 (e^-0.5 - 1), 0, 2] = [-0.786938680574733, 0, 2]
 */
export function celu(x: Tensor, options: CeluOptions = {}): Tensor {
  checkOptionKeys('celu', options, keysOf<CeluOptions>({ alpha: true }));
  const alpha = options.alpha ?? CELU_ALPHA;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < Infinity)) {
    throw new ValueError(`celu: alpha must be a finite number > 0 (the input is divided by it), received ${String(alpha)}.`);
  }
  return alpha === 1 ? unary('elu', x, 1) : mul(unary('elu', div(x, alpha), 1), alpha);
}

/** Options of `relu`, Keras 3's `relu(x, negative_slope=0.0, max_value=None, threshold=0.0)`. */
export interface ReluOptions {
  /** Slope below the threshold, a finite number. Default 0. */
  negativeSlope?: number;
  /** Largest output (saturation), a finite number >= 0, or null for none. Default null. */
  maxValue?: number | null;
  /** Inputs at or below it are damped (0, or negativeSlope (x - threshold)), a finite number. Default 0. */
  threshold?: number;
}

/** The keys of `ReluOptions`. */
export const RELU_OPTION_KEYS = keysOf<ReluOptions>({ negativeSlope: true, maxValue: true, threshold: true });

/**
 * Checks relu's options and returns them with their defaults.
 * @throws ValueError for an unknown key or a value that is not a finite number (maxValue: >= 0 or null).
 */
export function checkReluOptions(owner: string, options: ReluOptions): Required<ReluOptions> {
  checkOptionKeys(owner, options, RELU_OPTION_KEYS);
  const finite = (key: string, v: unknown): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${owner}: ${key} must be a finite number, received ${String(v)}.`);
    return v;
  };
  const negativeSlope = finite('negativeSlope', options.negativeSlope ?? 0);
  const threshold = finite('threshold', options.threshold ?? 0);
  const maxValue = options.maxValue ?? null;
  if (maxValue !== null && !(finite('maxValue', maxValue) >= 0)) {
    throw new ValueError(`${owner}: maxValue must be >= 0 or null (no saturation), received ${maxValue}.`);
  }
  return { negativeSlope, maxValue, threshold };
}

/**
 * Keras 3's `relu(x, negative_slope, max_value, threshold)`, following `ReLU.static_call`:
 *
 *   y = x if x > threshold else 0;  y = clip(y, 0, maxValue) (when set);
 *   y -= negativeSlope * relu(threshold - x)   (when negativeSlope != 0)
 *
 * so below the threshold y = negativeSlope (x - threshold). With only negativeSlope it is
 * leaky_relu. Shapes: any -> same. Gradient: 1 on (threshold, maxValue), 0 above maxValue,
 * negativeSlope below the threshold; at x = threshold it is 0 (the x > threshold branch is not
 * taken, and relu'(0) = 0), at x = maxValue it is 0.
 * @throws ValueError for an unknown option or an invalid value (see `checkReluOptions`).
 * @example relu(tensor([-10, -5, 0, 5, 10]), { threshold: 5 }) // [-0, -0, 0, 0, 10] (Keras's docstring)
 */
export function relu(x: Tensor, options: ReluOptions = {}): Tensor {
  const { negativeSlope, maxValue, threshold } = checkReluOptions('relu', options);
  const zero = scalarLike(x, 0);
  let y = where(above(x, threshold), x, zero);
  if (maxValue !== null) y = where(below(y, maxValue), y, scalarLike(x, maxValue));
  if (negativeSlope !== 0) {
    const shifted = sub(scalarLike(x, threshold), x); // threshold - x
    y = sub(y, mul(where(above(shifted, 0), shifted, zero), negativeSlope));
  }
  return y;
}
