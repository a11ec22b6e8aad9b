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
 *
 * `gelu_tanh` is deepwell's name for the tanh approximation: Keras has no string for it (it is the
 * `approximate=True` argument of `keras.activations.gelu`), so a model using it is not readable by
 * Keras by name. Keras 3 facts checked in keras/src/activations/activations.py and __init__.py:
 * `gelu(x, approximate=False)`; `silu` registered with the alias `swish`; `leaky_relu(x, negative_slope=0.2)`.
 */
import { ValueError, checkOptionKeys, invalidNameMessage } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { unary } from '../autodiff/primitives.js';
import type { UnaryOp } from '../kernels/kernels.js';
import { familyForActivation } from '../initializers/advisor.js';
import { softmax } from '../ops/softmax.js';

export const ACTIVATION_NAMES = [
  'linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'selu',
  'softplus', 'gelu', 'gelu_tanh', 'silu', 'swish', 'mish', 'softmax',
] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** Keras 3 default slope of leaky_relu (`keras.activations.leaky_relu(negative_slope=0.2)`). */
export const LEAKY_RELU_ALPHA = 0.2;
/** Keras default alpha of elu. */
export const ELU_ALPHA = 1.0;

const ALIASES: Record<string, ActivationName> = {
  leakyRelu: 'leaky_relu', leakyrelu: 'leaky_relu', none: 'linear', logistic: 'sigmoid', geluTanh: 'gelu_tanh',
};

/** How a fused layer applies an activation: an elementwise primitive with its parameter, or softmax. */
export type ActivationSpec = { kind: 'elementwise'; op: UnaryOp; alpha: number } | { kind: 'softmax' };

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

/** The primitive (and parameter) that computes an activation. */
export function activationSpec(name: ActivationName): ActivationSpec {
  switch (name) {
    case 'softmax': return { kind: 'softmax' };
    case 'leaky_relu': return { kind: 'elementwise', op: 'leaky_relu', alpha: LEAKY_RELU_ALPHA };
    case 'elu': return { kind: 'elementwise', op: 'elu', alpha: ELU_ALPHA };
    case 'swish': return { kind: 'elementwise', op: 'silu', alpha: 0 };
    case 'linear': case 'sigmoid': case 'tanh': case 'relu': case 'selu':
    case 'softplus': case 'gelu': case 'gelu_tanh': case 'silu': case 'mish':
      return { kind: 'elementwise', op: name, alpha: 0 };
    default: return name satisfies never;
  }
}

/** Applies an activation by name. Shapes: any -> same (softmax over the last axis). */
export function activate(name: ActivationName, x: Tensor): Tensor {
  const spec = activationSpec(name);
  return spec.kind === 'softmax' ? softmax(x) : unary(spec.op, x, spec.alpha);
}

/**
 * Keras's `keras.activations.gelu(x, approximate=False)`: the exact form x Phi(x) by default, the
 * tanh approximation with `approximate: true`. Shapes: any -> same.
 * @throws ValueError for an option other than `approximate`.
 * @example gelu(tensor([-1, 0, 1])) // [-0.15865525, 0, 0.84134475] (Keras's docstring values)
 */
export function gelu(x: Tensor, options: { approximate?: boolean } = {}): Tensor {
  checkOptionKeys('gelu', options, ['approximate']);
  return unary(options.approximate ?? false ? 'gelu_tanh' : 'gelu', x);
}

/**
 * Spellings under which the initializer table (initializers/advisor.ts, the book's Table 11-1)
 * lists an activation that deepwell names differently.
 */
const ADVICE_NAMES: Partial<Record<ActivationName, string>> = { gelu_tanh: 'gelu' };

/**
 * The kernel initializer that the chapter's table recommends for an activation: 'glorot_uniform'
 * (linear, tanh, sigmoid, softmax), 'he_normal' (relu and its variants: leaky_relu, prelu, elu,
 * gelu, gelu_tanh, swish, silu, mish) or 'lecun_normal' (selu); undefined for one the table does not
 * cover (softplus). Reads `INITIALIZER_ADVICE` through `familyForActivation`, so the advice and
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
