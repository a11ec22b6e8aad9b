/**
 * Constraint: a projection applied to a weight after each optimizer step (`layer.applyConstraints()`,
 * which `fit` calls). `apply(w)` returns the projected values as a new tensor (no gradient is
 * recorded); the layer assigns them to its weight. Frozen (non-trainable) weights are not projected.
 *
 * Reference: Keras 3 keras/src/constraints/constraints.py.
 */
import { ValueError, checkOptionKeys } from '../core/errors.js';
import { registerSerializableKind, serialize } from '../core/serialization.js';
import type { Tensor } from '../core/tensor.js';

/** Keras's `backend.epsilon()`, added to norms before dividing by them. */
export const CONSTRAINT_EPSILON = 1e-7;

/**
 * A constraint in the Keras 3 JSON form (`keras.constraints.serialize`; config keys snake_case).
 * @example { module: 'keras.constraints', class_name: 'MaxNorm', config: { max_value: 2, axis: 0 }, registered_name: null }
 */
export interface SerializedConstraint {
  readonly module: string | null;
  readonly class_name: string;
  readonly config: Record<string, unknown>;
  readonly registered_name: string | null;
}

export abstract class Constraint {
  /** The class name written in serialized configs (Keras 3's `class_name`). */
  static readonly className: string = 'Constraint';
  /** Every key the constructor's options object may hold (camelCase); the base constructor rejects any other. */
  static readonly optionKeys: readonly string[] = [];

  /**
   * @param options - the subclass's options object, checked for keys not in its `optionKeys`
   *   (NonNeg, which takes none, passes on whatever it was given, so `new NonNeg({ x: 1 })` is rejected).
   * @throws ValueError for an unknown option key (with the nearest valid one).
   */
  constructor(options?: object) {
    checkOptionKeys(new.target.className, options, new.target.optionKeys);
  }

  /** The projection of `w`, a new tensor of the same shape (records no gradient). */
  abstract apply(w: Tensor): Tensor;

  /** The constructor options as JSON data (camelCase keys). */
  abstract getConfig(): Record<string, unknown>;

  /** The registered class name of this instance. */
  getClassName(): string {
    return (this.constructor as typeof Constraint).className;
  }

  /** The Keras 3 JSON form (snake_case config keys). */
  serialize(): SerializedConstraint {
    return serialize(this) as unknown as SerializedConstraint;
  }
}

registerSerializableKind('constraints', Constraint);

/**
 * Checks an `axis` option: an integer or a non-empty array of integers (checked against the
 * weight's rank when applied).
 * @throws ValueError otherwise.
 */
export function checkAxis(className: string, axis: unknown): number | number[] {
  const ok = (a: unknown): boolean => typeof a === 'number' && Number.isInteger(a);
  if (ok(axis)) return axis as number;
  if (Array.isArray(axis) && axis.length > 0 && axis.every(ok)) return [...(axis as number[])];
  throw new ValueError(`${className}: axis must be an integer or a non-empty array of integers, received ${JSON.stringify(axis)}. For a Dense kernel [in, out], axis 0 constrains each unit's incoming weights.`);
}
