/**
 * NonNeg: w <- max(w, 0), keeping every weight non-negative. No options.
 * Shapes: w any -> same.
 * Reference: Keras 3 keras/src/constraints/constraints.py `NonNeg` (`ops.maximum(w, 0)`).
 * @example new NonNeg().apply(tensor([-1, 2])) // [0, 2]
 */
import type { Tensor } from '../core/tensor.js';
import { noGrad } from '../autodiff/node.js';
import { maximum } from '../ops/arithmetic.js';
import { Constraint } from './constraint.js';

export class NonNeg extends Constraint {
  static override readonly className = 'NonNeg';

  /** `new NonNeg(config)`: the config must be empty (NonNeg takes no options). */
  static fromConfig(config: Record<string, unknown> = {}): NonNeg {
    return new NonNeg(config);
  }

  apply(w: Tensor): Tensor {
    return noGrad(() => maximum(w, 0));
  }

  getConfig(): Record<string, never> {
    return {};
  }
}
