export { Sequential, type CompileOptions, type EvaluateOptions, type SequentialOptions } from './sequential.js';
export type { FitOptions } from './fit.js';
