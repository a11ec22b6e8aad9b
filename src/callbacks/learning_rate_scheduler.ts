/**
 * LearningRateScheduler: sets the optimizer's learning rate at the start of each epoch from a
 * function of the epoch (0-based) and the current rate, and logs the rate as `learning_rate` at the
 * end of each epoch (Keras 3 semantics and log name).
 *
 * The book's piecewise and exponential schedules per epoch, for example:
 *   new LearningRateScheduler((epoch) => 0.01 * 0.1 ** (epoch / 20))   // 0.01, 0.0089, 0.0079, ...
 *
 * It refuses (ValueError at the start of fit) an optimizer whose learning rate is a
 * `LearningRateSchedule`: the two would fight over the rate.
 *
 * Reference: Keras 3 keras/src/callbacks/learning_rate_scheduler.py.
 */
import { ValueError } from '../core/errors.js';
import { Callback, type Logs } from './callback.js';
import { settableOptimizer } from './monitor.js';

/** The rate for an epoch (0-based), given the current rate: a finite number > 0. */
export type EpochSchedule = (epoch: number, learningRate: number) => number;

export class LearningRateScheduler extends Callback {
  readonly schedule: EpochSchedule;

  /** @throws ValueError when `schedule` is not a function. */
  constructor(schedule: EpochSchedule) {
    super();
    if (typeof schedule !== 'function') {
      throw new ValueError(`LearningRateScheduler: expected a function (epoch, learningRate) => number, received ${typeof schedule}.`);
    }
    this.schedule = schedule;
  }

  override onTrainBegin(): void {
    settableOptimizer('LearningRateScheduler', this.requireModel());
  }

  /** @throws ValueError when the function returns anything but a finite number > 0. */
  override onEpochBegin(epoch: number): void {
    const optimizer = settableOptimizer('LearningRateScheduler', this.requireModel());
    const current = optimizer.currentLearningRate();
    const lr = this.schedule(epoch, current);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0) {
      throw new ValueError(`LearningRateScheduler: schedule(${epoch}, ${current}) returned ${String(lr)}; expected a finite number > 0.`);
    }
    optimizer.learningRate = lr;
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    const optimizer = this.requireModel().optimizer;
    if (optimizer !== undefined) logs.learning_rate = optimizer.currentLearningRate();
  }
}
