/**
 * Loss objects: the serializable form of the losses (Keras 3 `keras.losses.*` classes), as Keras's
 * compile_config writes them: `{ module: 'keras.losses', class_name: 'SparseCategoricalCrossentropy',
 * config: { name, reduction, from_logits, ... } }`. `call(yTrue, yPred, sampleWeight?)` is the loss
 * function of losses.ts with the object's options: one value per sample, reduced with Keras's
 * 'sum_over_batch_size' (sum of the weighted values divided by the batch size).
 *
 * Keys Keras writes that change nothing here are accepted (`name`, `dtype`, `reduction:
 * 'sum_over_batch_size'`, `axis: -1`, `ignore_class: null`); other values are a ValueError.
 * This file holds the base class and the crossentropies and mean squared error; each other loss
 * has its own file (mean_absolute_error.ts, huber.ts, log_cosh.ts, kl_divergence.ts, poisson.ts, hinge.ts).
 * Reference: Keras 3 keras/src/losses/losses.py and loss.py.
 */
import { ValueError, checkOptionKeys } from '../core/errors.js';
import { accepts, registerSerializable, registerSerializableKind } from '../core/serialization.js';
import type { Tensor } from '../core/tensor.js';
import { binaryCrossentropy, categoricalCrossentropy, checkFromLogits, checkLabelSmoothing, meanSquaredError, sparseCategoricalCrossentropy } from './losses.js';

/** Options of a loss object. */
export interface LossOptions {
  /** Predictions are logits (crossentropies only; a ValueError elsewhere). Default false. */
  fromLogits?: boolean;
  /** Keras's reduction; only 'sum_over_batch_size' (sum of weighted values / batch size) is supported. */
  reduction?: string;
  /** Keras's loss name (the snake_case function name); informative only. */
  name?: string;
}

/** Options of the binary and categorical crossentropy objects. */
export interface CrossentropyLossOptions extends LossOptions {
  /** Label smoothing in [0, 1] (see `binaryCrossentropy`, `categoricalCrossentropy`). Default 0. */
  labelSmoothing?: number;
}

/** The option keys every loss object accepts. */
export const LOSS_OPTION_KEYS = ['reduction', 'name'] as const;

export abstract class Loss {
  static readonly className: string = 'Loss';
  /** The Keras function name ('sparse_categorical_crossentropy'). */
  static readonly lossName: string = 'loss';
  /** Every option key the constructor accepts (the crossentropies add fromLogits, labelSmoothing). */
  static readonly optionKeys: readonly string[] = LOSS_OPTION_KEYS;
  readonly fromLogits: boolean;

  /**
   * @throws ValueError for an option key the class does not accept (fromLogits on a loss that is
   *   not a crossentropy, with the nearest valid key), or a reduction other than 'sum_over_batch_size'.
   */
  constructor(options: LossOptions = {}) {
    const cls = new.target as typeof Loss;
    if (typeof options === 'object' && options !== null && Object.hasOwn(options, 'fromLogits') && !cls.optionKeys.includes('fromLogits')) {
      throw new ValueError(`${cls.className}: fromLogits applies to the crossentropies only, not to ${cls.lossName}.`);
    }
    checkOptionKeys(cls.className, options, cls.optionKeys);
    if (options.reduction !== undefined && options.reduction !== null && options.reduction !== 'sum_over_batch_size' && options.reduction !== 'auto') {
      throw new ValueError(`${cls.className}: reduction '${options.reduction}' is not supported; deepwell sums the weighted per-sample losses and divides by the batch size ('sum_over_batch_size').`);
    }
    this.fromLogits = checkFromLogits(cls.className, options.fromLogits ?? false);
  }

  /** The registered class name. */
  get className(): string {
    return (this.constructor as typeof Loss).className;
  }

  /** The Keras function name, e.g. 'sparse_categorical_crossentropy'. */
  get lossName(): string {
    return (this.constructor as typeof Loss).lossName;
  }

