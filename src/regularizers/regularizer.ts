/**
 * Regularizer: a penalty on a weight that `fit` adds to the training loss (and logs apart as
 * `regularization_loss`). A regularizer is a stateless recipe: `apply(w)` returns the penalty as a
 * scalar tensor that records gradients, `getConfig()` its options as JSON data, and
 * `Cls.fromConfig(config)` is `new Cls(config)`.
 *
 * Reference: Keras 3 keras/src/regularizers/regularizers.py (`__call__`, `get_config`, `from_config`).
 */
import { ValueError, checkOptionKeys } from '../core/errors.js';
import { registerSerializableKind, serialize } from '../core/serialization.js';
import type { Tensor } from '../core/tensor.js';

/**
 * A regularizer in the Keras 3 JSON form (`keras.regularizers.serialize`).
 * @example { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 }, registered_name: null }
 */
export interface SerializedRegularizer {
  readonly module: string | null;
  readonly class_name: string;
  readonly config: Record<string, unknown>;
  readonly registered_name: string | null;
}

export abstract class Regularizer {
  /** The class name written in serialized configs (Keras 3's `class_name`). */
  static readonly className: string = 'Regularizer';
  /** Every key the constructor's options object may hold; the base constructor rejects any other. */
  static readonly optionKeys: readonly string[] = [];

  /**
   * @param options - the subclass's options object, checked for keys not in its `optionKeys`
   *   (omitted by a subclass that takes none).
   * @throws ValueError for an unknown option key (with the nearest valid one).
   */
  constructor(options?: object) {
    checkOptionKeys(new.target.className, options, new.target.optionKeys);
  }

  /** The penalty for weight `w`: a scalar tensor (shape []) that records gradients when `w` requires them. */
  abstract apply(w: Tensor): Tensor;

  /** The constructor options as JSON data. */
  abstract getConfig(): Record<string, number>;

  /** The registered class name of this instance. */
  getClassName(): string {
    return (this.constructor as typeof Regularizer).className;
  }

  /** The Keras 3 JSON form (`serialize(this)` of core/serialization). */
  serialize(): SerializedRegularizer {
    return serialize(this) as unknown as SerializedRegularizer;
  }
}

registerSerializableKind('regularizers', Regularizer);

/**
 * Checks a penalty factor as Keras's `validate_float_arg` does: a finite number >= 0.
 * @throws ValueError naming the class, the option and the received value.
 */
export function checkFactor(className: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValueError(`${className}: ${option} must be a finite number >= 0, received ${String(value)}. Typical values are 1e-5 to 1e-2.`);
  }
  return value;
}
