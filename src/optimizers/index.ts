export { Optimizer, type OptimizerState, type OptimizerStateArrays, type OptimizerOptions, type SlotGetter, OPTIMIZER_OPTION_KEYS } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adam, type AdamOptions } from './adam.js';
export { AdamW, type AdamWOptions } from './adamw.js';
export { Adamax, type AdamaxOptions } from './adamax.js';
export { Nadam, type NadamOptions } from './nadam.js';
export { getOptimizer, OPTIMIZER_NAMES, type OptimizerName } from './get.js';
export { optimizerFromConfig, registerOptimizer, serializeOptimizer, type OptimizerFactory, type SerializedOptimizer } from './registry.js';
export {
  clipGradients,
  clipByValue,
  clipByNorm,
  clipByGlobalNorm,
  globalNorm,
  checkClipOptions,
  type ClipOptions,
} from './clipping.js';
export * as schedules from './schedules/index.js';
export { LearningRateSchedule } from './schedules/learning_rate_schedule.js';
