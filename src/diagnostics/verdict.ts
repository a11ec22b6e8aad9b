/**
 * The verdict of a diagnosis: which of the chapter's failure modes the measurements show, the
 * layers concerned, the cause in one sentence, and the fix drawn from the chapter's table
 * (Hands-On Machine Learning, 3rd ed., ch. 11: Table 11-1 via `initializers.adviseInitializer`,
 * nonsaturating activations, batch normalization, gradient clipping).
 *
 * Checks, in this order (the first that applies wins, because it causes the later ones):
 *
 * 1. `exploding` (non-finite): a NaN or infinite activation or gradient;
 * 2. `dead_units`: a hidden layer with at least DEAD_FRACTION_LIMIT (75%) of its units dead on the batch;
 * 3. `saturation`: a sigmoid or tanh hidden layer with at least SATURATION_LIMIT (25%) of its outputs saturated;
 * 4. `exploding`: the gradient grows by more than EXPLODING_RATIO from the last hidden layer back to the
 *    first (gradientRatio = gradientStd(first hidden) / gradientStd(last hidden)), or the signal grows by
 *    more than that forward (signalRatio = activationStd(last hidden) / activationStd(first hidden));
 * 5. `vanishing`: either ratio below VANISHING_RATIO; when the model's structure is given and it is a
 *    plain network (no skip connection) at least PLAIN_DEEP_LAYERS hidden layers deep, the verdict says
 *    so and advises skip connections (residual blocks, He et al. 2016, arXiv:1512.03385) or batch
 *    normalization (when the network has none): the gradient dies before it reaches the input layers;
 * 6. `healthy` otherwise.
 */
import { familyForActivation } from '../initializers/advisor.js';

export const VERDICT_KINDS = ['healthy', 'vanishing', 'exploding', 'saturation', 'dead_units'] as const;
export type VerdictKind = (typeof VERDICT_KINDS)[number];

/**
 * Gradients reaching the first hidden layer below 1/100 of those at the last hidden layer: with plain
 * SGD the first layers then learn two orders of magnitude more slowly than the last ones (Glorot &
 * Bengio 2010, fig. 7). A healthy deep network stays within a factor of a few: with width 100 the
 * log-variance of a ReLU/He network wanders by about sqrt(5 depth / width) (Hanin 2018,
 * arXiv:1801.03744), a factor of about 3 in std over 100 layers, far from 100. ReLU with
 * glorot_uniform halves the variance at every square layer: a factor 2^-14.5 over 30 layers.
 */
export const VANISHING_RATIO = 1e-2;
/** The mirror image: gradients (or the forward signal) growing more than 100-fold across the hidden layers. */
export const EXPLODING_RATIO = 1e2;
/**
 * A hidden layer with at least three quarters of its units outputting 0 for every sample of the batch.
 * Deep ReLU networks at a correct initialization already have many units silent on one batch (the
 * representations of different samples grow more alike with depth, so a unit sees inputs of one sign):
 * measured with he_normal on standardized MNIST, batches of 256, up to about 40% in a layer of a 30-layer
 * network and 60% of a 100-layer one. A layer of dead ReLUs (Hands-On ML ch. 11, "dying ReLUs": large
 * negative biases, a too-large learning rate) goes well past 75%, to 100%.
 */
export const DEAD_FRACTION_LIMIT = 0.75;
/**
 * A sigmoid or tanh hidden layer with at least a quarter of its outputs saturated (derivative below
 * 0.04, see layer_statistics.ts): the gradient through those units is all but lost (Glorot & Bengio
 * 2010, section 3.1, where the top layer's sigmoid units saturate at 0 with random_normal weights).
 */
export const SATURATION_LIMIT = 0.25;

/**
 * Hidden layers from which a plain network (no skip connection) counts as deep for the advice on
 * skip connections. He et al. 2016 (arXiv:1512.03385, fig. 1 and 6) see plain networks of 20 and more
 * layers train worse than shallower ones, and residual ones not; at 10 a vanishing gradient already
 * spans enough layers that a shortcut around them is the structural remedy.
 */
export const PLAIN_DEEP_LAYERS = 10;

