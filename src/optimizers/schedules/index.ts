export { LearningRateSchedule } from './learning_rate_schedule.js';
export { ExponentialDecay, type ExponentialDecayOptions } from './exponential_decay.js';
export { PiecewiseConstantDecay, type PiecewiseConstantDecayOptions } from './piecewise_constant_decay.js';
export { PolynomialDecay, type PolynomialDecayOptions } from './polynomial_decay.js';
export { InverseTimeDecay, type InverseTimeDecayOptions } from './inverse_time_decay.js';
export { CosineDecay, type CosineDecayOptions } from './cosine_decay.js';
export { CosineDecayRestarts, type CosineDecayRestartsOptions } from './cosine_decay_restarts.js';
export { OneCycle, type OneCycleOptions } from './one_cycle.js';
export { registerSchedule, scheduleFromConfig, serializeSchedule, type ScheduleFactory, type SerializedSchedule } from './registry.js';
