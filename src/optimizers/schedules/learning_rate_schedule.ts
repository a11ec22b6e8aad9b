import { checkOptionKeys } from '../../core/errors.js';
import { accepts, registerSerializableKind } from '../../core/serialization.js';

/**
 * LearningRateSchedule: the learning rate as a function of the optimizer step (Keras 3
 * `keras.optimizers.schedules.LearningRateSchedule`).
 *
 * An optimizer given a schedule as its `learningRate` evaluates `schedule.call(optimizer.iterations)`
 * before each update, where `iterations` is the number of updates already applied (0 for the first
 * batch), exactly as Keras does. A subclass implements `call(step)` and `getConfig()`, declares a
 * `static readonly className`, and is registered with `registerSerializable(MySchedule)` to be loadable.
 *
 * Reference: Keras 3 keras/src/optimizers/schedules/learning_rate_schedule.py.
 *
 * @example
 *   class Halving extends LearningRateSchedule {
 *     static override readonly className: string = 'Halving';
 *     call(step: number): number { return 0.1 * 0.5 ** Math.floor(step / 100); }
 *     getConfig() { return {}; }
 *   }
 *   new Halving().call(250); // 0.025
 */
export abstract class LearningRateSchedule {
  static readonly className: string = 'LearningRateSchedule';
  /** Every key the constructor's options object may hold; the base constructor rejects any other. */
  static readonly optionKeys: readonly string[] = [];

  /**
   * @param options - the subclass's options object, checked for keys not in its `optionKeys`
   *   (omitted by a subclass that takes none, as the example below).
   * @throws ValueError for an unknown option key (with the nearest valid one).
   */
  constructor(options?: object) {
    checkOptionKeys(new.target.className, options, new.target.optionKeys);
  }

  /** The registered class name (`ExponentialDecay`, ...), written as `class_name` by `serialize`. */
  get className(): string {
    return (this.constructor as typeof LearningRateSchedule).className;
  }

  /** The learning rate after `step` updates (step >= 0, an integer in practice). */
  abstract call(step: number): number;

  /** The constructor options as JSON data: `new Cls(getConfig())` rebuilds the schedule. */
  abstract getConfig(): Record<string, unknown>;
}

/** Keras writes a `name` into every schedule config (and CosineDecay a null warmup); they change nothing. */
registerSerializableKind('optimizers.schedules', LearningRateSchedule, { foreignKeys: { name: accepts.any } });
