/**
 * Activation functions by name (Keras snake_case; TF.js camelCase accepted as aliases).
 * Each is either an elementwise primitive (which a Dense layer fuses when its derivative needs only
 * the output) or softmax.
 *
 * | name | formula | reference |
 * |---|---|---|
 * | linear | x | |
 * | sigmoid | 1 / (1 + e^-x), computed without overflow | |
 * | tanh | tanh x | |
 * | relu | max(x, 0), relu'(0) = 0 | Nair & Hinton 2010 |
 * | leaky_relu | x if x > 0 else alpha x (alpha 0.2, Keras 3's negative_slope) | Maas et al. 2013 |
 * | elu | x if x > 0 else alpha (e^x - 1) (alpha 1) | Clevert et al. 2015, arXiv:1511.07289 |
 * | selu | scale * elu(x, alpha), alpha 1.6732632, scale 1.0507010 | Klambauer et al. 2017, arXiv:1706.02515 |
 * | softplus | log(1 + e^x) = max(x, 0) + log1p(e^-abs(x)), never overflows | Dugas et al. 2001 |
 * | gelu | x Phi(x) = 0.5 x (1 + erf(x / sqrt 2)), the exact form (Keras 3's default, approximate=False) | Hendrycks & Gimpel 2016, arXiv:1606.08415 |
 * | gelu_tanh | 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), Keras `gelu(x, approximate=True)`, PyTorch `GELU(approximate='tanh')` | Hendrycks & Gimpel 2016 |
 * | silu, swish | x sigmoid(x) (two names of one function, as in Keras 3) | Ramachandran et al. 2017, arXiv:1710.05941; Elfwing et al. 2017, arXiv:1702.03118 |
 * | mish | x tanh(softplus(x)) | Misra 2019, arXiv:1908.08681 |
 * | softmax | e^(z - max) / sum(e^(z - max)) over the last axis | |
 * | relu6 | min(max(x, 0), 6); gradient 0 at 0 and 6 | Krizhevsky 2010; Keras 3 `relu6` |
 * | hard_sigmoid | relu6(x + 3) / 6 (Keras 3's form; Keras 2 had 0.2 x + 0.5) | Keras 3 `hard_sigmoid` |
 * | softsign | x / (1 + abs(x)) | Keras 3 `softsign` |
 * | log_sigmoid | -softplus(-x), never overflows | Keras 3 `log_sigmoid` |
 * | celu | x if x > 0 else alpha (e^(x / alpha) - 1) (alpha 1 by name; `celu(x, { alpha })` for others) | Barron 2017, arXiv:1704.07483 |
 *
 * The last five are composed from primitives (see composed.ts, which also has Keras's
 * `relu(x, { negativeSlope, maxValue, threshold })`); a Dense layer applies them after its linear
 * primitive.
 *
 * `gelu_tanh` is deepwell's name for the tanh approximation: Keras has no string for it (it is the
 * `approximate=True` argument of `keras.activations.gelu`), so a model using it is not readable by
 * Keras by name. Keras 3 facts checked in keras/src/activations/activations.py and __init__.py:
 * `gelu(x, approximate=False)`; `silu` registered with the alias `swish`; `leaky_relu(x, negative_slope=0.2)`.
 */
import { ValueError, checkOptionKeys, invalidNameMessage } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { unary } from '../autodiff/primitives.js';
import { OUTPUT_DERIVATIVE_OPS, type UnaryOp } from '../kernels/kernels.js';
import { familyForActivation } from '../initializers/advisor.js';
import { softmax } from '../ops/softmax.js';
import { celu, hardSigmoid, logSigmoid, relu6, softsign } from './composed.js';

export const ACTIVATION_NAMES = [
  'linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'selu',
  'softplus', 'gelu', 'gelu_tanh', 'silu', 'swish', 'mish', 'softmax',
  'relu6', 'hard_sigmoid', 'softsign', 'log_sigmoid', 'celu',
] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** Keras 3 default slope of leaky_relu (`keras.activations.leaky_relu(negative_slope=0.2)`). */
export const LEAKY_RELU_ALPHA = 0.2;
/** Keras default alpha of elu. */
export const ELU_ALPHA = 1.0;

const ALIASES: Record<string, ActivationName> = {
  leakyRelu: 'leaky_relu', leakyrelu: 'leaky_relu', none: 'linear', logistic: 'sigmoid', geluTanh: 'gelu_tanh',
  hardSigmoid: 'hard_sigmoid', logSigmoid: 'log_sigmoid',
};

/**
 * How a layer applies an activation: an elementwise primitive with its parameter (which Dense may
 * fuse), softmax, or a function composed from primitives (applied after Dense's linear primitive).
 */
export type ActivationSpec =
  | { kind: 'elementwise'; op: UnaryOp; alpha: number }
  | { kind: 'softmax' }
  | { kind: 'composed'; fn: (x: Tensor) => Tensor };

/**
 * Resolves an activation name (undefined or null mean linear).
 * @throws ValueError naming the received value, the valid names and the nearest one.
 */
export function getActivation(name: string | null | undefined): ActivationName {
  if (name === undefined || name === null) return 'linear';
  if ((ACTIVATION_NAMES as readonly string[]).includes(name)) return name as ActivationName;
  const alias = ALIASES[name];
  if (alias !== undefined) return alias;
  throw new ValueError(invalidNameMessage('activation', name, ACTIVATION_NAMES));
}

/**
 * The primitive (and parameter) that computes an activation.
 * @throws ValueError for a name that is not an `ActivationName` (JavaScript callers; aliases are
 *   resolved by `getActivation`, not here), with the valid names and the nearest one.
 */
