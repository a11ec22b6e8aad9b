/**
 * L2 (weight decay as a loss term): penalty = l2 * sum(w^2), gradient 2 * l2 * w.
 * As in Keras there is no factor 1/2: Keras's l2 = 0.01 equals PyTorch's weight_decay = 0.02 with SGD.
 *
 * Shapes: w any -> penalty [] (a scalar).
 * Options: `l2` >= 0, default 0.01 (Keras).
 * Reference: Keras 3 keras/src/regularizers/regularizers.py `L2` (`l2 * ops.sum(ops.square(x))`).
 * @example new L2({ l2: 0.1 }).apply(tensor([1, -2])).item() // 0.1 * 5 = 0.5
 */
import type { Tensor } from '../core/tensor.js';
import { sum } from '../autodiff/primitives.js';
import { mul, square } from '../ops/arithmetic.js';
import { keysOf } from '../core/errors.js';
import { Regularizer, checkFactor } from './regularizer.js';

export interface L2Options {
  /** L2 factor, a finite number >= 0. Default 0.01. */
  l2?: number;
}

export class L2 extends Regularizer {
  static override readonly className = 'L2';
  static override readonly optionKeys: readonly string[] = keysOf<L2Options>({ l2: true });
  readonly l2: number;

  /** @throws ValueError when l2 is negative or not a finite number. */
  constructor(options: L2Options = {}) {
    super(options);
    this.l2 = checkFactor('L2', 'l2', options.l2 ?? 0.01);
  }

  /** `new L2(config)`. */
  static fromConfig(config: L2Options = {}): L2 {
    return new L2(config);
  }

  apply(w: Tensor): Tensor {
    return mul(sum(square(w)), this.l2);
  }

  getConfig(): { l2: number } {
    return { l2: this.l2 };
  }
}
