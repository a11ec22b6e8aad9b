/**
 * Adagrad (Duchi et al. 2011) in Keras 3's form, epsilon inside the square root:
 *
 *   accumulator <- accumulator + g^2            (starts at initialAccumulatorValue, default 0.1)
 *   w <- w - lr * g / sqrt(accumulator + epsilon)
 *
 * PyTorch differs in three defaults and one formula: lr 0.01 (Keras 0.001), accumulator starting at
 * 0 (Keras 0.1), epsilon 1e-10 added outside the root, w -= lr * g / (sqrt(accumulator) + epsilon),
 * and an extra `lr_decay`. Because the accumulator only grows, the step shrinks for good; the book
 * advises against Adagrad for deep networks (it can stop before reaching the optimum).
 *
 * Example (hand-computed in test/optimizers): lr 0.1, gradient 1, default options: the first step
 * moves 0.1 / sqrt(1.1 + 1e-7) = 0.0953462, the second 0.1 / sqrt(2.1 + 1e-7) = 0.0690066.
 *
 * Reference: Keras 3 keras/src/optimizers/adagrad.py; Duchi, Hazan & Singer 2011, JMLR 12 (Adagrad).
 */
import type { TypedArray } from '../core/dtype.js';
import { keysOf } from '../core/errors.js';
import type { LearningRateSchedule } from './schedules/learning_rate_schedule.js';
import { checkNonNegative } from './checks.js';
import { OPTIMIZER_OPTION_KEYS, Optimizer, type OptimizerOptions, type SlotGetter, checkPositive, optimizerOptionsFromConfig } from './optimizer.js';

export interface AdagradOptions extends OptimizerOptions {
  /** Learning rate, > 0, or a schedule. Default 0.001 (Keras). */
  learningRate?: number | LearningRateSchedule;
  /** Starting value of each accumulator, >= 0. Default 0.1 (Keras). */
  initialAccumulatorValue?: number;
  /** Added to the accumulator under the square root, > 0. Default 1e-7 (Keras). */
  epsilon?: number;
}

export class Adagrad extends Optimizer {
  static override readonly className: string = 'Adagrad';
  static override readonly optionKeys: readonly string[] = [
    ...OPTIMIZER_OPTION_KEYS,
    ...keysOf<Omit<AdagradOptions, keyof OptimizerOptions>>({ initialAccumulatorValue: true, epsilon: true }),
  ];
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  /** @throws ValueError for a learning rate or epsilon <= 0, a negative initial accumulator or invalid clipping options. */
  constructor(options: AdagradOptions = {}) {
    super(options, 0.001);
    this.initialAccumulatorValue = checkNonNegative('Adagrad', 'initialAccumulatorValue', options.initialAccumulatorValue ?? 0.1);
    this.epsilon = checkPositive('Adagrad', 'epsilon', options.epsilon ?? 1e-7);
  }

  /** `new Adagrad(config)`; a serialized schedule becomes a schedule; unknown keys are rejected. */
  static fromConfig(config: Record<string, unknown>): Adagrad {
    return new Adagrad(optimizerOptionsFromConfig(Adagrad, config) as AdagradOptions);
  }

  protected updateWeight(w: TypedArray, g: TypedArray, lr: number, slot: SlotGetter): void {
    const eps = this.epsilon;
    const acc = slot('accumulator', this.initialAccumulatorValue);
    for (let i = 0; i < w.length; i++) {
      const gi = g[i];
      acc[i] += gi * gi;
      w[i] -= (lr * gi) / Math.sqrt(acc[i] + eps);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
