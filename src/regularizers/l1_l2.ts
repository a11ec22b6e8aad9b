/**
 * L1L2: penalty = l1 * sum(|w|) + l2 * sum(w^2) (elastic net).
 *
 * Shapes: w any -> penalty [] (a scalar).
 * Options: `l1` >= 0 and `l2` >= 0, both default 0 as Keras 3's class (`L1L2()` penalizes nothing);
 * the name 'l1_l2' in `get` gives l1 = l2 = 0.01, as Keras documents for that string.
 * Reference: Keras 3 keras/src/regularizers/regularizers.py `L1L2`.
 * @example new L1L2({ l1: 0.1, l2: 0.1 }).apply(tensor([1, -2])).item() // 0.1 * 3 + 0.1 * 5 = 0.8
 */
import type { Tensor } from '../core/tensor.js';
import { sum } from '../autodiff/primitives.js';
import { abs, add, mul, scalarLike, square } from '../ops/arithmetic.js';
import { keysOf } from '../core/errors.js';
import { Regularizer, checkFactor } from './regularizer.js';

export interface L1L2Options {
  /** L1 factor, a finite number >= 0. Default 0. */
  l1?: number;
  /** L2 factor, a finite number >= 0. Default 0. */
  l2?: number;
}

export class L1L2 extends Regularizer {
  static override readonly className = 'L1L2';
  static override readonly optionKeys: readonly string[] = keysOf<L1L2Options>({ l1: true, l2: true });
  readonly l1: number;
  readonly l2: number;

  /** @throws ValueError when l1 or l2 is negative or not a finite number. */
  constructor(options: L1L2Options = {}) {
    super(options);
    this.l1 = checkFactor('L1L2', 'l1', options.l1 ?? 0);
    this.l2 = checkFactor('L1L2', 'l2', options.l2 ?? 0);
  }

  /** `new L1L2(config)`. */
  static fromConfig(config: L1L2Options = {}): L1L2 {
    return new L1L2(config);
  }

  apply(w: Tensor): Tensor {
    const l1 = this.l1 !== 0 ? mul(sum(abs(w)), this.l1) : null;
    const l2 = this.l2 !== 0 ? mul(sum(square(w)), this.l2) : null;
    if (l1 !== null && l2 !== null) return add(l1, l2);
    return l1 ?? l2 ?? scalarLike(w, 0);
  }

  getConfig(): { l1: number; l2: number } {
    return { l1: this.l1, l2: this.l2 };
  }
}
