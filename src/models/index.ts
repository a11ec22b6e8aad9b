export { Sequential, type CompileOptions, type EvaluateOptions } from './sequential.js';
export type { FitOptions } from './fit.js';