  /**
   * The loss of a batch, a scalar tensor: sum(values * sampleWeight) / batch size (the mean without weights).
   * Shapes: yTrue, yPred [batch, ...], sampleWeight [batch] -> scalar.
   */
  abstract call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor;

  /** Keras 3's config keys: `name` and `reduction` (the crossentropies add theirs). */
  getConfig(): Record<string, unknown> {
    return { name: this.lossName, reduction: 'sum_over_batch_size' };
  }
}

/** Base of the binary and categorical crossentropy objects: fromLogits and labelSmoothing. */
abstract class SmoothedCrossentropy extends Loss {
  static override readonly optionKeys: readonly string[] = [...LOSS_OPTION_KEYS, 'fromLogits', 'labelSmoothing'];
  readonly labelSmoothing: number;
  /** @throws ValueError also for labelSmoothing outside [0, 1]. */
  constructor(options: CrossentropyLossOptions = {}) {
    super(options);
    this.labelSmoothing = checkLabelSmoothing(this.className, options.labelSmoothing ?? 0);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}

export class MeanSquaredError extends Loss {
  static override readonly className: string = 'MeanSquaredError';
  static override readonly lossName: string = 'mean_squared_error';
  static fromConfig(config: Record<string, unknown>): MeanSquaredError {
    return new MeanSquaredError(config as LossOptions);
  }
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return meanSquaredError(yTrue, yPred, { sampleWeight });
  }
}

export class BinaryCrossentropy extends SmoothedCrossentropy {
  static override readonly className: string = 'BinaryCrossentropy';
  static override readonly lossName: string = 'binary_crossentropy';
  static fromConfig(config: Record<string, unknown>): BinaryCrossentropy {
    return new BinaryCrossentropy(config as CrossentropyLossOptions);
  }
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return binaryCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, sampleWeight });
  }
}

export class CategoricalCrossentropy extends SmoothedCrossentropy {
  static override readonly className: string = 'CategoricalCrossentropy';
  static override readonly lossName: string = 'categorical_crossentropy';
  static fromConfig(config: Record<string, unknown>): CategoricalCrossentropy {
    return new CategoricalCrossentropy(config as CrossentropyLossOptions);
  }
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return categoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, sampleWeight });
  }
}

/** Keras 3's SparseCategoricalCrossentropy has no label_smoothing (from_logits, ignore_class, axis), and neither has this one. */
export class SparseCategoricalCrossentropy extends Loss {
  static override readonly className: string = 'SparseCategoricalCrossentropy';
  static override readonly lossName: string = 'sparse_categorical_crossentropy';
  static override readonly optionKeys: readonly string[] = [...LOSS_OPTION_KEYS, 'fromLogits'];
  /** @throws ValueError for labelSmoothing (Keras 3 has none for sparse labels), besides the base's errors. */
  constructor(options: LossOptions = {}) {
    if (typeof options === 'object' && options !== null && Object.hasOwn(options, 'labelSmoothing')) {
      throw new ValueError('SparseCategoricalCrossentropy: Keras 3 has no label_smoothing for sparse labels; one-hot encode the labels and use CategoricalCrossentropy({ labelSmoothing }).');
    }
    super(options);
  }
  static fromConfig(config: Record<string, unknown>): SparseCategoricalCrossentropy {
    return new SparseCategoricalCrossentropy(config as LossOptions);
  }
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return sparseCategoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, sampleWeight });
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fromLogits: this.fromLogits };
  }
}

registerSerializableKind('losses', Loss, {
  foreignKeys: {
    dtype: accepts.float32,
    axis: accepts.oneOf(-1, null),
    ignore_class: accepts.oneOf(null),
  },
});
registerSerializable(MeanSquaredError, { package: 'keras', aliases: ['mean_squared_error', 'mse'] });
registerSerializable(BinaryCrossentropy, { package: 'keras', aliases: ['binary_crossentropy'] });
registerSerializable(CategoricalCrossentropy, { package: 'keras', aliases: ['categorical_crossentropy'] });
registerSerializable(SparseCategoricalCrossentropy, { package: 'keras', aliases: ['sparse_categorical_crossentropy'] });
