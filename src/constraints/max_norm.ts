/**
 * MaxNorm: rescales the weights incident to each unit so their L2 norm is at most `maxValue`:
 * w <- w * clip(n, 0, maxValue) / (epsilon + n), n = sqrt(sum(w^2 over axis)), epsilon = 1e-7.
 * Weights already inside the ball are kept (up to the factor n / (n + 1e-7)).
 *
 * Shapes: w any -> same (norms over `axis`, kept as size-1 dims).
 * Options: `maxValue` >= 0, default 2; `axis` (integer or integers), default 0: for a Dense kernel
 * [inFeatures, units] the norm of each column, i.e. of each unit's incoming weights.
 * Reference: Srivastava et al. 2014 (JMLR 15, "Dropout"), section 5.1; Keras 3
 * keras/src/constraints/constraints.py `MaxNorm(max_value=2, axis=0)`.
 * @example new MaxNorm({ maxValue: 1 }).apply(tensor([[3], [4]])) // [[0.6], [0.8]] (norm 5 -> 1)
 */
import { ValueError, checkOptionKeys, keysOf } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { noGrad } from '../autodiff/node.js';
import { sum } from '../autodiff/primitives.js';
import { add, clip, div, mul, sqrt, square } from '../ops/arithmetic.js';
import { CONSTRAINT_EPSILON, Constraint, checkAxis } from './constraint.js';

export interface MaxNormOptions {
  /** The largest norm allowed, a finite number >= 0. Default 2. */
  maxValue?: number;
  /** The axis (or axes) the norms are taken over. Default 0. */
  axis?: number | number[];
}

export class MaxNorm extends Constraint {
  static override readonly className = 'MaxNorm';
  static override readonly optionKeys: readonly string[] = keysOf<MaxNormOptions>({ maxValue: true, axis: true });
  readonly maxValue: number;
  readonly axis: number | number[];

  /** @throws ValueError for a negative or non-finite maxValue or a non-integer axis. */
  constructor(options: MaxNormOptions = {}) {
    super(options);
    const maxValue = options.maxValue ?? 2;
    if (typeof maxValue !== 'number' || !Number.isFinite(maxValue) || maxValue < 0) {
      throw new ValueError(`MaxNorm: maxValue must be a finite number >= 0, received ${String(maxValue)}. The book uses 1; Keras's default is 2.`);
    }
    this.maxValue = maxValue;
    this.axis = checkAxis('MaxNorm', options.axis ?? 0);
  }

  /** `new MaxNorm(config)`; accepts Keras's `max_value` key too. @throws ValueError for any other key. */
  static fromConfig(config: Record<string, unknown> = {}): MaxNorm {
    checkOptionKeys('MaxNorm config', config, [...MaxNorm.optionKeys, 'max_value']);
    const { max_value: maxValueSnake, ...options } = config;
    return new MaxNorm({ maxValue: maxValueSnake, ...options } as MaxNormOptions);
  }

  apply(w: Tensor): Tensor {
    return noGrad(() => {
      const norms = sqrt(sum(square(w), this.axis, true));
      return mul(w, div(clip(norms, 0, this.maxValue), add(norms, CONSTRAINT_EPSILON)));
    });
  }

  getConfig(): { maxValue: number; axis: number | number[] } {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}
