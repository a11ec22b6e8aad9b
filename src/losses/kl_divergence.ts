/**
 * KLDivergence: Keras 3's `keras.losses.KLDivergence`, the object form of `klDivergence` (losses.ts).
 *
 * Formula (per sample, then sum(values * sampleWeight) / batch size): sum(t log(t / p)) over the last axis, t = clip(y_true, 1e-7, 1), p = clip(y_pred, 1e-7, 1).
 * Shapes: yTrue, yPred [batch, d] (or [batch] against [batch, 1]), sampleWeight [batch] -> scalar.
 * Options: `name`, `reduction` (only 'sum_over_batch_size').
 * @throws ValueError for another option (fromLogits included) or reduction; ShapeError for mismatched shapes.
 * Reference: Keras 3 keras/src/losses/losses.py (`KLDivergence`, `kl_divergence`).
 */
import { registerSerializable } from '../core/serialization.js';
import type { Tensor } from '../core/tensor.js';
import { Loss, type LossOptions } from './loss.js';
import { klDivergence } from './losses.js';

export class KLDivergence extends Loss {
  static override readonly className: string = 'KLDivergence';
  static override readonly lossName: string = 'kl_divergence';
  static fromConfig(config: Record<string, unknown>): KLDivergence {
    return new KLDivergence(config as LossOptions);
  }
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return klDivergence(yTrue, yPred, { sampleWeight });
  }
}

registerSerializable(KLDivergence, { package: 'keras', aliases: ['kl_divergence', 'kld', 'kullback_leibler_divergence'] });
