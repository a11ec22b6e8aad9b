export * from './losses.js';
export * from './get.js';
export { Loss, type LossOptions, MeanSquaredError, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from './loss.js';
