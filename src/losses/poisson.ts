/**
 * Poisson: Keras 3's `keras.losses.Poisson`, the object form of `poisson` (losses.ts).
 *
 * Formula (per sample, then sum(values * sampleWeight) / batch size): mean(y_pred - y_true log(y_pred + 1e-7)) over the last axis.
 * Shapes: yTrue, yPred [batch, d] (or [batch] against [batch, 1]), sampleWeight [batch] -> scalar.
 * Options: `name`, `reduction` (only 'sum_over_batch_size').
 * @throws ValueError for another option (fromLogits included) or reduction; ShapeError for mismatched shapes.
 * Reference: Keras 3 keras/src/losses/losses.py (`Poisson`, `poisson`).
 */
import { registerSerializable } from '../core/serialization.js';
import type { Tensor } from '../core/tensor.js';
import { Loss, type LossOptions } from './loss.js';
import { poisson } from './losses.js';

export class Poisson extends Loss {
  static override readonly className: string = 'Poisson';
  static override readonly lossName: string = 'poisson';
  static fromConfig(config: Record<string, unknown>): Poisson {
    return new Poisson(config as LossOptions);
  }
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return poisson(yTrue, yPred, { sampleWeight });
  }
}

registerSerializable(Poisson, { package: 'keras', aliases: ['poisson'] });
