/**
 * Schedule registry: `{ className, config }` <-> schedule, by each class's static `fromConfig`.
 *
 * `scheduleFromConfig` also reads Keras 3's form `{ module, class_name, config, registered_name }`
 * with snake_case config keys (`initial_learning_rate`, `decay_steps`, ...; Keras's `name` key is
 * dropped), so a schedule saved by Keras inside an optimizer config loads here.
 */
import { ValueError, nearestName } from '../../core/errors.js';
import { CosineDecay } from './cosine_decay.js';
import { ExponentialDecay } from './exponential_decay.js';
import { InverseTimeDecay } from './inverse_time_decay.js';
import { LearningRateSchedule } from './learning_rate_schedule.js';
import { OneCycle } from './one_cycle.js';
import { PiecewiseConstantDecay } from './piecewise_constant_decay.js';
import { PolynomialDecay } from './polynomial_decay.js';

/** Builds a schedule from its config (usually `(c) => Cls.fromConfig(c)`). */
export type ScheduleFactory = (config: Record<string, unknown>) => LearningRateSchedule;

/** The serialized form of a schedule. */
export interface SerializedSchedule {
  className: string;
  config: Record<string, unknown>;
}

const registry = new Map<string, ScheduleFactory>([
  [ExponentialDecay.className, (c) => ExponentialDecay.fromConfig(c)],
  [PiecewiseConstantDecay.className, (c) => PiecewiseConstantDecay.fromConfig(c)],
  [PolynomialDecay.className, (c) => PolynomialDecay.fromConfig(c)],
  [InverseTimeDecay.className, (c) => InverseTimeDecay.fromConfig(c)],
  [CosineDecay.className, (c) => CosineDecay.fromConfig(c)],
  [OneCycle.className, (c) => OneCycle.fromConfig(c)],
]);

/** Registers a custom schedule class so `scheduleFromConfig` (and optimizer loading) can build it. */
export function registerSchedule(className: string, factory: ScheduleFactory): void {
  if (typeof className !== 'string' || className === '' || className === LearningRateSchedule.className) {
    throw new ValueError(`registerSchedule: the class needs its own static readonly className (received ${String(className)}).`);
  }
  registry.set(className, factory);
}

/** `{ className, config }` of a schedule. */
export function serializeSchedule(schedule: LearningRateSchedule): SerializedSchedule {
  return { className: schedule.className, config: schedule.getConfig() };
}

const snakeToCamel = (key: string): string => key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/**
 * Rebuilds a schedule from `{ className, config }` (deepwell, TF.js) or Keras 3's
 * `{ class_name, config }` with snake_case keys.
 * @throws ValueError for an object of another shape, an unregistered class name (with the nearest one)
 *   or an invalid config.
 */
export function scheduleFromConfig(spec: unknown): LearningRateSchedule {
  const record = (spec !== null && typeof spec === 'object' ? spec : {}) as Record<string, unknown>;
  const keras = typeof record.class_name === 'string';
  const name = keras ? record.class_name : record.className;
  const raw = record.config ?? {};
  if (typeof name !== 'string' || raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ValueError(
      `Invalid learning-rate schedule: received ${JSON.stringify(spec)}; expected { className, config }, ` +
        `e.g. { className: 'ExponentialDecay', config: { initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 } }.`,
    );
  }
  const factory = registry.get(name);
  if (factory === undefined) {
    const known = [...registry.keys()];
    const near = nearestName(name, known);
    throw new ValueError(
      `Unknown learning-rate schedule '${name}'; known: ${known.join(', ')}.${near !== undefined ? ` Did you mean '${near}'?` : ''} ` +
        `Register a custom schedule with registerSchedule(className, factory).`,
    );
  }
  let config = raw as Record<string, unknown>;
  if (keras) {
    config = {};
    for (const [k, v] of Object.entries(raw)) if (k !== 'name' && v !== null) config[snakeToCamel(k)] = v;
  }
  return factory(config);
}
