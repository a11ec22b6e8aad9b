/** Loss lookup by name (Keras snake_case; TF.js camelCase and Keras class names accepted). */
import { ValueError, checkOptionKeys, invalidNameMessage, keysOf } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { deserialize } from '../core/serialization.js';
import { BinaryCrossentropy, CategoricalCrossentropy, Loss, MeanSquaredError, SparseCategoricalCrossentropy } from './loss.js';
import { Hinge } from './hinge.js';
import { Huber } from './huber.js';
import { KLDivergence } from './kl_divergence.js';
import { LogCosh } from './log_cosh.js';
import { MeanAbsoluteError } from './mean_absolute_error.js';
import { Poisson } from './poisson.js';

/** Keras 3's loss function names (`keras.losses.<name>`), each the name of one loss class. */
export const LOSS_NAMES = [
  'mean_squared_error', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy',
  'mean_absolute_error', 'huber', 'log_cosh', 'kl_divergence', 'poisson', 'hinge',
] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** The crossentropies: the losses that take `fromLogits`. */
const CROSSENTROPIES: readonly LossName[] = ['binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy'];

/** The class of each loss name. */
const LOSS_CLASSES: { [K in LossName]: new (options?: { fromLogits?: boolean }) => Loss } = {
  mean_squared_error: MeanSquaredError, binary_crossentropy: BinaryCrossentropy, categorical_crossentropy: CategoricalCrossentropy,
  sparse_categorical_crossentropy: SparseCategoricalCrossentropy, mean_absolute_error: MeanAbsoluteError, huber: Huber,
  log_cosh: LogCosh, kl_divergence: KLDivergence, poisson: Poisson, hinge: Hinge,
};

/** Keras's legacy short names, TF.js camelCase and Keras class names. */
const ALIASES: Record<string, LossName> = {
  mse: 'mean_squared_error', meanSquaredError: 'mean_squared_error', MeanSquaredError: 'mean_squared_error',
  binaryCrossentropy: 'binary_crossentropy', BinaryCrossentropy: 'binary_crossentropy',
  categoricalCrossentropy: 'categorical_crossentropy', CategoricalCrossentropy: 'categorical_crossentropy',
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy', SparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  mae: 'mean_absolute_error', meanAbsoluteError: 'mean_absolute_error', MeanAbsoluteError: 'mean_absolute_error',
  huber_loss: 'huber', Huber: 'huber', huberLoss: 'huber',
  logcosh: 'log_cosh', logCosh: 'log_cosh', LogCosh: 'log_cosh',
  kld: 'kl_divergence', kullback_leibler_divergence: 'kl_divergence', klDivergence: 'kl_divergence',
  kullbackLeiblerDivergence: 'kl_divergence', KLDivergence: 'kl_divergence',
  Poisson: 'poisson', Hinge: 'hinge',
};

/**
 * Loss names of other libraries that have no one-to-one name here, with what to use instead
 * (tfjs#656: users tried 'softmaxCrossEntropy' in compile).
 */
const FOREIGN_LOSSES: Record<string, string> = {
  softmaxCrossEntropy: "TF.js's tf.losses.softmaxCrossEntropy takes logits and one-hot labels: use { name: 'categorical_crossentropy', fromLogits: true }, or 'sparse_categorical_crossentropy' with fromLogits for integer labels",
  softmax_cross_entropy: "TF's softmax_cross_entropy takes logits and one-hot labels: use { name: 'categorical_crossentropy', fromLogits: true }",
  sigmoidCrossEntropy: "TF.js's tf.losses.sigmoidCrossEntropy takes logits: use { name: 'binary_crossentropy', fromLogits: true }",
  CrossEntropyLoss: "PyTorch's CrossEntropyLoss takes logits and class indices: use { name: 'sparse_categorical_crossentropy', fromLogits: true }",
  NLLLoss: "PyTorch's NLLLoss takes log-probabilities: put a softmax on the output and use 'sparse_categorical_crossentropy'",
};

