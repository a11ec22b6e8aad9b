/**
 * LogCosh: Keras 3's `keras.losses.LogCosh`, the object form of `logCosh` (losses.ts).
 *
 * Formula (per sample, then sum(values * sampleWeight) / batch size): mean(log(cosh(y_pred - y_true))) over the last axis, as e + softplus(-2e) - log 2.
 * Shapes: yTrue, yPred [batch, d] (or [batch] against [batch, 1]), sampleWeight [batch] -> scalar.
 * Options: `name`, `reduction` (only 'sum_over_batch_size').
 * @throws ValueError for another option (fromLogits included) or reduction; ShapeError for mismatched shapes.
 * Reference: Keras 3 keras/src/losses/losses.py (`LogCosh`, `log_cosh`).
 */
import { registerSerializable } from '../core/serialization.js';
import type { Tensor } from '../core/tensor.js';
import { Loss, type LossOptions } from './loss.js';
import { logCosh } from './losses.js';

export class LogCosh extends Loss {
  static override readonly className: string = 'LogCosh';
  static override readonly lossName: string = 'log_cosh';
  static fromConfig(config: Record<string, unknown>): LogCosh {
    return new LogCosh(config as LossOptions);
  }
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return logCosh(yTrue, yPred, { sampleWeight });
  }
}

registerSerializable(LogCosh, { package: 'keras', aliases: ['log_cosh', 'logcosh'] });
