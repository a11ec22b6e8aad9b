export { Sequential, type CompileOptions, type EvaluateOptions, type SequentialOptions } from './sequential.js';
export type { FitOptions } from './fit.js';
export type { ClassWeight } from './sample_weights.js';
export { Model, type ModelOptions } from './model.js';
export { LayersModel } from './layers_model.js';
export { MODEL_FORMATS, type ModelFormat, type ModelSource, type ModelStore, type SaveOptions, describeSource, hasModelStore, loadModel, modelStore, registerModelStore } from './model_store.js';
export type { TrainingState } from './training_state.js';
export { ModelLayer } from './model_layer.js';