/** What the verdict knows of the model's structure (from `diagnoseModel`). */
export interface ModelStructure {
  /** Whether the graph has a merge layer (Add, Concatenate, ...), i.e. a path that skips layers. */
  skipConnections: boolean;
  /** Whether the model has a BatchNormalization layer. */
  batchNormalization: boolean;
}

/** The fields of a layer's diagnosis that the verdict reads. */
export interface VerdictLayer {
  name: string;
  activation: string;
  initializer: string;
  activationStd: number;
  gradientStd: number;
  saturatedFraction: number;
  deadFraction: number;
  /** The initializer the chapter's table recommends instead, when this layer departs from it. */
  recommendedInitializer: string | null;
  nonFinite: { forward: boolean; backward: boolean };
}

export interface Verdict {
  kind: VerdictKind;
  /** Names of the layers concerned (empty when healthy). */
  layers: string[];
  /** The cause, in one sentence. */
  cause: string;
  /** What to change, from the chapter's table. */
  fix: string;
  /** gradientStd(first hidden layer) / gradientStd(last hidden layer); 1 with one hidden layer. */
  gradientRatio: number;
  /** activationStd(last hidden layer) / activationStd(first hidden layer); 1 with one hidden layer. */
  signalRatio: number;
}

const fmt = (v: number): string => (Number.isFinite(v) && v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4) ? v.toExponential(1) : String(Number(v.toPrecision(3))));
const pct = (v: number): string => `${Math.round(v * 100)}%`;

/** "dense_1 to dense_9 (9 layers)" or "dense_3" or "dense_3, dense_7". */
export function describeLayers(names: readonly string[]): string {
  if (names.length === 0) return 'no layer';
  if (names.length <= 3) return names.join(', ');
  return `${names[0]} to ${names[names.length - 1]} (${names.length} layers)`;
}

/**
 * How the fix names the ways to change a setting, for its audience: the command line's flags and the
 * library's options (CLI_PHRASING, the default), or the playground's controls. The verdict's logic and
 * the rest of its words are the same for every audience.
 */
export interface FixPhrasing {
  /** How to give the layers the initializer `name` (after "instead of X: "). */
  initializer(name: string): string;
  /** How to clip gradients (in "clip gradients (...)"). */
  clipping: string;
  /** How to standardize the inputs (in "standardize the inputs (mean 0 and variance 1 per feature: ...)"). */
  standardize: string;
  /** How to add batch normalization (in "add batch normalization after each hidden layer (...)"), or '' to say nothing more. */
  batchNorm: string;
  /** How to add skip connections (in "add skip connections: residual blocks y = x + F(x) (...; He et al. 2016)"). */
  skipConnections: string;
}

/** The command line's and the library's words (`deepwell diagnose`, `diagnoseModel`). */
export const CLI_PHRASING: FixPhrasing = {
  initializer: (name) => `--init ${name}, or kernelInitializer: '${name}'`,
  clipping: 'optimizer clipnorm: 1.0',
  standardize: '--standardize',
  batchNorm: '',
  skipConnections: 'layers.Add on a functional Model',
};

/** The table's initializer advice for the given layers, as one sentence, or '' when they follow it. */
function initializerAdvice(layers: readonly VerdictLayer[], phrasing: FixPhrasing): string {
  const seen = new Map<string, string>();
  for (const l of layers) {
    if (l.recommendedInitializer !== null && !seen.has(l.activation)) {
      const family = familyForActivation(l.activation);
      seen.set(l.activation, `initialize the ${l.activation} layers with ${l.recommendedInitializer} instead of ${l.initializer}${family !== undefined ? ` (variance ${family.variance})` : ''}: ${phrasing.initializer(l.recommendedInitializer)}`);
    }
  }
  return [...seen.values()].join('; ');
}

/** Capitalizes the first letter and ends with a period. */
function sentence(parts: readonly string[]): string {
  const s = parts.filter((p) => p !== '').join('; ');
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
}

