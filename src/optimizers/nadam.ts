/**
 * Nadam (Dozat 2016): Adam with Nesterov momentum, in Keras 3's form with the momentum schedule
 * mu_t = beta1 * (1 - 0.5 * 0.96^t):
 *
 *   t = iterations + 1
 *   P_t = mu_1 * mu_2 * ... * mu_t                        (the "u_product", P_0 = 1)
 *   m <- beta1 m + (1 - beta1) g
 *   v <- beta2 v + (1 - beta2) g^2
 *   m_hat = mu_{t+1} m / (1 - P_{t+1}) + (1 - mu_t) g / (1 - P_t)
 *   v_hat = v / (1 - beta2^t)
 *   w <- w - lr * m_hat / (sqrt(v_hat) + epsilon)
 *
 * Two conventions to know:
 * - The schedule's exponent. Keras 3 uses 0.96^t; Keras 2 and PyTorch (`momentum_decay` 0.004) use
 *   Dozat's 0.96^(0.004 t), which moves mu_t from beta1/2 towards beta1 some 250 times more slowly.
 * - Epsilon. Unlike Keras's Adam, Keras's Nadam adds epsilon to sqrt(v_hat) (the bias-corrected v),
 *   as PyTorch does (PyTorch's default epsilon is 1e-8, lr 0.002; Keras 1e-7, lr 0.001).
 * P_t is a function of t alone, so it is recomputed from `iterations` (kept incrementally) rather
 * than stored as optimizer state.
 *
 * Example (first step, gradient 1, lr 0.1): mu_1 = 0.9 * 0.52 = 0.468, mu_2 = 0.9 * 0.5392 = 0.48528,
 * m_hat = 0.48528 * 0.1 / (1 - 0.468 * 0.48528) + 1 = 1.0627878, v_hat = 1, step 0.1 * 1.0627878 / (1 + 1e-7).
 *
 * Reference: Keras 3 keras/src/optimizers/nadam.py; T. Dozat, "Incorporating Nesterov Momentum into
 * Adam", ICLR 2016 workshop (cs229.stanford.edu/proj2015/054_report.pdf).
 */
import type { TypedArray } from '../core/dtype.js';
import { keysOf } from '../core/errors.js';
import type { LearningRateSchedule } from './schedules/learning_rate_schedule.js';
import { OPTIMIZER_OPTION_KEYS, Optimizer, type OptimizerOptions, type SlotGetter, checkPositive, checkRange, optimizerOptionsFromConfig } from './optimizer.js';

export interface NadamOptions extends OptimizerOptions {
  /** Learning rate, > 0, or a schedule. Default 0.001 (Keras). */
  learningRate?: number | LearningRateSchedule;
  /** Decay of the first moment (the momentum mu_t tends to), in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the second moment, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to sqrt(v_hat), > 0. Default 1e-7 (Keras). */
  epsilon?: number;
}

/** Base of Keras 3's momentum schedule mu_t = beta1 (1 - 0.5 * MOMENTUM_DECAY_BASE^t) (Dozat's 0.96). */
const MOMENTUM_DECAY_BASE = 0.96;

export class Nadam extends Optimizer {
  static override readonly className: string = 'Nadam';
  static override readonly optionKeys: readonly string[] = [
    ...OPTIMIZER_OPTION_KEYS,
    ...keysOf<Omit<NadamOptions, keyof OptimizerOptions>>({ beta1: true, beta2: true, epsilon: true }),
  ];
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** P_t for t = productStep, advanced one factor at a time. */
  private productStep = 0;
  private product = 1;

  /** @throws ValueError for a learning rate or epsilon <= 0, a beta outside [0, 1) or invalid clipping options. */
  constructor(options: NadamOptions = {}) {
    super(options, 0.001);
    this.beta1 = checkRange('Nadam', 'beta1', options.beta1 ?? 0.9, 0, 1);
    this.beta2 = checkRange('Nadam', 'beta2', options.beta2 ?? 0.999, 0, 1);
    this.epsilon = checkPositive('Nadam', 'epsilon', options.epsilon ?? 1e-7);
  }

  /** `new Nadam(config)`; a serialized schedule becomes a schedule; unknown keys are rejected. */
  static fromConfig(config: Record<string, unknown>): Nadam {
    return new Nadam(optimizerOptionsFromConfig(Nadam, config) as NadamOptions);
  }

  /** mu_t = beta1 (1 - 0.5 * 0.96^t). */
  private momentumAt(t: number): number {
    return this.beta1 * (1 - 0.5 * MOMENTUM_DECAY_BASE ** t);
  }

  /** P_t = mu_1 ... mu_t (O(1) per step while t grows by one; recomputed if iterations is reset). */
  private productAt(t: number): number {
    if (t < this.productStep) {
      this.productStep = 0;
      this.product = 1;
    }
    while (this.productStep < t) this.product *= this.momentumAt(++this.productStep);
    return this.product;
  }

  protected updateWeight(w: TypedArray, g: TypedArray, lr: number, slot: SlotGetter): void {
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    const t = this.iterations + 1;
    const muT = this.momentumAt(t);
    const muNext = this.momentumAt(t + 1);
    const productT = this.productAt(t);
    const productNext = productT * muNext;
    const vCorrection = 1 - b2 ** t;
    const m = slot('momentum');
    const v = slot('velocity');
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      m[i] += (gi - m[i]) * (1 - b1);
      v[i] += (gi * gi - v[i]) * (1 - b2);
      const mHat = (muNext * m[i]) / (1 - productNext) + ((1 - muT) * gi) / (1 - productT);
      const vHat = v[i] / vCorrection;
      w[i] -= (mHat * lr) / (Math.sqrt(vHat) + eps);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
