/**
 * AdamW (Loshchilov & Hutter 2019, arXiv:1711.05101): Adam with decoupled weight decay, in Keras 3's
 * form. Keras's AdamW is Adam with `weight_decay` required (default 0.004); the decay is applied by the
 * optimizer base before the Adam step, scaled by the learning rate:
 *
 *   w <- w - lr * weightDecay * w
 *   t = iterations + 1
 *   m <- beta1 m + (1 - beta1) g
 *   v <- beta2 v + (1 - beta2) g^2
 *   w <- w - lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon)      (Adam, epsilon hat)
 *
 * The decay never enters m and v (unlike L2 regularization, which adds weightDecay * w to g and is
 * then rescaled by Adam's denominator). PyTorch's AdamW also multiplies w by (1 - lr * weight_decay)
 * first, but defaults to weight_decay 0.01 and epsilon 1e-8 and uses the m_hat / (sqrt(v_hat) + eps)
 * form of the Adam step (case 19). The paper multiplies the decay by the schedule multiplier eta_t
 * only, not by the base learning rate alpha, so its lambda is lr times Keras's.
 *
 * Example: w = 1, gradient 1, lr 0.1, weightDecay 0.004: the decay moves w to 1 - 0.1 * 0.004 = 0.9996,
 * then Adam's first step subtracts 0.1 * sqrt(0.001) / 0.1 * 0.1 / (sqrt(0.001) + 1e-7) = 0.09999968.
 *
 * `amsgrad` is Adam's (see adam.ts). `excludeFromWeightDecay` (the base's) keeps chosen weights,
 * such as biases and normalization parameters, out of the decay.
 *
 * Reference: Keras 3 keras/src/optimizers/adamw.py and base_optimizer.py (`_apply_weight_decay`, run
 * after clipping and before `update_step`).
 */
import { Adam, type AdamOptions } from './adam.js';
import { optimizerOptionsFromConfig } from './optimizer.js';

export interface AdamWOptions extends AdamOptions {
  /** Decoupled weight decay, >= 0. Default 0.004 (Keras 3). */
  weightDecay?: number;
}

export class AdamW extends Adam {
  static override readonly className: string = 'AdamW';

  /** @throws ValueError for an invalid option (see Adam) or a negative weightDecay. */
  constructor(options: AdamWOptions = {}) {
    super({ ...options, weightDecay: options.weightDecay ?? 0.004 });
  }

  /** `new AdamW(config)`; a serialized schedule becomes a schedule; unknown keys are rejected. */
  static override fromConfig(config: Record<string, unknown>): AdamW {
    return new AdamW(optimizerOptionsFromConfig(AdamW, config) as AdamWOptions);
  }
}