const NONSATURATING = 'switch to a nonsaturating activation: relu (or leaky_relu, elu) with he_normal, or selu with lecun_normal on standardized inputs';
/** The phrases of the fix that name a way to change a setting, in `phrasing`'s words. */
function phrases(phrasing: FixPhrasing) {
  const batchNorm = `batch normalization after each hidden layer${phrasing.batchNorm !== '' ? ` (${phrasing.batchNorm})` : ''}`;
  return {
    initializerAdvice: (layers: readonly VerdictLayer[]) => initializerAdvice(layers, phrasing),
    BATCH_NORM_AFTER_EACH: batchNorm,
    BATCH_NORM: `or add ${batchNorm}`,
    SKIP_CONNECTIONS: `add skip connections: residual blocks y = x + F(x) (${phrasing.skipConnections}; He et al. 2016, arXiv:1512.03385)`,
    CLIPPING: `clip gradients (${phrasing.clipping}) and lower the learning rate`,
    STANDARDIZE: `standardize the inputs (mean 0 and variance 1 per feature: ${phrasing.standardize})`,
  };
}

/**
 * Decides the verdict from per-layer diagnoses, in order (hidden layers first, the output layer last),
 * and, when given, the model's structure (for the advice to plain deep networks). `phrasing` words the
 * fix for its audience (default CLI_PHRASING: the command line's flags and the library's options).
 * @example judge(diagnosis.layers).kind // 'healthy'
 */
export function judge(all: readonly VerdictLayer[], structure?: ModelStructure, phrasing: FixPhrasing = CLI_PHRASING): Verdict {
  const v = decide(all, structure, phrases(phrasing));
  return { kind: v.kind, layers: v.layers, cause: v.cause, fix: v.fix, gradientRatio: v.gradientRatio, signalRatio: v.signalRatio };
}

