/**
 * MCAlphaDropout: an AlphaDropout that is active in inference too (the book's MCAlphaDropout for
 * SELU networks), for Monte Carlo predictions; see MCDropout.
 *
 * Shapes: any -> same. Options as AlphaDropout.
 * Reference: Gal & Ghahramani 2016, arXiv:1506.02142; Hands-On Machine Learning, ch. 11.
 */
import type { Tensor } from '../core/tensor.js';
import type { CallOptions } from './layer.js';
import { AlphaDropout } from './alpha_dropout.js';
import type { DropoutOptions } from './base_dropout.js';

export class MCAlphaDropout extends AlphaDropout {
  static override readonly className: string = 'MCAlphaDropout';

  /** `new MCAlphaDropout(config)`. */
  static override fromConfig(config: Record<string, unknown>): MCAlphaDropout {
    return new MCAlphaDropout(config as unknown as DropoutOptions);
  }

  /** Always drops, whatever `training` says. */
  override call(x: Tensor, _options: CallOptions = {}): Tensor {
    return super.call(x, { training: true });
  }
}