export function activationSpec(name: ActivationName): ActivationSpec {
  switch (name) {
    case 'relu6': return { kind: 'composed', fn: relu6 };
    case 'hard_sigmoid': return { kind: 'composed', fn: hardSigmoid };
    case 'softsign': return { kind: 'composed', fn: softsign };
    case 'log_sigmoid': return { kind: 'composed', fn: logSigmoid };
    case 'celu': return { kind: 'composed', fn: (x) => celu(x) };
    case 'softmax': return { kind: 'softmax' };
    case 'leaky_relu': return { kind: 'elementwise', op: 'leaky_relu', alpha: LEAKY_RELU_ALPHA };
    case 'elu': return { kind: 'elementwise', op: 'elu', alpha: ELU_ALPHA };
    case 'swish': return { kind: 'elementwise', op: 'silu', alpha: 0 };
    case 'linear': case 'sigmoid': case 'tanh': case 'relu': case 'selu':
    case 'softplus': case 'gelu': case 'gelu_tanh': case 'silu': case 'mish':
      return { kind: 'elementwise', op: name, alpha: 0 };
    default:
      name satisfies never;
      throw new ValueError(invalidNameMessage('activation', name, ACTIVATION_NAMES));
  }
}

/**
 * The elementwise activation a fused primitive that keeps only its output (Dense, Conv2D) can apply
 * itself: one in `OUTPUT_DERIVATIVE_OPS` (its derivative needs only the output), else null (the
 * layer then runs its primitive linear and applies `applyActivationSpec` after).
 * @example fusableActivation(activationSpec('relu')) // { op: 'relu', alpha: 0 }; gelu, softmax, relu6 -> null
 */
export function fusableActivation(spec: ActivationSpec): { op: UnaryOp; alpha: number } | null {
  return spec.kind === 'elementwise' && OUTPUT_DERIVATIVE_OPS.includes(spec.op) ? spec : null;
}

/**
 * Applies a resolved activation to a layer's linear output: softmax (last axis), the composed
 * function, or the elementwise primitive; linear returns `x` itself (no node on the tape).
 * Shapes: any -> same.
 */
export function applyActivationSpec(spec: ActivationSpec, x: Tensor): Tensor {
  switch (spec.kind) {
    case 'softmax': return softmax(x);
    case 'composed': return spec.fn(x);
    case 'elementwise': return spec.op === 'linear' ? x : unary(spec.op, x, spec.alpha);
    default: return spec satisfies never;
  }
}

/**
 * Applies an activation by name (any spelling `getActivation` accepts). Shapes: any -> same
 * (softmax over the last axis).
 * @throws ValueError for an unknown name, with the valid names and the nearest one.
 * @example activate('relu6', tensor([-1, 3, 7])) // [0, 3, 6]
 */
export function activate(name: ActivationName, x: Tensor): Tensor {
  const spec = activationSpec(getActivation(name));
  switch (spec.kind) {
    case 'softmax': return softmax(x);
    case 'composed': return spec.fn(x);
    case 'elementwise': return unary(spec.op, x, spec.alpha);
    default: return spec satisfies never;
  }
}

/**
 * Keras's `keras.activations.gelu(x, approximate=False)`: the exact form x Phi(x) by default, the
 * tanh approximation with `approximate: true`. Shapes: any -> same.
 * @throws ValueError for an option other than `approximate`, or approximate not a boolean.
 * @example gelu(tensor([-1, 0, 1])) // [-0.15865525, 0, 0.84134475] (Keras's docstring values)
 */
export function gelu(x: Tensor, options: { approximate?: boolean } = {}): Tensor {
  checkOptionKeys('gelu', options, ['approximate']);
  const approximate = options.approximate ?? false;
  if (typeof approximate !== 'boolean') throw new ValueError(`gelu: approximate must be true or false, received ${String(approximate)}.`);
  return unary(approximate ? 'gelu_tanh' : 'gelu', x);
}

/**
 * Spellings under which the initializer table (initializers/advisor.ts, the book's Table 11-1)
 * lists an activation that deepwell names differently.
 */
const ADVICE_NAMES: Partial<Record<ActivationName, string>> = {
  gelu_tanh: 'gelu',
  // Variants the table covers through their family: relu6 is a clipped ReLU, celu a rescaled ELU,
  // hard_sigmoid a piecewise-linear logistic, softsign a tanh-like odd squashing (slope 1 at 0).
  relu6: 'relu', celu: 'elu', hard_sigmoid: 'sigmoid', softsign: 'tanh',
};

/**
 * The kernel initializer that the chapter's table recommends for an activation: 'glorot_uniform'
 * (linear, tanh, sigmoid, softmax), 'he_normal' (relu and its variants: leaky_relu, prelu, elu,
 * gelu, gelu_tanh, swish, silu, mish, relu6, celu) or 'lecun_normal' (selu) (hard_sigmoid and softsign: glorot); undefined for one the table does not
 * cover (softplus, log_sigmoid). Reads `INITIALIZER_ADVICE` through `familyForActivation`, so the advice and
 * this answer cannot disagree.
 *
 * @param activation - an activation name (any accepted spelling) or a layer kind the table lists ('prelu').
 * @throws ValueError for a name that is neither (with the nearest valid one).
 * @example recommendedInitializer('gelu') // 'he_normal'
 */
export function recommendedInitializer(activation: string): string | undefined {
  const direct = familyForActivation(activation);
  if (direct !== undefined) return direct.recommended;
  const name = getActivation(activation);
  return familyForActivation(ADVICE_NAMES[name] ?? name)?.recommended;
}
