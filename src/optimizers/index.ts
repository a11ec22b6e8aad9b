export { Optimizer, type OptimizerOptions } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, type AdamOptions } from './adam.js';
export { getOptimizer, OPTIMIZER_NAMES, type OptimizerName } from './get.js';
