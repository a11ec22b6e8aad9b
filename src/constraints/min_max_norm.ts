/**
 * MinMaxNorm: moves the norm of the weights incident to each unit into [minValue, maxValue], at a
 * chosen rate:
 *
 *   n = sqrt(sum(w^2 over axis));  desired = rate * clip(n, minValue, maxValue) + (1 - rate) * n
 *   w <- w * desired / (epsilon + n),  epsilon = 1e-7
 *
 * rate 1 projects exactly (up to the factor n / (n + 1e-7)); a smaller rate moves the norm only
 * part of the way at each step.
 *
 * Shapes: w any -> same (norms over `axis`, kept as size-1 dims).
 * Options: `minValue` >= 0 (default 0), `maxValue` >= minValue (default 1), `rate` in [0, 1]
 * (default 1), `axis` (integer or integers, default 0: for a Dense kernel [inFeatures, units] the
 * incoming weights of each unit).
 * @throws ValueError for a negative or non-finite bound, minValue > maxValue, rate outside [0, 1], a
 *   non-integer axis or an unknown option.
 * Reference: Keras 3 keras/src/constraints/constraints.py `MinMaxNorm(min_value=0.0, max_value=1.0, rate=1.0, axis=0)`.
 * @example new MinMaxNorm({ minValue: 1, maxValue: 2 }).apply(tensor([[3], [4]])) // [[1.2], [1.6]] (norm 5 -> 2)
 */
import { ValueError, keysOf } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { noGrad } from '../autodiff/node.js';
import { sum } from '../autodiff/primitives.js';
import { add, clip, div, mul, sqrt, square } from '../ops/arithmetic.js';
import { CONSTRAINT_EPSILON, Constraint, checkAxis } from './constraint.js';

export interface MinMaxNormOptions {
  /** The smallest norm allowed, a finite number >= 0. Default 0. */
  minValue?: number;
  /** The largest norm allowed, a finite number >= minValue. Default 1. */
  maxValue?: number;
  /** How far to move the norm towards [minValue, maxValue] at each step, in [0, 1]. Default 1 (all the way). */
  rate?: number;
  /** The axis (or axes) the norms are taken over. Default 0. */
  axis?: number | number[];
}

export class MinMaxNorm extends Constraint {
  static override readonly className = 'MinMaxNorm';
  static override readonly optionKeys: readonly string[] = keysOf<MinMaxNormOptions>({ minValue: true, maxValue: true, rate: true, axis: true });
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: number | number[];

  constructor(options: MinMaxNormOptions = {}) {
    super(options);
    const bound = (key: string, v: unknown): number => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ValueError(`MinMaxNorm: ${key} must be a finite number >= 0, received ${String(v)}.`);
      return v;
    };
    this.minValue = bound('minValue', options.minValue ?? 0);
    this.maxValue = bound('maxValue', options.maxValue ?? 1);
    if (this.minValue > this.maxValue) {
      throw new ValueError(`MinMaxNorm: minValue ${this.minValue} is larger than maxValue ${this.maxValue}; expected minValue <= maxValue.`);
    }
    const rate = options.rate ?? 1;
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      throw new ValueError(`MinMaxNorm: rate must be a number in [0, 1] (1: project all the way), received ${String(rate)}.`);
    }
    this.rate = rate;
    this.axis = checkAxis('MinMaxNorm', options.axis ?? 0);
  }

  /** `new MinMaxNorm(config)` (camelCase keys; the registry converts Keras's snake_case). */
  static fromConfig(config: Record<string, unknown> = {}): MinMaxNorm {
    return new MinMaxNorm(config as MinMaxNormOptions);
  }

  apply(w: Tensor): Tensor {
    return noGrad(() => {
      const norms = sqrt(sum(square(w), this.axis, true));
      const desired = add(mul(clip(norms, this.minValue, this.maxValue), this.rate), mul(norms, 1 - this.rate));
      return mul(w, div(desired, add(norms, CONSTRAINT_EPSILON)));
    });
  }

  getConfig(): { minValue: number; maxValue: number; rate: number; axis: number | number[] } {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}
