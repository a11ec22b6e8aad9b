/**
 * MCDropout: a Dropout that is active in inference too, so `predict` becomes a Monte Carlo sample
 * of the network (the book's `class MCDropout(keras.layers.Dropout)` whose call passes
 * training=True). Averaging many predictions estimates the predictive mean and their spread its
 * uncertainty (see `mcPredict`). Unlike `mcPredict`, it leaves every other layer in inference mode,
 * so a BatchNormalization layer keeps using its moving statistics.
 *
 * Shapes: any -> same. Options as Dropout.
 * Reference: Gal & Ghahramani 2016, arXiv:1506.02142; Hands-On Machine Learning, ch. 11 ("MC Dropout").
 */
import type { Tensor } from '../core/tensor.js';
import type { CallOptions } from './layer.js';
import { Dropout, type DropoutOptions } from './dropout.js';

export class MCDropout extends Dropout {
  static override readonly className: string = 'MCDropout';

  /** `new MCDropout(config)`. */
  static override fromConfig(config: Record<string, unknown>): MCDropout {
    return new MCDropout(config as unknown as DropoutOptions);
  }

  /** Always drops, whatever `training` says. */
  override call(x: Tensor, _options: CallOptions = {}): Tensor {
    return super.call(x, { training: true });
  }
}
