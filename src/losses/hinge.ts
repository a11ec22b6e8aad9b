/**
 * Hinge: Keras 3's `keras.losses.Hinge`, the object form of `hinge` (losses.ts).
 *
 * Formula (per sample, then sum(values * sampleWeight) / batch size): mean(max(1 - y_true y_pred, 0)) over the last axis; labels all in {0, 1} are first mapped to 2y - 1 (Keras's convert_binary_labels_to_hinge).
 * Shapes: yTrue, yPred [batch, d] (or [batch] against [batch, 1]), sampleWeight [batch] -> scalar.
 * Options: `name`, `reduction` (only 'sum_over_batch_size').
 * @throws ValueError for another option (fromLogits included) or reduction; ShapeError for mismatched shapes.
 * Reference: Keras 3 keras/src/losses/losses.py (`Hinge`, `hinge`).
 */
import { registerSerializable } from '../core/serialization.js';
import type { Tensor } from '../core/tensor.js';
import { Loss, type LossOptions } from './loss.js';
import { hinge } from './losses.js';

export class Hinge extends Loss {
  static override readonly className: string = 'Hinge';
  static override readonly lossName: string = 'hinge';
  static fromConfig(config: Record<string, unknown>): Hinge {
    return new Hinge(config as LossOptions);
  }
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return hinge(yTrue, yPred, { sampleWeight });
  }
}

registerSerializable(Hinge, { package: 'keras', aliases: ['hinge'] });
