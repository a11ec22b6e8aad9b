/**
 * Adamax (Kingma & Ba 2014, arXiv:1412.6980, section 7.1): Adam with the infinity norm, in Keras 3's
 * form:
 *
 *   t = iterations + 1
 *   m <- beta1 m + (1 - beta1) g
 *   u <- max(beta2 u, |g|)
 *   w <- w - lr * m / ((1 - beta1^t) * (u + epsilon))
 *
 * The paper has no epsilon (u > 0 once any gradient is nonzero). PyTorch puts epsilon inside the max,
 * u <- max(beta2 u, |g| + epsilon), and defaults to lr 0.002 and epsilon 1e-8 (Keras 0.001 and 1e-7).
 *
 * Example: gradient 1, lr 0.1: m = 0.1, u = 1, the first step moves 0.1 * 0.1 / (0.1 * (1 + 1e-7)).
 *
 * Reference: Keras 3 keras/src/optimizers/adamax.py.
 */
import type { TypedArray } from '../core/dtype.js';
import { keysOf } from '../core/errors.js';
import type { LearningRateSchedule } from './schedules/learning_rate_schedule.js';
import { OPTIMIZER_OPTION_KEYS, Optimizer, type OptimizerOptions, type SlotGetter, checkPositive, checkRange, optimizerOptionsFromConfig } from './optimizer.js';

export interface AdamaxOptions extends OptimizerOptions {
  /** Learning rate, > 0, or a schedule. Default 0.001 (Keras). */
  learningRate?: number | LearningRateSchedule;
  /** Decay of the first moment, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the infinity norm, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to the norm, > 0. Default 1e-7 (Keras). */
  epsilon?: number;
}

export class Adamax extends Optimizer {
  static override readonly className: string = 'Adamax';
  static override readonly optionKeys: readonly string[] = [
    ...OPTIMIZER_OPTION_KEYS,
    ...keysOf<Omit<AdamaxOptions, keyof OptimizerOptions>>({ beta1: true, beta2: true, epsilon: true }),
  ];
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  /** @throws ValueError for a learning rate or epsilon <= 0, a beta outside [0, 1) or invalid clipping options. */
  constructor(options: AdamaxOptions = {}) {
    super(options, 0.001);
    this.beta1 = checkRange('Adamax', 'beta1', options.beta1 ?? 0.9, 0, 1);
    this.beta2 = checkRange('Adamax', 'beta2', options.beta2 ?? 0.999, 0, 1);
    this.epsilon = checkPositive('Adamax', 'epsilon', options.epsilon ?? 1e-7);
  }

  /** `new Adamax(config)`; a serialized schedule becomes a schedule; unknown keys are rejected. */
  static fromConfig(config: Record<string, unknown>): Adamax {
    return new Adamax(optimizerOptionsFromConfig(Adamax, config) as AdamaxOptions);
  }

  protected updateWeight(w: TypedArray, g: TypedArray, lr: number, slot: SlotGetter): void {
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    const correction = 1 - b1 ** (this.iterations + 1);
    const m = slot('momentum');
    const u = slot('norm');
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      m[i] += (gi - m[i]) * (1 - b1);
      u[i] = Math.max(b2 * u[i], Math.abs(gi));
      w[i] -= (lr * m[i]) / (correction * (u[i] + eps));
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
