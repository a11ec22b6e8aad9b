/** Loss lookup by name (Keras snake_case; TF.js camelCase and Keras class names accepted). */
import { ValueError, checkOptionKeys, invalidNameMessage, keysOf } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { deserialize } from '../core/serialization.js';
import { BinaryCrossentropy, CategoricalCrossentropy, Loss, MeanSquaredError, SparseCategoricalCrossentropy } from './loss.js';
import { binaryCrossentropy, categoricalCrossentropy, meanSquaredError, sparseCategoricalCrossentropy } from './losses.js';

export const LOSS_NAMES = ['mean_squared_error', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

const ALIASES: Record<string, LossName> = {
  mse: 'mean_squared_error', meanSquaredError: 'mean_squared_error', MeanSquaredError: 'mean_squared_error',
  binaryCrossentropy: 'binary_crossentropy', BinaryCrossentropy: 'binary_crossentropy',
  categoricalCrossentropy: 'categorical_crossentropy', CategoricalCrossentropy: 'categorical_crossentropy',
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy', SparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
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

/** A loss: (targets, predictions) -> scalar tensor. */
export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

export interface LossConfig {
  name: LossName;
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

/**
 * Resolves a loss name, `{ name, fromLogits }`, a `Loss` object or a serialized loss (Keras 3
 * `{ module: 'keras.losses', class_name, config }`, Keras 2, TF.js) to its function.
 * @throws ValueError for an unknown name or config key (Keras's `from_logits` too), with did-you-mean.
 */
export function getLoss(identifier: string | LossConfig | Loss | { class_name: string; config?: unknown }): ResolvedLoss {
  if (identifier instanceof Loss) {
    const loss = identifier;
    return { name: loss.lossName as LossName, fn: (t, p) => loss.call(t, p), fromLogits: loss.fromLogits, loss };
  }
  if (typeof identifier === 'object' && identifier !== null && ('class_name' in identifier || 'className' in identifier)) {
    return getLoss(deserialize<Loss>(identifier, 'losses'));
  }
  if (typeof identifier !== 'string') checkOptionKeys('loss', identifier, LOSS_CONFIG_KEYS);
  const raw = typeof identifier === 'string' ? identifier : identifier.name;
  const fromLogits = typeof identifier === 'string' ? false : identifier.fromLogits ?? false;
  const name = (LOSS_NAMES as readonly string[]).includes(raw) ? (raw as LossName) : ALIASES[raw];
  if (name === undefined) {
    if (Object.hasOwn(FOREIGN_LOSSES, raw)) throw new ValueError(`Unknown loss '${raw}': ${FOREIGN_LOSSES[raw]}.`);
    throw new ValueError(invalidNameMessage('loss', raw, LOSS_NAMES));
  }
  const fns: { [K in LossName]: LossFn } = {
    mean_squared_error: meanSquaredError,
    binary_crossentropy: (t, p) => binaryCrossentropy(t, p, { fromLogits }),
    categorical_crossentropy: (t, p) => categoricalCrossentropy(t, p, { fromLogits }),
    sparse_categorical_crossentropy: (t, p) => sparseCategoricalCrossentropy(t, p, { fromLogits }),
  };
  const classes = { mean_squared_error: MeanSquaredError, binary_crossentropy: BinaryCrossentropy, categorical_crossentropy: CategoricalCrossentropy, sparse_categorical_crossentropy: SparseCategoricalCrossentropy };
  const loss = name === 'mean_squared_error' ? new MeanSquaredError() : new classes[name]({ fromLogits });
  return { name, fn: fns[name], fromLogits, loss };
}
