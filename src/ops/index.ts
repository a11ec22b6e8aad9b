export * from './arithmetic.js';
export * from './reductions.js';
export * from './softmax.js';
export { matmul, reshape, transpose, slice, concat, sum, max, where, stopGradient, dense, unary, binary } from '../autodiff/primitives.js';
