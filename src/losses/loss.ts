/**
 * Loss objects: the serializable form of the losses (Keras 3 `keras.losses.*` classes), as Keras's
 * compile_config writes them: `{ module: 'keras.losses', class_name: 'SparseCategoricalCrossentropy',
 * config: { name, reduction, from_logits, ... } }`. `call(yTrue, yPred)` is the loss function of losses.ts.
 *
 * Keys Keras writes that change nothing here are accepted (`name`, `dtype`, `reduction:
 * 'sum_over_batch_size'`, `label_smoothing: 0`, `axis: -1`, `ignore_class: null`); other values are a ValueError.
 * Reference: Keras 3 keras/src/losses/losses.py.
 */
import { ValueError, checkOptionKeys } from '../core/errors.js';
import { accepts, registerSerializable, registerSerializableKind } from '../core/serialization.js';
import type { Tensor } from '../core/tensor.js';
import { binaryCrossentropy, categoricalCrossentropy, meanSquaredError, sparseCategoricalCrossentropy } from './losses.js';

/** Options of a loss object. */
export interface LossOptions {
  /** Predictions are logits (crossentropies only). Default false. */
  fromLogits?: boolean;
  /** Keras's reduction; only 'sum_over_batch_size' (the mean over the batch) is supported. */
  reduction?: string;
  /** Keras's loss name (the snake_case function name); informative only. */
  name?: string;
}

export abstract class Loss {
  static readonly className: string = 'Loss';
  /** The Keras function name ('sparse_categorical_crossentropy'). */
  static readonly lossName: string = 'loss';
  readonly fromLogits: boolean;

  /** @throws ValueError for an unknown option key, fromLogits on mean squared error, or another reduction. */
  constructor(options: LossOptions = {}) {
    const cls = new.target as typeof Loss;
    checkOptionKeys(cls.className, options, ['fromLogits', 'reduction', 'name']);
    if (options.reduction !== undefined && options.reduction !== null && options.reduction !== 'sum_over_batch_size' && options.reduction !== 'auto') {
      throw new ValueError(`${cls.className}: reduction '${options.reduction}' is not supported; deepwell averages over the batch ('sum_over_batch_size').`);
    }
    this.fromLogits = options.fromLogits ?? false;
  }

  /** The registered class name. */
  get className(): string {
    return (this.constructor as typeof Loss).className;
  }

  /** The Keras function name, e.g. 'sparse_categorical_crossentropy'. */
  get lossName(): string {
    return (this.constructor as typeof Loss).lossName;
  }

  /** The loss of a batch: a scalar tensor. */
  abstract call(yTrue: Tensor, yPred: Tensor): Tensor;

  /** Keras 3's config keys: `name`, `reduction`, and `fromLogits` for the crossentropies. */
  getConfig(): Record<string, unknown> {
    return { name: this.lossName, reduction: 'sum_over_batch_size', fromLogits: this.fromLogits };
  }
}

export class MeanSquaredError extends Loss {
  static override readonly className: string = 'MeanSquaredError';
  static override readonly lossName: string = 'mean_squared_error';
  constructor(options: LossOptions = {}) {
    super(options);
    if (this.fromLogits) throw new ValueError('MeanSquaredError: fromLogits does not apply to mean squared error.');
  }
  static fromConfig(config: Record<string, unknown>): MeanSquaredError {
    return new MeanSquaredError(config as LossOptions);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanSquaredError(yTrue, yPred);
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.lossName, reduction: 'sum_over_batch_size' };
  }
}

export class BinaryCrossentropy extends Loss {
  static override readonly className: string = 'BinaryCrossentropy';
  static override readonly lossName: string = 'binary_crossentropy';
  static fromConfig(config: Record<string, unknown>): BinaryCrossentropy {
    return new BinaryCrossentropy(config as LossOptions);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return binaryCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits });
  }
}

export class CategoricalCrossentropy extends Loss {
  static override readonly className: string = 'CategoricalCrossentropy';
  static override readonly lossName: string = 'categorical_crossentropy';
  static fromConfig(config: Record<string, unknown>): CategoricalCrossentropy {
    return new CategoricalCrossentropy(config as LossOptions);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return categoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits });
  }
}

export class SparseCategoricalCrossentropy extends Loss {
  static override readonly className: string = 'SparseCategoricalCrossentropy';
  static override readonly lossName: string = 'sparse_categorical_crossentropy';
  static fromConfig(config: Record<string, unknown>): SparseCategoricalCrossentropy {
    return new SparseCategoricalCrossentropy(config as LossOptions);
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return sparseCategoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits });
  }
}

registerSerializableKind('losses', Loss, {
  foreignKeys: {
    dtype: accepts.float32,
    label_smoothing: accepts.oneOf(0, null),
    axis: accepts.oneOf(-1, null),
    ignore_class: accepts.oneOf(null),
  },
});
registerSerializable(MeanSquaredError, { package: 'keras', aliases: ['mean_squared_error', 'mse'] });
registerSerializable(BinaryCrossentropy, { package: 'keras', aliases: ['binary_crossentropy'] });
registerSerializable(CategoricalCrossentropy, { package: 'keras', aliases: ['categorical_crossentropy'] });
registerSerializable(SparseCategoricalCrossentropy, { package: 'keras', aliases: ['sparse_categorical_crossentropy'] });
