/**
 * Adam (Kingma & Ba 2014, arXiv:1412.6980) in Keras's form, with epsilon outside the bias correction
 * ("epsilon hat", Section 2 of the paper, last paragraph):
 *
 *   t = iterations + 1
 *   m <- beta1 m + (1 - beta1) g
 *   v <- beta2 v + (1 - beta2) g^2
 *   w <- w - lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon)
 *
 * PyTorch and TF.js instead compute lr * m_hat / (sqrt(v_hat) + epsilon). The two differ when
 * sqrt(v) is comparable to epsilon: for one scalar, lr 1, epsilon 1e-7, gradient 1e-6, the first
 * step moves 0.240253 here and 0.909091 in PyTorch (tensorflow/tensorflow#35102, pytorch/pytorch#41477).
 * epsilon defaults to 1e-7 (Keras) and never depends on the backend.
 *
 * PyTorch's default epsilon is 1e-8.
 *
 * With `amsgrad` (Reddi, Kale & Kumar 2018, "On the Convergence of Adam and Beyond", ICLR), as Keras:
 * a third slot keeps the running maximum of v, and the step divides by it:
 *
 *   vhat <- max(vhat, v);   w <- w - lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(vhat) + epsilon)
 *
 * so the effective step size never grows when the gradients shrink. Example: gradients 1 then 0 on
 * one weight (lr 0.1, betas 0.9, 0.999): after step 2 v = 0.999 * 0.001 = 0.000999 < vhat = 0.001.
 *
 * Reference: Keras 3 keras/src/optimizers/adam.py.
 */
import type { TypedArray } from '../core/dtype.js';
import { ValueError, keysOf } from '../core/errors.js';
import { kernels } from '../kernels/index.js';
import type { LearningRateSchedule } from './schedules/learning_rate_schedule.js';
import { OPTIMIZER_OPTION_KEYS, Optimizer, type OptimizerOptions, type SlotGetter, checkPositive, checkRange, optimizerOptionsFromConfig } from './optimizer.js';

/** Option keys of Adam beyond the common ones. */
export const ADAM_KEYS = keysOf<Omit<AdamOptions, keyof OptimizerOptions>>({ beta1: true, beta2: true, epsilon: true, amsgrad: true });

export interface AdamOptions extends OptimizerOptions {
  /** Learning rate, > 0, or a schedule. Default 0.001. */
  learningRate?: number | LearningRateSchedule;
  /** Decay of the first-moment estimate, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to sqrt(v) for stability, > 0. Default 1e-7 (Keras). */
  epsilon?: number;
  /** Divide by the running maximum of v (AMSGrad, Keras's `amsgrad`). Default false. */
  amsgrad?: boolean;
}

export class Adam extends Optimizer {
  static override readonly className: string = 'Adam';
  static override readonly optionKeys: readonly string[] = [...OPTIMIZER_OPTION_KEYS, ...ADAM_KEYS];
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  /** @throws ValueError for a learning rate or epsilon <= 0, a beta outside [0, 1), amsgrad not a boolean or invalid clipping options. */
  constructor(options: AdamOptions = {}) {
    super(options, 0.001);
    this.beta1 = checkRange(this.className, 'beta1', options.beta1 ?? 0.9, 0, 1);
    this.beta2 = checkRange(this.className, 'beta2', options.beta2 ?? 0.999, 0, 1);
    this.epsilon = checkPositive(this.className, 'epsilon', options.epsilon ?? 1e-7);
    const amsgrad = options.amsgrad ?? false;
    if (typeof amsgrad !== 'boolean') throw new ValueError(`${this.className}: amsgrad must be true or false, received ${String(amsgrad)}.`);
    this.amsgrad = amsgrad;
  }

  /** `new Adam(config)`; a serialized schedule becomes a schedule; unknown keys are rejected. */
  static fromConfig(config: Record<string, unknown>): Adam {
    return new Adam(optimizerOptionsFromConfig(Adam, config) as AdamOptions);
  }

  protected updateWeight(w: TypedArray, g: TypedArray, lr: number, slot: SlotGetter): void {
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    const t = this.iterations + 1;
    const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    if (!this.amsgrad) {
      kernels.adamUpdate(w, g, slot('m'), slot('v'), alpha, b1, b2, eps);
      return;
    }
    // The same arithmetic as the fused kernel (kernels/ts/optimizers.ts), plus the running maximum.
    const m = slot('m');
    const v = slot('v');
    const vhat = slot('vhat');
    const c1 = 1 - b1;
    const c2 = 1 - b2;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      m[i] += (gi - m[i]) * c1;
      v[i] += (gi * gi - v[i]) * c2;
      if (v[i] > vhat[i]) vhat[i] = v[i];
      w[i] -= (alpha * m[i]) / (Math.sqrt(vhat[i]) + eps);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, ...(this.amsgrad ? { amsgrad: true } : {}) };
  }
}
