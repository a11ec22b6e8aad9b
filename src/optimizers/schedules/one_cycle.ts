/**
 * OneCycle: the 1cycle policy as the book's `OneCycleScheduler` computes it, as a schedule of the
 * optimizer step (HML3 ch. 11; Smith 2018, arXiv:1803.09820):
 *
 *   start = startLearningRate (default maxLearningRate / 10)
 *   last  = lastLearningRate  (default start / 1000, i.e. maxLearningRate / 10,000)
 *   L     = lastSteps         (default floor(totalSteps / 10) + 1)
 *   h     = floor((totalSteps - L) / 2)
 *
 *   step in [0, h):            linear from start up to maxLearningRate
 *   step in [h, 2h):           linear from maxLearningRate back down to start
 *   step in [2h, totalSteps):  linear from start down to last
 *   step >= totalSteps:        last
 *
 * Phases: the first two halves of about 90% of training, then the final drop over the last ~10%.
 * Differences from the book's callback: it is a `LearningRateSchedule` (evaluated at
 * `optimizer.iterations`, the number of batches done, which is the book's `self.iteration` at
 * `on_batch_begin`), it keeps `last` after `totalSteps` where the book's interpolation would go on
 * falling below zero, and it does not cycle momentum (Smith's paper also cycles momentum 0.95 -> 0.85;
 * the book's version does not).
 *
 * Reference: Géron, Hands-On Machine Learning (3rd ed.), ch. 11, "1cycle scheduling", notebook
 * 11_training_deep_neural_networks.ipynb (OneCycleScheduler); L. N. Smith, "A disciplined approach to
 * neural network hyper-parameters: Part 1", arXiv:1803.09820.
 *
 * @example
 *   const s = new OneCycle({ maxLearningRate: 0.1, totalSteps: 100 }); // L = 11, h = 44
 *   [s.call(0), s.call(22), s.call(44), s.call(88), s.call(100)] // [0.01, 0.055, 0.1, 0.01, 0.00001]
 */
import { ValueError, keysOf } from '../../core/errors.js';
import { checkConfigKeys, checkInteger, checkNonNegative, checkPositive } from '../checks.js';
import { LearningRateSchedule } from './learning_rate_schedule.js';

export interface OneCycleOptions {
  /** Peak learning rate, reached at the middle of the first ~90% of steps, > 0. */
  maxLearningRate: number;
  /** Total number of optimizer steps (batches x epochs), an integer >= 1. */
  totalSteps: number;
  /** Rate at step 0 and at the end of the cycle, >= 0. Default maxLearningRate / 10 (book). */
  startLearningRate?: number;
  /** Steps of the final drop, an integer in [0, totalSteps]. Default floor(totalSteps / 10) + 1 (book). */
  lastSteps?: number;
  /** Rate at the end of training, >= 0. Default startLearningRate / 1000 (book). */
  lastLearningRate?: number;
}

/** The keys of `OneCycleOptions`. */
const KEYS = keysOf<OneCycleOptions>({ maxLearningRate: true, totalSteps: true, startLearningRate: true, lastSteps: true, lastLearningRate: true });

export class OneCycle extends LearningRateSchedule {
  static override readonly className: string = 'OneCycle';
  static override readonly optionKeys: readonly string[] = KEYS;
  readonly maxLearningRate: number;
  readonly totalSteps: number;
  readonly startLearningRate: number;
  readonly lastSteps: number;
  readonly lastLearningRate: number;
  /** Steps of each half of the cycle, h above. */
  readonly halfSteps: number;

  /** @throws ValueError for rates out of range, totalSteps < 1 or lastSteps outside [0, totalSteps]. */
  constructor(options: OneCycleOptions) {
    super(options);
    this.maxLearningRate = checkPositive('OneCycle', 'maxLearningRate', options.maxLearningRate);
    this.totalSteps = checkInteger('OneCycle', 'totalSteps', options.totalSteps, 1);
    this.startLearningRate = checkNonNegative('OneCycle', 'startLearningRate', options.startLearningRate ?? this.maxLearningRate / 10);
    this.lastSteps = checkInteger('OneCycle', 'lastSteps', options.lastSteps ?? Math.floor(this.totalSteps / 10) + 1, 0);
    if (this.lastSteps > this.totalSteps) {
      throw new ValueError(`OneCycle: lastSteps must be at most totalSteps (${this.totalSteps}), received ${this.lastSteps}.`);
    }
    this.lastLearningRate = checkNonNegative('OneCycle', 'lastLearningRate', options.lastLearningRate ?? this.startLearningRate / 1000);
    this.halfSteps = Math.floor((this.totalSteps - this.lastSteps) / 2);
  }

  /** `new OneCycle(config)`, rejecting unknown keys. */
  static fromConfig(config: Record<string, unknown>): OneCycle {
    return new OneCycle(checkConfigKeys('OneCycle', config, KEYS) as unknown as OneCycleOptions);
  }

  call(step: number): number {
    const h = this.halfSteps;
    const line = (s0: number, s1: number, lr0: number, lr1: number): number => ((lr1 - lr0) * (step - s0)) / (s1 - s0) + lr0;
    if (step < h) return line(0, h, this.startLearningRate, this.maxLearningRate);
    if (step < 2 * h) return line(h, 2 * h, this.maxLearningRate, this.startLearningRate);
    if (step >= this.totalSteps) return this.lastLearningRate;
    return line(2 * h, this.totalSteps, this.startLearningRate, this.lastLearningRate);
  }

  /** The resolved options (defaults filled in), so a reload never recomputes them differently. */
  getConfig(): Record<string, unknown> {
    return {
      maxLearningRate: this.maxLearningRate,
      totalSteps: this.totalSteps,
      startLearningRate: this.startLearningRate,
      lastSteps: this.lastSteps,
      lastLearningRate: this.lastLearningRate,
    };
  }
}
