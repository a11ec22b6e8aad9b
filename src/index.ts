/**
 * deepwell: a TypeScript deep-learning library in which deep networks train well.
 * The public API, re-exported by name.
 */
export { Tensor, Variable, tensor, zeros, fill } from './core/tensor.js';
export type { TensorLike, DataWithShape } from './core/tensor_like.js';
export { ShapeError, ValueError, CompileConfigError, DataError, NotFiniteError, DeepwellError, nearestName } from './core/errors.js';
export {
  serialize, deserialize, registerSerializable, registeredNames, camelToSnake, snakeToCamel,
  type SerializedObject, type SerializableClass, type SerializableKind, type RegisterOptions,
} from './core/serialization.js';
export { Rng, setSeed } from './core/random.js';
export type { DType } from './core/dtype.js';
export { grad, valueAndGrad, gradcheck, backward, noGrad } from './autodiff/index.js';
export * as ops from './ops/index.js';
export * as initializers from './initializers/index.js';
export * as activations from './activations/index.js';
export * as losses from './losses/index.js';
export * as metrics from './metrics/index.js';
export * as layers from './layers/index.js';
export { Input, type InputOptions } from './layers/input_layer.js';
export { clearSession } from './layers/layer.js';
export { SymbolicTensor } from './layers/symbolic_tensor.js';
export * as regularizers from './regularizers/index.js';
export * as constraints from './constraints/index.js';
export * as optimizers from './optimizers/index.js';
export * as callbacks from './callbacks/index.js';
export { Sequential, Model, type ModelOptions, LayersModel, type CompileOptions, type FitOptions, type ClassWeight, loadModel, registerModelStore, MODEL_FORMATS, type ModelFormat, type ModelSource, type ModelStore, type SaveOptions, type TrainingState } from './models/index.js';
export { mcPredict, type McPredictOptions } from './models/mc_dropout.js';
export { cloneModel } from './models/clone.js';
export { ModelLayer } from './models/model_layer.js';
export { modelToArtifacts, modelFromArtifacts, type ModelToArtifactsOptions, type ModelFromArtifactsOptions } from './io/model_artifacts.js';
export { encodeDeepwellModel, decodeDeepwellModel } from './io/deepwell_format.js';
export { encodeTfjsModel, decodeTfjsModel } from './io/tfjs_format.js';
// Registers the browser's model store (URLs, File/Blob, 'downloads://') unless the Node entry registered the file system.
export { browserModelStore, modelToFiles, DOWNLOADS_SCHEME, type ModelFile } from './io/browser_store.js';
export { datasets, TOY_2D_NAMES, type Toy2dName, type Toy2dOptions } from './data/datasets.js';
export { fitStandardizer, type Standardizer } from './data/standardize.js';
export { parseIdx, type IdxArray } from './data/idx.js';
export { parseIdxDataset, imageDatasetFromIdx, type ImageDataset, type TrainTestDatasets } from './data/mnist.js';
export * as diagnostics from './diagnostics/index.js';
export {
  kernelBackend, registerBackend, setBackend, resetBackend, getBackend, ready, backendInfo,
  type BackendInfo, type BackendOptions, type Kernels,
} from './kernels/index.js';
