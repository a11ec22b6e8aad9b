/**
 * CosineDecayRestarts: cosine decay with warm restarts (SGDR), in Keras 3's form. The first period
 * lasts `firstDecaySteps`; each next one is `tMul` times longer and starts from `mMul` times the
 * previous peak:
 *
 *   f = step / firstDecaySteps                                  (progress in first periods)
 *   tMul == 1:  i = floor(f),  r = f - i
 *   otherwise:  i = floor(log(1 - f (1 - tMul)) / log(tMul))     (index of the current period)
 *               r = (f - (1 - tMul^i) / (1 - tMul)) / tMul^i      (fraction of it done)
 *   lr = initialLearningRate * ((1 - alpha) * 0.5 * mMul^i * (1 + cos(pi r)) + alpha)
 *
 * Note that Keras multiplies alpha in after the restart factor, so the floor stays
 * alpha * initialLearningRate in every period while the peaks shrink by mMul.
 *
 * Example: initial 1, firstDecaySteps 10, tMul 2, mMul 0.5: 1 at step 0, 0.5 at step 5 (mid
 * cosine), restart at step 10 to 0.5, 0.25 at step 20 (middle of the 20-step second period),
 * restart at step 30 to 0.25.
 *
 * Options: `initialLearningRate` >= 0; `firstDecaySteps` > 0; `tMul` > 0 (default 2); `mMul` >= 0
 * (default 1); `alpha` in [0, 1] (default 0).
 * @throws ValueError for a value outside those ranges or an unknown option.
 * Reference: Keras 3 keras/src/optimizers/schedules/learning_rate_schedule.py (CosineDecayRestarts);
 * Loshchilov & Hutter 2016, arXiv:1608.03983 (SGDR).
 * @example new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, mMul: 0.5 }).call(20) // 0.25
 */
import { keysOf } from '../../core/errors.js';
import { checkConfigKeys, checkNonNegative, checkPositive, checkRange } from '../checks.js';
import { LearningRateSchedule } from './learning_rate_schedule.js';

export interface CosineDecayRestartsOptions {
  /** Learning rate at step 0, a finite number >= 0. */
  initialLearningRate: number;
  /** Steps of the first period, > 0. */
  firstDecaySteps: number;
  /** Each period is tMul times longer than the previous one, > 0. Default 2. */
  tMul?: number;
  /** Each restart starts from mMul times the previous peak, >= 0. Default 1. */
  mMul?: number;
  /** Floor of the rate as a fraction of initialLearningRate, in [0, 1]. Default 0. */
  alpha?: number;
}

/** The keys of `CosineDecayRestartsOptions`. */
const KEYS = keysOf<CosineDecayRestartsOptions>({ initialLearningRate: true, firstDecaySteps: true, tMul: true, mMul: true, alpha: true });

export class CosineDecayRestarts extends LearningRateSchedule {
  static override readonly className: string = 'CosineDecayRestarts';
  static override readonly optionKeys: readonly string[] = KEYS;
  readonly initialLearningRate: number;
  readonly firstDecaySteps: number;
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;

  /** @throws ValueError for a negative rate, firstDecaySteps or tMul <= 0, mMul < 0, alpha outside [0, 1]. */
  constructor(options: CosineDecayRestartsOptions) {
    super(options);
    const owner = 'CosineDecayRestarts';
    this.initialLearningRate = checkNonNegative(owner, 'initialLearningRate', options.initialLearningRate);
    this.firstDecaySteps = checkPositive(owner, 'firstDecaySteps', options.firstDecaySteps);
    this.tMul = checkPositive(owner, 'tMul', options.tMul ?? 2);
    this.mMul = checkNonNegative(owner, 'mMul', options.mMul ?? 1);
    this.alpha = checkRange(owner, 'alpha', options.alpha ?? 0, 0, 1, true);
  }

  /** `new CosineDecayRestarts(config)`, rejecting unknown keys (Keras's t_mul, m_mul become tMul, mMul). */
  static fromConfig(config: Record<string, unknown>): CosineDecayRestarts {
    return new CosineDecayRestarts(checkConfigKeys('CosineDecayRestarts', config, KEYS) as unknown as CosineDecayRestartsOptions);
  }

  call(step: number): number {
    const { tMul, mMul, alpha } = this;
    const f = step / this.firstDecaySteps;
    let i: number;
    let r: number;
    if (tMul === 1) {
      i = Math.floor(f);
      r = f - i;
    } else {
      i = Math.floor(Math.log(1 - f * (1 - tMul)) / Math.log(tMul));
      const done = (1 - tMul ** i) / (1 - tMul);
      r = (f - done) / tMul ** i;
    }
    const cosine = 0.5 * mMul ** i * (1 + Math.cos(Math.PI * r));
    return this.initialLearningRate * ((1 - alpha) * cosine + alpha);
  }

  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, firstDecaySteps: this.firstDecaySteps, tMul: this.tMul, mMul: this.mMul, alpha: this.alpha };
  }
}
