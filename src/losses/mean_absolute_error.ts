/**
 * MeanAbsoluteError: Keras 3's `keras.losses.MeanAbsoluteError`, the object form of `meanAbsoluteError` (losses.ts).
 *
 * Formula (per sample, then sum(values * sampleWeight) / batch size): mean(abs(y_pred - y_true)) over the last axis.
 * Shapes: yTrue, yPred [batch, d] (or [batch] against [batch, 1]), sampleWeight [batch] -> scalar.
 * Options: `name`, `reduction` (only 'sum_over_batch_size').
 * @throws ValueError for another option (fromLogits included) or reduction; ShapeError for mismatched shapes.
 * Reference: Keras 3 keras/src/losses/losses.py (`MeanAbsoluteError`, `mean_absolute_error`).
 */
import { registerSerializable } from '../core/serialization.js';
import type { Tensor } from '../core/tensor.js';
import { Loss, type LossOptions } from './loss.js';
import { meanAbsoluteError } from './losses.js';

export class MeanAbsoluteError extends Loss {
  static override readonly className: string = 'MeanAbsoluteError';
  static override readonly lossName: string = 'mean_absolute_error';
  static fromConfig(config: Record<string, unknown>): MeanAbsoluteError {
    return new MeanAbsoluteError(config as LossOptions);
  }
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return meanAbsoluteError(yTrue, yPred, { sampleWeight });
  }
}

registerSerializable(MeanAbsoluteError, { package: 'keras', aliases: ['mean_absolute_error', 'mae'] });
