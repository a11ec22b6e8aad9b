/**
 * ExponentialDecay: lr(step) = initialLearningRate * decayRate ^ (step / decaySteps), with
 * `step / decaySteps` floored when `staircase` (Keras 3 semantics).
 *
 * Values (Keras 3 formula, recomputed in float64): initial 0.1, decaySteps 1000, decayRate 0.96
 * gives 0.0979796 at step 500 and 0.0902980 at step 2500; with staircase 0.1 and 0.09216.
 *
 * The book's "exponential scheduling" lr0 * 0.1^(t/s) is `decayRate: 0.1, decaySteps: s`.
 *
 * Reference: Keras 3 keras/src/optimizers/schedules/learning_rate_schedule.py (ExponentialDecay).
 *
 * @example new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 }).call(2500) // 0.0902980
 */
import { keysOf } from '../../core/errors.js';
import { checkBoolean, checkConfigKeys, checkNonNegative, checkPositive } from '../checks.js';
import { LearningRateSchedule } from './learning_rate_schedule.js';

export interface ExponentialDecayOptions {
  /** Learning rate at step 0, a finite number >= 0. */
  initialLearningRate: number;
  /** Steps over which the rate is multiplied by `decayRate` once, > 0. */
  decaySteps: number;
  /** Factor per `decaySteps` steps, > 0 (below 1 to decay). */
  decayRate: number;
  /** Decay in whole steps of `decaySteps` (a staircase) instead of continuously. Default false. */
  staircase?: boolean;
}

/** The keys of `ExponentialDecayOptions`. */
const KEYS = keysOf<ExponentialDecayOptions>({ initialLearningRate: true, decaySteps: true, decayRate: true, staircase: true });

export class ExponentialDecay extends LearningRateSchedule {
  static override readonly className: string = 'ExponentialDecay';
  static override readonly optionKeys: readonly string[] = KEYS;
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  /** @throws ValueError for a negative initial rate, decaySteps or decayRate <= 0. */
  constructor(options: ExponentialDecayOptions) {
    super(options);
    this.initialLearningRate = checkNonNegative('ExponentialDecay', 'initialLearningRate', options.initialLearningRate);
    this.decaySteps = checkPositive('ExponentialDecay', 'decaySteps', options.decaySteps);
    this.decayRate = checkPositive('ExponentialDecay', 'decayRate', options.decayRate);
    this.staircase = checkBoolean('ExponentialDecay', 'staircase', options.staircase ?? false);
  }

  /** `new ExponentialDecay(config)`, rejecting unknown keys. */
  static fromConfig(config: Record<string, unknown>): ExponentialDecay {
    return new ExponentialDecay(checkConfigKeys('ExponentialDecay', config, KEYS) as unknown as ExponentialDecayOptions);
  }

  call(step: number): number {
    const p = step / this.decaySteps;
    return this.initialLearningRate * this.decayRate ** (this.staircase ? Math.floor(p) : p);
  }

  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase };
  }
}
