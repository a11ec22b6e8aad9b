/**
 * RMSprop (Hinton 2012, lecture 6e) in Keras 3's form, epsilon inside the square root and lr inside
 * the momentum buffer:
 *
 *   v <- rho v + (1 - rho) g^2
 *   a <- rho a + (1 - rho) g                                  (centered only)
 *   increment = lr * g / sqrt(v + epsilon)                     (centered: sqrt(v - a^2 + epsilon))
 *   w <- w - increment                                         (momentum 0)
 *   m <- momentum * m + increment;  w <- w - m                 (momentum > 0)
 *
 * PyTorch differs: rho is `alpha` with default 0.99 (Keras 0.9), lr default 0.01 (Keras 0.001),
 * epsilon 1e-8 added outside the root (g / (sqrt(v) + epsilon)), and with momentum the buffer holds
 * g / (sqrt(v) + epsilon) and is multiplied by lr afterwards, so, as for SGD (case 20), the two forms
 * part ways when the learning rate changes during training.
 *
 * Example (Keras's docstring): lr 0.1, w = 10, loss w^2 / 2 (gradient 10): v = 0.1 * 100 = 10,
 * w = 10 - 0.1 * 10 / sqrt(10 + 1e-7) = 9.683772.
 *
 * Reference: Keras 3 keras/src/optimizers/rmsprop.py; G. Hinton, Neural Networks for Machine
 * Learning, lecture 6e (2012).
 */
import type { TypedArray } from '../core/dtype.js';
import { keysOf } from '../core/errors.js';
import type { LearningRateSchedule } from './schedules/learning_rate_schedule.js';
import { checkBoolean } from './checks.js';
import { OPTIMIZER_OPTION_KEYS, Optimizer, type OptimizerOptions, type SlotGetter, checkPositive, checkRange, optimizerOptionsFromConfig } from './optimizer.js';

export interface RMSpropOptions extends OptimizerOptions {
  /** Learning rate, > 0, or a schedule. Default 0.001 (Keras). */
  learningRate?: number | LearningRateSchedule;
  /** Decay of the mean square (the weight of the old value), in [0, 1). Default 0.9 (Keras). */
  rho?: number;
  /** Momentum in [0, 1). Default 0. */
  momentum?: number;
  /** Added to the mean square under the root, > 0. Default 1e-7 (Keras). */
  epsilon?: number;
  /** Divide by the estimated variance (mean square minus squared mean) instead. Default false. */
  centered?: boolean;
}

export class RMSprop extends Optimizer {
  static override readonly className: string = 'RMSprop';
  static override readonly optionKeys: readonly string[] = [
    ...OPTIMIZER_OPTION_KEYS,
    ...keysOf<Omit<RMSpropOptions, keyof OptimizerOptions>>({ rho: true, momentum: true, epsilon: true, centered: true }),
  ];
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  /** @throws ValueError for a learning rate or epsilon <= 0, rho or momentum outside [0, 1) or invalid clipping options. */
  constructor(options: RMSpropOptions = {}) {
    super(options, 0.001);
    this.rho = checkRange('RMSprop', 'rho', options.rho ?? 0.9, 0, 1);
    this.momentum = checkRange('RMSprop', 'momentum', options.momentum ?? 0, 0, 1);
    this.epsilon = checkPositive('RMSprop', 'epsilon', options.epsilon ?? 1e-7);
    this.centered = checkBoolean('RMSprop', 'centered', options.centered ?? false);
  }

  /** `new RMSprop(config)`; a serialized schedule becomes a schedule; unknown keys are rejected. */
  static fromConfig(config: Record<string, unknown>): RMSprop {
    return new RMSprop(optimizerOptionsFromConfig(RMSprop, config) as RMSpropOptions);
  }

  protected updateWeight(w: TypedArray, g: TypedArray, lr: number, slot: SlotGetter): void {
    const { rho, momentum: mu, epsilon: eps } = this;
    const v = slot('velocity');
    const a = this.centered ? slot('average_gradient') : null;
    const m = mu > 0 ? slot('momentum') : null;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      v[i] = rho * v[i] + (1 - rho) * gi * gi;
      let denominator = v[i] + eps;
      if (a !== null) {
        a[i] = rho * a[i] + (1 - rho) * gi;
        denominator = v[i] - a[i] * a[i] + eps;
      }
      const increment = (lr * gi) / Math.sqrt(denominator);
      if (m !== null) {
        m[i] = mu * m[i] + increment;
        w[i] -= m[i];
      } else {
        w[i] -= increment;
      }
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
