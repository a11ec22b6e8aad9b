/**
 * L1: penalty = l1 * sum(|w|), which pushes weights to exactly 0 (sparse models).
 * Its gradient is l1 * sign(w) (0 at w = 0).
 *
 * Shapes: w any -> penalty [] (a scalar).
 * Options: `l1` >= 0, default 0.01 (Keras).
 * Reference: Keras 3 keras/src/regularizers/regularizers.py `L1` (`l1 * ops.sum(ops.absolute(x))`).
 * @example new L1({ l1: 0.5 }).apply(tensor([1, -2])).item() // 0.5 * 3 = 1.5
 */
import type { Tensor } from '../core/tensor.js';
import { sum } from '../autodiff/primitives.js';
import { abs, mul } from '../ops/arithmetic.js';
import { keysOf } from '../core/errors.js';
import { Regularizer, checkFactor } from './regularizer.js';

export interface L1Options {
  /** L1 factor, a finite number >= 0. Default 0.01. */
  l1?: number;
}

export class L1 extends Regularizer {
  static override readonly className = 'L1';
  static override readonly optionKeys: readonly string[] = keysOf<L1Options>({ l1: true });
  readonly l1: number;

  /** @throws ValueError when l1 is negative or not a finite number. */
  constructor(options: L1Options = {}) {
    super(options);
    this.l1 = checkFactor('L1', 'l1', options.l1 ?? 0.01);
  }

  /** `new L1(config)`. */
  static fromConfig(config: L1Options = {}): L1 {
    return new L1(config);
  }

  apply(w: Tensor): Tensor {
    return mul(sum(abs(w)), this.l1);
  }

  getConfig(): { l1: number } {
    return { l1: this.l1 };
  }
}
