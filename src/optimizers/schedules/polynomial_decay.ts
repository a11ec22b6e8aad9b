/**
 * PolynomialDecay: from `initialLearningRate` to `endLearningRate` in `decaySteps` steps (Keras 3):
 *
 *   s = min(step, decaySteps)                                         (cycle false)
 *   D = decaySteps * max(1, ceil(step / decaySteps))   and s = step   (cycle true)
 *   lr(step) = (initialLearningRate - endLearningRate) * (1 - s / D) ^ power + endLearningRate
 *
 * With `power` 1 (default) this is a linear decay; without `cycle` the rate stays at
 * `endLearningRate` after `decaySteps`. The book's "power scheduling" lr0 / (1 + t/s)^c is a different
 * curve: use InverseTimeDecay for c = 1.
 *
 * Reference: Keras 3 keras/src/optimizers/schedules/learning_rate_schedule.py (PolynomialDecay).
 *
 * @example new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.01 }).call(50) // 0.055
 */
import { keysOf } from '../../core/errors.js';
import { checkBoolean, checkConfigKeys, checkNonNegative, checkPositive } from '../checks.js';
import { LearningRateSchedule } from './learning_rate_schedule.js';

export interface PolynomialDecayOptions {
  /** Learning rate at step 0, a finite number >= 0. */
  initialLearningRate: number;
  /** Steps to reach `endLearningRate`, > 0. */
  decaySteps: number;
  /** Final learning rate, >= 0. Default 0.0001 (Keras). */
  endLearningRate?: number;
  /** Exponent of the polynomial, > 0. Default 1 (linear). */
  power?: number;
  /** Restart the decay every `decaySteps` steps (each cycle over a longer span). Default false. */
  cycle?: boolean;
}

/** The keys of `PolynomialDecayOptions`. */
const KEYS = keysOf<PolynomialDecayOptions>({ initialLearningRate: true, decaySteps: true, endLearningRate: true, power: true, cycle: true });

export class PolynomialDecay extends LearningRateSchedule {
  static override readonly className: string = 'PolynomialDecay';
  static override readonly optionKeys: readonly string[] = KEYS;
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;

  /** @throws ValueError for negative rates, decaySteps or power <= 0. */
  constructor(options: PolynomialDecayOptions) {
    super(options);
    this.initialLearningRate = checkNonNegative('PolynomialDecay', 'initialLearningRate', options.initialLearningRate);
    this.decaySteps = checkPositive('PolynomialDecay', 'decaySteps', options.decaySteps);
    this.endLearningRate = checkNonNegative('PolynomialDecay', 'endLearningRate', options.endLearningRate ?? 0.0001);
    this.power = checkPositive('PolynomialDecay', 'power', options.power ?? 1);
    this.cycle = checkBoolean('PolynomialDecay', 'cycle', options.cycle ?? false);
  }

  /** `new PolynomialDecay(config)`, rejecting unknown keys. */
  static fromConfig(config: Record<string, unknown>): PolynomialDecay {
    return new PolynomialDecay(checkConfigKeys('PolynomialDecay', config, KEYS) as unknown as PolynomialDecayOptions);
  }

  call(step: number): number {
    let s = step;
    let d = this.decaySteps;
    if (this.cycle) d *= step === 0 ? 1 : Math.ceil(step / this.decaySteps);
    else s = Math.min(step, d);
    return (this.initialLearningRate - this.endLearningRate) * (1 - s / d) ** this.power + this.endLearningRate;
  }

  getConfig(): Record<string, unknown> {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      endLearningRate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
    };
  }
}
