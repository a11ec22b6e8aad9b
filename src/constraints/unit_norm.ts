/**
 * UnitNorm: rescales the weights incident to each unit to norm 1:
 * w <- w / (epsilon + sqrt(sum(w^2 over axis))), epsilon = 1e-7.
 *
 * Shapes: w any -> same.
 * Options: `axis` (integer or integers), default 0 (each column of a Dense kernel [in, out]).
 * Reference: Keras 3 keras/src/constraints/constraints.py `UnitNorm(axis=0)`.
 * @example new UnitNorm().apply(tensor([[3], [4]])) // [[0.6], [0.8]]
 */
import type { Tensor } from '../core/tensor.js';
import { noGrad } from '../autodiff/node.js';
import { sum } from '../autodiff/primitives.js';
import { add, div, sqrt, square } from '../ops/arithmetic.js';
import { keysOf } from '../core/errors.js';
import { CONSTRAINT_EPSILON, Constraint, checkAxis } from './constraint.js';

export interface UnitNormOptions {
  /** The axis (or axes) the norms are taken over. Default 0. */
  axis?: number | number[];
}

export class UnitNorm extends Constraint {
  static override readonly className = 'UnitNorm';
  static override readonly optionKeys: readonly string[] = keysOf<UnitNormOptions>({ axis: true });
  readonly axis: number | number[];

  /** @throws ValueError for a non-integer axis. */
  constructor(options: UnitNormOptions = {}) {
    super(options);
    this.axis = checkAxis('UnitNorm', options.axis ?? 0);
  }

  /** `new UnitNorm(config)`. */
  static fromConfig(config: UnitNormOptions = {}): UnitNorm {
    return new UnitNorm(config);
  }

  apply(w: Tensor): Tensor {
    return noGrad(() => div(w, add(sqrt(sum(square(w), this.axis, true)), CONSTRAINT_EPSILON)));
  }

  getConfig(): { axis: number | number[] } {
    return { axis: this.axis };
  }
}
