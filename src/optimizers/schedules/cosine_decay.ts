/**
 * CosineDecay: a cosine from the starting rate down to `alpha` times it, with an optional linear
 * warmup first (Keras 3's form, SGDR without restarts):
 *
 *   without warmupTarget:  s = min(step, decaySteps)
 *                          lr = initialLearningRate * ((1 - alpha) * 0.5 * (1 + cos(pi * s / decaySteps)) + alpha)
 *   with warmupTarget:     s = min(step, warmupSteps + decaySteps)
 *                          s < warmupSteps:  lr = initialLearningRate + (warmupTarget - initialLearningRate) * s / warmupSteps
 *                          otherwise:        lr = warmupTarget * ((1 - alpha) * 0.5 * (1 + cos(pi * (s - warmupSteps) / decaySteps)) + alpha)
 *
 * Values (Keras 3 formula, recomputed in float64): initial 0.1, decaySteps 1000, alpha 0 gives
 * 0.05 at step 500 and 0 from step 1000 on.
 *
 * Reference: Keras 3 keras/src/optimizers/schedules/learning_rate_schedule.py (CosineDecay);
 * Loshchilov & Hutter 2016, arXiv:1608.03983 (SGDR); Goyal et al. 2017, arXiv:1706.02677 (warmup).
 *
 * @example new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 }).call(500) // 0.05
 * @example new CosineDecay({ initialLearningRate: 0, decaySteps: 1000, warmupTarget: 0.1, warmupSteps: 100 }).call(50) // 0.05
 */
import { keysOf } from '../../core/errors.js';
import { checkConfigKeys, checkNonNegative, checkPositive, checkRange } from '../checks.js';
import { LearningRateSchedule } from './learning_rate_schedule.js';

export interface CosineDecayOptions {
  /** Learning rate at step 0 (the warmup's start when warming up), a finite number >= 0. */
  initialLearningRate: number;
  /** Steps of the cosine decay (after the warmup), > 0. */
  decaySteps: number;
  /** Final rate as a fraction of the rate the decay starts from, in [0, 1]. Default 0. */
  alpha?: number;
  /** Rate reached at the end of the warmup; omit for no warmup (Keras `warmup_target=None`). */
  warmupTarget?: number;
  /** Steps of the linear warmup, a finite number >= 0. Default 0. Used only with `warmupTarget`. */
  warmupSteps?: number;
}

/** The keys of `CosineDecayOptions`. */
const KEYS = keysOf<CosineDecayOptions>({ initialLearningRate: true, decaySteps: true, alpha: true, warmupTarget: true, warmupSteps: true });

export class CosineDecay extends LearningRateSchedule {
  static override readonly className: string = 'CosineDecay';
  static override readonly optionKeys: readonly string[] = KEYS;
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | undefined;
  readonly warmupSteps: number;

  /** @throws ValueError for negative rates, decaySteps <= 0 or alpha outside [0, 1]. */
  constructor(options: CosineDecayOptions) {
    super(options);
    this.initialLearningRate = checkNonNegative('CosineDecay', 'initialLearningRate', options.initialLearningRate);
    this.decaySteps = checkPositive('CosineDecay', 'decaySteps', options.decaySteps);
    this.alpha = checkRange('CosineDecay', 'alpha', options.alpha ?? 0, 0, 1, true);
    // null (Keras writes warmup_target: null) means no warmup, as undefined does.
    this.warmupTarget = options.warmupTarget == null ? undefined : checkNonNegative('CosineDecay', 'warmupTarget', options.warmupTarget);
    this.warmupSteps = checkNonNegative('CosineDecay', 'warmupSteps', options.warmupSteps ?? 0);
  }

  /** `new CosineDecay(config)`, rejecting unknown keys. */
  static fromConfig(config: Record<string, unknown>): CosineDecay {
    return new CosineDecay(checkConfigKeys('CosineDecay', config, KEYS) as unknown as CosineDecayOptions);
  }

  /** The cosine part: from `from` at s = 0 to alpha * from at s = decaySteps. */
  private decayed(s: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos(Math.PI * (s / this.decaySteps)));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }

  call(step: number): number {
    const target = this.warmupTarget;
    if (target === undefined) return this.decayed(Math.min(step, this.decaySteps), this.initialLearningRate);
    const s = Math.min(step, this.warmupSteps + this.decaySteps);
    if (s < this.warmupSteps) return (target - this.initialLearningRate) * (s / this.warmupSteps) + this.initialLearningRate;
    return this.decayed(s - this.warmupSteps, target);
  }

  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      alpha: this.alpha,
      warmupSteps: this.warmupSteps,
    };
    if (this.warmupTarget !== undefined) config.warmupTarget = this.warmupTarget;
    return config;
  }
}
