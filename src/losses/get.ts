/** Loss lookup by name (Keras snake_case; TF.js camelCase and Keras class names accepted). */
import { ValueError, invalidNameMessage } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { binaryCrossentropy, categoricalCrossentropy, meanSquaredError, sparseCategoricalCrossentropy } from './losses.js';

export const LOSS_NAMES = ['mean_squared_error', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

const ALIASES: Record<string, LossName> = {
  mse: 'mean_squared_error', meanSquaredError: 'mean_squared_error', MeanSquaredError: 'mean_squared_error',
  binaryCrossentropy: 'binary_crossentropy', BinaryCrossentropy: 'binary_crossentropy',
  categoricalCrossentropy: 'categorical_crossentropy', CategoricalCrossentropy: 'categorical_crossentropy',
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy', SparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
};

/** A loss: (targets, predictions) -> scalar tensor. */
export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

export interface LossConfig {
  name: LossName;
  fromLogits?: boolean;
}

/** Resolves a loss name (or `{ name, fromLogits }`) to its function. @throws ValueError with did-you-mean. */
export function getLoss(identifier: string | LossConfig): { name: LossName; fn: LossFn; fromLogits: boolean } {
  const raw = typeof identifier === 'string' ? identifier : identifier.name;
  const fromLogits = typeof identifier === 'string' ? false : identifier.fromLogits ?? false;
  const name = (LOSS_NAMES as readonly string[]).includes(raw) ? (raw as LossName) : ALIASES[raw];
  if (name === undefined) throw new ValueError(invalidNameMessage('loss', raw, LOSS_NAMES));
  const fns: { [K in LossName]: LossFn } = {
    mean_squared_error: meanSquaredError,
    binary_crossentropy: (t, p) => binaryCrossentropy(t, p, { fromLogits }),
    categorical_crossentropy: (t, p) => categoricalCrossentropy(t, p, { fromLogits }),
    sparse_categorical_crossentropy: (t, p) => sparseCategoricalCrossentropy(t, p, { fromLogits }),
  };
  return { name, fn: fns[name], fromLogits };
}
