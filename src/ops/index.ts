export * from './arithmetic.js';
export * from './reductions.js';
export * from './softmax.js';
export { matmul, reshape, transpose, slice, concat, sum, max, where, stopGradient, dense, unary, binary, batchNorm, type BatchNormOptions, type BatchNormResult } from '../autodiff/primitives.js';
