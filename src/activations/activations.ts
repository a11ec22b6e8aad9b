/**
 * Activation functions by name (Keras snake_case; TF.js camelCase accepted as aliases).
 * Each is either an elementwise primitive (which a Dense layer fuses) or softmax.
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
 * | softmax | e^(z - max) / sum(e^(z - max)) over the last axis | |
 */
import { ValueError, invalidNameMessage } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { unary } from '../autodiff/primitives.js';
import type { UnaryOp } from '../kernels/kernels.js';
import { softmax } from '../ops/softmax.js';

export const ACTIVATION_NAMES = ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'selu', 'softmax'] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** Keras 3 default slope of leaky_relu (`keras.activations.leaky_relu(negative_slope=0.2)`). */
export const LEAKY_RELU_ALPHA = 0.2;
/** Keras default alpha of elu. */
export const ELU_ALPHA = 1.0;

const ALIASES: Record<string, ActivationName> = { leakyRelu: 'leaky_relu', leakyrelu: 'leaky_relu', none: 'linear', logistic: 'sigmoid' };

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
    case 'linear': case 'sigmoid': case 'tanh': case 'relu': case 'selu':
      return { kind: 'elementwise', op: name, alpha: 0 };
    default: return name satisfies never;
  }
}

/** Applies an activation by name. Shapes: any -> same (softmax over the last axis). */
export function activate(name: ActivationName, x: Tensor): Tensor {
  const spec = activationSpec(name);
  return spec.kind === 'softmax' ? softmax(x) : unary(spec.op, x, spec.alpha);
}
