/**
 * Initialization advice: the table of Hands-On Machine Learning (3rd ed., ch. 11, Table 11-1) as
 * data, and a check of an (activation, initializer) pairing against it.
 *
 * | initialization | activation functions | variance |
 * |---|---|---|
 * | Glorot | none (linear), tanh, sigmoid (logistic), softmax | 1 / fan_avg |
 * | He | ReLU and its variants (leaky ReLU, PReLU, ELU, GELU, swish, mish) | 2 / fan_in |
 * | LeCun | SELU | 1 / fan_in |
 *
 * References: Glorot & Bengio 2010 (AISTATS); He et al. 2015, arXiv:1502.01852;
 * Klambauer et al. 2017, arXiv:1706.02515; LeCun et al. 1998 "Efficient BackProp".
 */
import type { Initializer } from './initializer.js';
import { RandomNormal } from './random_normal.js';
import { RandomUniform } from './random_uniform.js';
import { initializerTheory } from './theory.js';
import { TruncatedNormal } from './truncated_normal.js';

export const INIT_FAMILIES = ['glorot', 'he', 'lecun'] as const;
export type InitFamily = (typeof INIT_FAMILIES)[number];

export interface InitFamilyAdvice {
  family: InitFamily;
  /** Activation names (Keras snake_case) this family suits. */
  activations: readonly string[];
  /** The initializer name to recommend. */
  recommended: string;
  /** Variance of each weight, as a formula. */
  variance: string;
  /** Why, in one sentence (the activation name is substituted for {activation}). */
  reason: string;
}

/** The chapter's table. */
export const INITIALIZER_ADVICE: readonly InitFamilyAdvice[] = [
  {
    family: 'glorot',
    activations: ['linear', 'tanh', 'sigmoid', 'softmax'],
    recommended: 'glorot_uniform',
    variance: '1 / fan_avg',
    reason: "with {activation}, which is symmetric around 0 with slope about 1 there, weights of variance 1/fan_avg keep the variance of the signal forward and of the gradients backward (Glorot & Bengio 2010)",
  },
  {
    family: 'he',
    activations: ['relu', 'leaky_relu', 'prelu', 'elu', 'gelu', 'swish', 'silu', 'mish'],
    recommended: 'he_normal',
    variance: '2 / fan_in',
    reason: '{activation} zeroes (or shrinks) about half of its inputs, so the signal variance halves at every layer unless the weights have variance 2/fan_in (He et al. 2015, arXiv:1502.01852)',
  },
  {
    family: 'lecun',
    activations: ['selu'],
    recommended: 'lecun_normal',
    variance: '1 / fan_in',
    reason: 'SELU keeps activations at mean 0 and variance 1 only when the weights are normal with variance 1/fan_in (Klambauer et al. 2017, arXiv:1706.02515)',
  },
];

/** The family the table recommends for an activation, or undefined for one it does not cover. */
export function familyForActivation(activation: string): InitFamilyAdvice | undefined {
  return INITIALIZER_ADVICE.find((f) => f.activations.includes(activation));
}

/** A non-square probe kernel [fan_in 200, fan_out 100] that tells the three families apart by variance. */
const PROBE_SHAPE = [200, 100] as const;

/**
 * What kind of initializer this is, as far as the advice is concerned: a table family (by the
 * variance it gives a probe kernel: 1/fan_avg Glorot, 2/fan_in He, 1/fan_in LeCun; this covers
 * VarianceScaling, its presets and the PyTorch xavier/kaiming helpers), a fixed scale that ignores
 * the fans (random_normal, random_uniform, truncated_normal), a constant (symmetric weights), or
 * `other` (orthogonal, identity, a custom scale: a deliberate choice the advice does not second-guess).
 */
export function classifyInitializer(init: Initializer): InitFamily | 'fixed' | 'constant' | 'other' {
  const theory = initializerTheory(init, PROBE_SHAPE);
  if (theory === null) return 'other';
  switch (theory.distribution) {
    case 'constant': return 'constant';
    case 'orthogonal': case 'identity': return 'other';
    default: break;
  }
  if (init instanceof RandomNormal || init instanceof RandomUniform || init instanceof TruncatedNormal) return 'fixed';
  const variance = theory.stddev * theory.stddev;
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * b;
  const [fanIn, fanOut] = PROBE_SHAPE;
  if (close(variance, 2 / (fanIn + fanOut))) return 'glorot';
  if (close(variance, 2 / fanIn)) return 'he';
  if (close(variance, 1 / fanIn)) return 'lecun';
  return 'other';
}

/** Whether an initializer draws from a normal distribution (truncated or not). */
function isNormal(init: Initializer): boolean {
  const d = initializerTheory(init, PROBE_SHAPE)?.distribution;
  return d === 'truncated_normal' || d === 'untruncated_normal' || d === 'normal';
}

/** A departure from the table: which layer, why, and what to use instead. */
export interface InitializerAdvice {
  activation: string;
  initializer: string;
  recommended: string;
  message: string;
}

/** Keras-style name of an initializer for messages (GlorotUniform -> glorot_uniform). */
function initName(init: Initializer): string {
  return init.getClassName().replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Checks a kernel initializer against the table for an activation. Returns null when the pairing
 * follows the table, when the activation is not in it, or when the initializer is a deliberate
 * custom choice (`other`); SELU asks for lecun_normal specifically (a normal distribution).
 *
 * @example adviseInitializer('relu', new GlorotUniform())?.recommended // 'he_normal'
 */
export function adviseInitializer(activation: string, init: Initializer): InitializerAdvice | null {
  const family = familyForActivation(activation);
  if (family === undefined) return null;
  const kind = classifyInitializer(init);
  if (kind === 'other') return null;
  if (kind === family.family && (family.family !== 'lecun' || isNormal(init))) return null;
  const name = initName(init);
  const what = kind === 'constant' ? 'a constant kernel makes every unit of the layer compute the same thing, so they never differ'
    : kind === 'fixed' ? `${name} ignores the layer's fan, so the signal shrinks or grows with the width of every layer`
    : family.reason.replace('{activation}', activation);
  return {
    activation,
    initializer: name,
    recommended: family.recommended,
    message: `activation '${activation}' with kernel initializer '${name}': ${what}. Use kernelInitializer: '${family.recommended}' (variance ${family.variance}).`,
  };
}
