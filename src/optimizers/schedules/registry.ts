/**
 * The learning-rate schedules in the one serialization registry (core/serialization.ts), module
 * 'keras.optimizers.schedules' (OneCycle, deepwell's own: 'deepwell.optimizers.schedules').
 * `scheduleFromConfig`, `serializeSchedule` and `registerSchedule` are thin uses of that registry.
 */
import { ValueError } from '../../core/errors.js';
import { type SerializedObject, deserialize, registerSerializable, serialize } from '../../core/serialization.js';
import { CosineDecay } from './cosine_decay.js';
import { CosineDecayRestarts } from './cosine_decay_restarts.js';
import { ExponentialDecay } from './exponential_decay.js';
import { InverseTimeDecay } from './inverse_time_decay.js';
import { LearningRateSchedule } from './learning_rate_schedule.js';
import { OneCycle } from './one_cycle.js';
import { PiecewiseConstantDecay } from './piecewise_constant_decay.js';
import { PolynomialDecay } from './polynomial_decay.js';

registerSerializable(ExponentialDecay, { package: 'keras' });
registerSerializable(PiecewiseConstantDecay, { package: 'keras' });
registerSerializable(PolynomialDecay, { package: 'keras' });
registerSerializable(InverseTimeDecay, { package: 'keras' });
registerSerializable(CosineDecay, { package: 'keras' });
registerSerializable(CosineDecayRestarts, { package: 'keras' });
registerSerializable(OneCycle, { package: 'deepwell' });

/** Builds a schedule from its config (usually `(c) => Cls.fromConfig(c)`). */
export type ScheduleFactory = (config: Record<string, unknown>) => LearningRateSchedule;

/** The serialized form of a schedule (Keras 3's). */
export type SerializedSchedule = SerializedObject;

/**
 * Registers a custom schedule under `className` (older API; prefer `registerSerializable(MySchedule)`).
 * @throws ValueError for an empty name or the base class's name.
 */
export function registerSchedule(className: string, factory: ScheduleFactory): void {
  if (typeof className !== 'string' || className === '' || className === LearningRateSchedule.className) {
    throw new ValueError(`registerSchedule: the class needs its own static readonly className (received ${String(className)}).`);
  }
  registerSerializable({ className, fromConfig: factory, prototype: {} }, { kind: 'optimizers.schedules', override: true });
}

/** The Keras 3 form of a schedule (same as `serialize(schedule)`). */
export function serializeSchedule(schedule: LearningRateSchedule): SerializedSchedule {
  return serialize(schedule);
}

/**
 * Rebuilds a schedule from Keras 3 / Keras 2 `{ class_name, config }` (snake_case keys; Keras's `name`
 * key is dropped) or deepwell/TF.js `{ className, config }`.
 * @throws ValueError for an object of another shape, an unregistered class name (with the nearest one) or an invalid config.
 */
export function scheduleFromConfig(spec: unknown): LearningRateSchedule {
  return deserialize<LearningRateSchedule>(spec, 'optimizers.schedules');
}
