/**
 * Huber: Keras 3's `keras.losses.Huber(delta=1.0)`, the object form of `huber` (losses.ts).
 *
 * Formula (per sample, then sum(values * sampleWeight) / batch size), e = y_pred - y_true:
 * mean(0.5 e^2 if abs(e) <= delta else delta abs(e) - 0.5 delta^2) over the last axis.
 * Shapes: yTrue, yPred [batch, d] (or [batch] against [batch, 1]), sampleWeight [batch] -> scalar.
 * Options: `delta` (a finite number > 0, default 1), `name`, `reduction` (only 'sum_over_batch_size').
 * @throws ValueError for another option, an invalid delta or reduction; ShapeError for mismatched shapes.
 * Reference: Keras 3 keras/src/losses/losses.py (`Huber`, `huber`); Huber 1964.
 */
import { registerSerializable } from '../core/serialization.js';
import type { Tensor } from '../core/tensor.js';
import { LOSS_OPTION_KEYS, Loss, type LossOptions } from './loss.js';
import { HUBER_DELTA, checkHuberDelta, huber } from './losses.js';

/** Options of the Huber loss object. */
export interface HuberLossOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear, a finite number > 0. Default 1. */
  delta?: number;
}

export class Huber extends Loss {
  static override readonly className: string = 'Huber';
  /** Keras's function name (the class's default `name` is 'huber_loss'). */
  static override readonly lossName: string = 'huber';
  static override readonly optionKeys: readonly string[] = [...LOSS_OPTION_KEYS, 'delta'];
  readonly delta: number;
  constructor(options: HuberLossOptions = {}) {
    super(options);
    this.delta = checkHuberDelta('Huber', options.delta ?? HUBER_DELTA);
  }
  static fromConfig(config: Record<string, unknown>): Huber {
    return new Huber(config as HuberLossOptions);
  }
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return huber(yTrue, yPred, { delta: this.delta, sampleWeight });
  }
  override getConfig(): Record<string, unknown> {
    return { name: 'huber_loss', reduction: 'sum_over_batch_size', delta: this.delta };
  }
}

registerSerializable(Huber, { package: 'keras', aliases: ['huber', 'huber_loss'] });