/** A loss: (targets, predictions, optional per-sample weights) -> scalar tensor. */
export type LossFn = (yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor) => Tensor;

export interface LossConfig {
  name: LossName;
  /** Crossentropies only (a ValueError for the others). */
  fromLogits?: boolean;
}

/** The keys of `LossConfig`. */
const LOSS_CONFIG_KEYS = keysOf<LossConfig>({ name: true, fromLogits: true });

/** A resolved loss: its Keras name, function, logits flag and serializable loss object. */
export interface ResolvedLoss {
  name: LossName;
  fn: LossFn;
  fromLogits: boolean;
  /** The loss as a serializable object (`serialize(loss)` writes Keras 3's form). */
  loss: Loss;
}

/** The Keras name of a loss object: its class's function name, or undefined for a user's class. */
function knownName(loss: Loss): LossName | undefined {
  return (LOSS_NAMES as readonly string[]).includes(loss.lossName) ? (loss.lossName as LossName) : undefined;
}

/**
 * Resolves a loss name, `{ name, fromLogits }`, a `Loss` object or a serialized loss (Keras 3
 * `{ module: 'keras.losses', class_name, config }`, Keras 2, TF.js) to its function.
 * @throws ValueError for an unknown name or config key (Keras's `from_logits` too), with did-you-mean;
 *   for fromLogits on a loss that is not a crossentropy; for a value that is none of these.
 */
export function getLoss(identifier: string | LossConfig | Loss | { class_name: string; config?: unknown }): ResolvedLoss {
  if (identifier instanceof Loss) {
    const loss = identifier;
    return { name: (knownName(loss) ?? loss.lossName) as LossName, fn: (t, p, w) => loss.call(t, p, w), fromLogits: loss.fromLogits, loss };
  }
  if (typeof identifier === 'object' && identifier !== null && ('class_name' in identifier || 'className' in identifier)) {
    return getLoss(deserialize<Loss>(identifier, 'losses'));
  }
  if (typeof identifier !== 'string' && (typeof identifier !== 'object' || identifier === null || Array.isArray(identifier))) {
    throw new ValueError(`Invalid loss: received ${identifier === null ? 'null' : Array.isArray(identifier) ? 'an array' : `${typeof identifier} ${String(identifier)}`}; expected a loss name (${LOSS_NAMES.map((n) => `'${n}'`).join(', ')}), { name, fromLogits }, a losses.Loss object or a serialized loss.`);
  }
  if (typeof identifier !== 'string') checkOptionKeys('loss', identifier, LOSS_CONFIG_KEYS);
  const raw = typeof identifier === 'string' ? identifier : identifier.name;
  const fromLogits = typeof identifier === 'string' ? undefined : identifier.fromLogits;
  const name = (LOSS_NAMES as readonly string[]).includes(raw) ? (raw as LossName) : Object.hasOwn(ALIASES, raw) ? ALIASES[raw] : undefined;
  if (name === undefined) {
    if (typeof raw === 'string' && Object.hasOwn(FOREIGN_LOSSES, raw)) throw new ValueError(`Unknown loss '${raw}': ${FOREIGN_LOSSES[raw]}.`);
    throw new ValueError(invalidNameMessage('loss', raw, LOSS_NAMES));
  }
  if (fromLogits !== undefined && typeof fromLogits !== 'boolean') {
    throw new ValueError(`loss '${name}': fromLogits must be true or false, received ${String(fromLogits)}.`);
  }
  if (fromLogits === true && !CROSSENTROPIES.includes(name)) {
    throw new ValueError(`loss '${name}': fromLogits applies to the crossentropies only (${CROSSENTROPIES.join(', ')}).`);
  }
  const Cls = LOSS_CLASSES[name];
  const loss = CROSSENTROPIES.includes(name) ? new Cls({ fromLogits: fromLogits ?? false }) : new Cls();
  return { name, fn: (t, p, w) => loss.call(t, p, w), fromLogits: loss.fromLogits, loss };
}
