export { Callback, type Logs, type StepInfo, type CallbackModel, type CallbackOptimizer } from './callback.js';
export { History } from './history.js';
export { LearningRateScheduler, type EpochSchedule } from './learning_rate_scheduler.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce_lr_on_plateau.js';
export { EarlyStopping, type EarlyStoppingOptions } from './early_stopping.js';
export { TerminateOnNaN, type TerminateOnNaNOptions } from './terminate_on_nan.js';
export { MONITOR_MODES, type MonitorMode, resolveMode } from './monitor.js';
