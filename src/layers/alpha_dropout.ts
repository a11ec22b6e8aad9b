/**
 * AlphaDropout: dropout for self-normalizing networks (SELU) that keeps the mean and variance of
 * its inputs. Dropped elements are set to SELU's negative saturation value alpha' instead of 0,
 * then an affine correction restores mean 0 and variance 1 for standardized inputs:
 *
 *   alpha' = -scale * alpha = -1.7580993 (SELU constants)
 *   a = ((1 - rate) (1 + rate alpha'^2))^(-1/2),  b = -a alpha' rate
 *   y = a (x m + alpha' (1 - m)) + b,  m ~ Bernoulli(1 - rate)
 *
 * In inference the input is returned as is (the same Tensor).
 * Shapes: any -> same (see Dropout for `noiseShape`).
 * Options: `rate` in [0, 1); `noiseShape`; `seed` (as Dropout).
 * @throws ValueError for a rate outside [0, 1) (rate 1 gives a = Infinity) or a non-integer seed.
 * Reference: Klambauer et al. 2017, arXiv:1706.02515, section "New dropout technique"; Keras 3
 * keras/src/layers/regularization/alpha_dropout.py (same formulas, kept where uniform >= rate).
 */
import { Tensor } from '../core/tensor.js';
import { binary } from '../autodiff/primitives.js';
import { SELU_ALPHA, SELU_SCALE } from '../kernels/ts/unary.js';
import type { CallOptions } from './layer.js';
import { BaseDropout, type DropoutOptions } from './base_dropout.js';

/** SELU's negative saturation value, -scale * alpha = -1.7580993408473766. */
export const ALPHA_PRIME = -SELU_SCALE * SELU_ALPHA;

export class AlphaDropout extends BaseDropout {
  static override readonly className: string = 'AlphaDropout';

  /** `new AlphaDropout(config)`. */
  static fromConfig(config: Record<string, unknown>): AlphaDropout {
    return new AlphaDropout(config as unknown as DropoutOptions);
  }

  /** The affine correction (a, b) for this rate. */
  affine(): { a: number; b: number } {
    const p = this.rate;
    const a = ((1 - p) * (1 + p * ALPHA_PRIME * ALPHA_PRIME)) ** -0.5;
    return { a, b: -a * ALPHA_PRIME * p };
  }

  call(x: Tensor, options: CallOptions = {}): Tensor {
    if (options.training !== true || this.rate === 0) return x;
    const keep = this.keepMask(x);
    const { a, b } = this.affine();
    // y = x (a m) + (a alpha' (1 - m) + b): one multiply and one add, the gradient a m reaching x.
    const offset = keep.data.slice();
    for (let i = 0; i < keep.size; i++) {
      offset[i] = a * ALPHA_PRIME * (1 - keep.data[i]) + b;
      keep.data[i] *= a;
    }
    return binary('add', binary('mul', x, keep), new Tensor(offset, keep.shape));
  }
}
