/**
 * InverseTimeDecay: lr(step) = initialLearningRate / (1 + decayRate * step / decaySteps), with
 * `step / decaySteps` floored when `staircase` (Keras 3 semantics).
 *
 * This is the book's "power scheduling" lr0 / (1 + t/s)^c with c = 1 (`decayRate: 1, decaySteps: s`),
 * and Keras 2's `decay` argument lr0 / (1 + decay * t) (`decayRate: decay, decaySteps: 1`).
 *
 * Reference: Keras 3 keras/src/optimizers/schedules/learning_rate_schedule.py (InverseTimeDecay).
 *
 * @example new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }).call(2) // 0.05
 */
import { keysOf } from '../../core/errors.js';
import { checkBoolean, checkConfigKeys, checkNonNegative, checkPositive } from '../checks.js';
import { LearningRateSchedule } from './learning_rate_schedule.js';

export interface InverseTimeDecayOptions {
  /** Learning rate at step 0, a finite number >= 0. */
  initialLearningRate: number;
  /** Steps per unit of decay, > 0. */
  decaySteps: number;
  /** Decay per `decaySteps` steps, a finite number >= 0. */
  decayRate: number;
  /** Decay in whole steps of `decaySteps` (a staircase). Default false. */
  staircase?: boolean;
}

/** The keys of `InverseTimeDecayOptions`. */
const KEYS = keysOf<InverseTimeDecayOptions>({ initialLearningRate: true, decaySteps: true, decayRate: true, staircase: true });

export class InverseTimeDecay extends LearningRateSchedule {
  static override readonly className: string = 'InverseTimeDecay';
  static override readonly optionKeys: readonly string[] = KEYS;
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  /** @throws ValueError for a negative rate or decayRate, or decaySteps <= 0. */
  constructor(options: InverseTimeDecayOptions) {
    super(options);
    this.initialLearningRate = checkNonNegative('InverseTimeDecay', 'initialLearningRate', options.initialLearningRate);
    this.decaySteps = checkPositive('InverseTimeDecay', 'decaySteps', options.decaySteps);
    this.decayRate = checkNonNegative('InverseTimeDecay', 'decayRate', options.decayRate);
    this.staircase = checkBoolean('InverseTimeDecay', 'staircase', options.staircase ?? false);
  }

  /** `new InverseTimeDecay(config)`, rejecting unknown keys. */
  static fromConfig(config: Record<string, unknown>): InverseTimeDecay {
    return new InverseTimeDecay(checkConfigKeys('InverseTimeDecay', config, KEYS) as unknown as InverseTimeDecayOptions);
  }

  call(step: number): number {
    const p = step / this.decaySteps;
    return this.initialLearningRate / (1 + this.decayRate * (this.staircase ? Math.floor(p) : p));
  }

  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase };
  }
}