function decide(all: readonly VerdictLayer[], structure: ModelStructure | undefined, words: ReturnType<typeof phrases>): Verdict {
  const { initializerAdvice, BATCH_NORM, BATCH_NORM_AFTER_EACH, CLIPPING, SKIP_CONNECTIONS, STANDARDIZE } = words;
  const hidden = all.length > 1 ? all.slice(0, -1) : [];
  const first = hidden[0];
  const last = hidden[hidden.length - 1];
  const gradientRatio = hidden.length > 1 ? first.gradientStd / last.gradientStd : 1;
  const signalRatio = hidden.length > 1 ? last.activationStd / first.activationStd : 1;
  const base = { gradientRatio, signalRatio };

  const nonFinite = all.filter((l) => l.nonFinite.forward || l.nonFinite.backward);
  if (nonFinite.length > 0) {
    const l = nonFinite.find((x) => x.nonFinite.forward) ?? nonFinite[nonFinite.length - 1];
    const where = l.nonFinite.forward ? `the outputs of ${l.name} are not finite (NaN or Infinity) in the forward pass` : `the gradients of ${l.name} are not finite (NaN or Infinity) in the backward pass`;
    return {
      ...base, kind: 'exploding', layers: nonFinite.map((x) => x.name),
      cause: sentence([`${where}: the signal grew beyond floating-point range`]),
      fix: sentence([initializerAdvice(hidden), CLIPPING, BATCH_NORM]),
    };
  }

  const dead = hidden.filter((l) => l.deadFraction >= DEAD_FRACTION_LIMIT);
  if (dead.length > 0) {
    const worst = dead.reduce((a, b) => (b.deadFraction > a.deadFraction ? b : a));
    return {
      ...base, kind: 'dead_units', layers: dead.map((l) => l.name),
      cause: sentence([`${pct(worst.deadFraction)} of the units of ${worst.name} output 0 for every sample of the batch${dead.length > 1 ? ` (${describeLayers(dead.map((l) => l.name))} have at least ${pct(DEAD_FRACTION_LIMIT)} dead)` : ''}, so no gradient flows through them and they never recover`]),
      // ReLU dies where its input is negative; any other activation outputs exactly 0 only when its
      // input is exactly 0 for every sample: a constant (zero) kernel or a constant input.
      fix: dead.every((l) => l.activation === 'relu')
        ? sentence([
          'use an activation that never dies: leaky_relu or elu (with he_normal), or selu (with lecun_normal)',
          initializerAdvice(dead),
          'check for large negative biases and lower the learning rate',
        ])
        : sentence([
          `the pre-activations are exactly 0: ${initializerAdvice(dead) || 'give the kernels a random initializer from the chapter\'s table'}`,
          'and check that the inputs vary (a feature that is constant in the data standardizes to 0)',
        ]),
    };
  }

  const saturated = hidden.filter((l) => (l.activation === 'sigmoid' || l.activation === 'tanh') && l.saturatedFraction >= SATURATION_LIMIT);
  if (saturated.length > 0) {
    const worst = saturated.reduce((a, b) => (b.saturatedFraction > a.saturatedFraction ? b : a));
    return {
      ...base, kind: 'saturation', layers: saturated.map((l) => l.name),
      cause: sentence([`${pct(worst.saturatedFraction)} of the ${worst.activation} outputs of ${worst.name} sit in its flat tails${saturated.length > 1 ? ` (${describeLayers(saturated.map((l) => l.name))} are at least ${pct(SATURATION_LIMIT)} saturated)` : ''}, where the derivative is nearly 0 and the gradient dies`]),
      fix: sentence([NONSATURATING, initializerAdvice(saturated).replace(/^initialize/, 'if you keep it, initialize'), BATCH_NORM]),
    };
  }

  const gradientNames = (pred: (l: VerdictLayer) => boolean): string[] => hidden.filter(pred).map((l) => l.name);
  if (gradientRatio > EXPLODING_RATIO || signalRatio > EXPLODING_RATIO) {
    const byGradient = gradientRatio > EXPLODING_RATIO;
    const layers = byGradient ? gradientNames((l) => l.gradientStd > last.gradientStd * EXPLODING_RATIO)
      : gradientNames((l) => l.activationStd > first.activationStd * EXPLODING_RATIO);
    return {
      ...base, kind: 'exploding', layers,
      cause: sentence([byGradient
        ? `the gradient grows ${fmt(gradientRatio)}-fold from ${last.name} back to ${first.name}: each layer multiplies the gradient's variance by more than 1`
        : `the activations grow ${fmt(signalRatio)}-fold from ${first.name} to ${last.name}: each layer multiplies the signal's variance by more than 1`]),
      fix: sentence([initializerAdvice(hidden) || `the initializers already follow the chapter's table, so ${STANDARDIZE}`, CLIPPING, BATCH_NORM]),
    };
  }
  if (gradientRatio < VANISHING_RATIO || signalRatio < VANISHING_RATIO) {
    const byGradient = gradientRatio < VANISHING_RATIO;
    const layers = byGradient ? gradientNames((l) => l.gradientStd < last.gradientStd * VANISHING_RATIO)
      : gradientNames((l) => l.activationStd < first.activationStd * VANISHING_RATIO);
    const advice = initializerAdvice(hidden);
    const saturating = hidden.some((l) => l.activation === 'sigmoid' || l.activation === 'tanh');
    const plainDeep = structure !== undefined && !structure.skipConnections && hidden.length >= PLAIN_DEEP_LAYERS;
    const cause = byGradient
      ? `the gradient shrinks to ${fmt(gradientRatio)} of its size from ${last.name} back to ${first.name}: each layer multiplies the gradient's variance by less than 1`
      : `the activations shrink to ${fmt(signalRatio)} of their size from ${first.name} to ${last.name}: each layer multiplies the signal's variance by less than 1`;
    if (plainDeep) {
      const bn = structure.batchNormalization ? '' : `or ${BATCH_NORM_AFTER_EACH}`;
      return {
        ...base, kind: 'vanishing', layers,
        cause: sentence([cause, `this plain network (${hidden.length} hidden layers, no skip connection) gives the gradient no path around the layers, so it dies before it reaches the input layers`]),
        fix: sentence([advice, saturating ? NONSATURATING : '', `${advice !== '' || saturating ? 'and ' : ''}${SKIP_CONNECTIONS}${bn !== '' ? `, ${bn}` : ''}`]),
      };
    }
    return {
      ...base, kind: 'vanishing', layers,
      cause: sentence([cause]),
      fix: sentence([advice, saturating ? NONSATURATING : '', BATCH_NORM.replace(/^or /, advice !== '' || saturating ? 'or ' : '')]),
    };
  }
  return {
    ...base, kind: 'healthy', layers: [],
    cause: sentence([`gradients and activations keep their scale across the ${hidden.length} hidden layers (gradient ratio first/last ${fmt(gradientRatio)}, activation ratio last/first ${fmt(signalRatio)}), with no dead or saturated layer`]),
    fix: 'Nothing to change.',
  };
}
