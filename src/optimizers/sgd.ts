/**
 * Stochastic gradient descent with optional momentum and Nesterov momentum, in Keras's form:
 *
 *   velocity <- momentum * velocity - lr * g
 *   w <- w + velocity                               (momentum)
 *   w <- w + momentum * velocity - lr * g           (nesterov)
 *   w <- w - lr * g                                 (momentum 0)
 *
 * With a constant learning rate this equals PyTorch's form (v <- mu v + g; w <- w - lr v), but not
 * when the learning rate changes: Keras folds lr into the velocity. From w0 = 0, gradient 1,
 * lr 0.1, momentum 0.9: w = -0.1, -0.29, -0.561 (nesterov: -0.19, -0.461); changing lr to 0.01
 * after step 1 gives -0.2 here and -0.119 in PyTorch (pytorch/pytorch#1099, keras-team/keras#966).
 *
 * PyTorch's SGD also has `dampening` (and `weight_decay` as an L2 term added to g), which Keras's
 * does not; deepwell's `weightDecay` is Keras's decoupled form (see Optimizer).
 *
 * Reference: Keras 3 keras/src/optimizers/sgd.py; Sutskever et al. 2013 (ICML) for Nesterov.
 */
import type { TypedArray } from '../core/dtype.js';
import { keysOf } from '../core/errors.js';
import { kernels } from '../kernels/index.js';
import { checkBoolean } from './checks.js';
import type { LearningRateSchedule } from './schedules/learning_rate_schedule.js';
import { OPTIMIZER_OPTION_KEYS, Optimizer, type OptimizerOptions, type SlotGetter, checkRange, optimizerOptionsFromConfig } from './optimizer.js';

export interface SGDOptions extends OptimizerOptions {
  /** Learning rate, > 0, or a schedule. Default 0.01 (Keras). */
  learningRate?: number | LearningRateSchedule;
  /** Momentum in [0, 1). Default 0. */
  momentum?: number;
  /** Nesterov momentum. Default false. */
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  static override readonly className: string = 'SGD';
  static override readonly optionKeys: readonly string[] = [
    ...OPTIMIZER_OPTION_KEYS,
    ...keysOf<Omit<SGDOptions, keyof OptimizerOptions>>({ momentum: true, nesterov: true }),
  ];
  readonly momentum: number;
  readonly nesterov: boolean;

  /** @throws ValueError for a learning rate <= 0, momentum outside [0, 1) or invalid clipping options. */
  constructor(options: SGDOptions = {}) {
    super(options, 0.01);
    this.momentum = checkRange('SGD', 'momentum', options.momentum ?? 0, 0, 1);
    this.nesterov = checkBoolean('SGD', 'nesterov', options.nesterov ?? false);
  }

  /** `new SGD(config)`; a serialized schedule becomes a schedule; unknown keys are rejected. */
  static fromConfig(config: Record<string, unknown>): SGD {
    return new SGD(optimizerOptionsFromConfig(SGD, config) as SGDOptions);
  }

  protected updateWeight(w: TypedArray, g: TypedArray, lr: number, slot: SlotGetter): void {
    const mu = this.momentum;
    kernels.sgdUpdate(w, g, mu === 0 ? null : slot('momentum'), lr, mu, this.nesterov);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
