/**
 * Weight initializers: Keras 3's family (zeros, ones, constant, random uniform/normal, truncated
 * normal, VarianceScaling and its Glorot/He/LeCun presets, orthogonal, identity), PyTorch's
 * conventions (`calculateGain`, Xavier and Kaiming with a layout option), `get` for every Keras,
 * TF.js and PyTorch spelling, and `computeFans`. Exposed as the `initializers` namespace of deepwell.
 */
export { computeFans, type FanAxes, type Fans } from './compute_fans.js';
export {
  Initializer,
  fromConfig,
  type InitializerClass,
  type InitializerConfig,
  type SerializedInitializer,
} from './initializer.js';
export { RandomInitializer } from './random_initializer.js';
export { Zeros } from './zeros.js';
export { Ones } from './ones.js';
export { Constant, type ConstantOptions } from './constant.js';
export { RandomUniform, type RandomUniformOptions } from './random_uniform.js';
export { RandomNormal, type RandomNormalOptions } from './random_normal.js';
export { TruncatedNormal, type TruncatedNormalOptions } from './truncated_normal.js';
export {
  TRUNCATED_NORMAL_STDDEV_FACTOR,
  VARIANCE_SCALING_DISTRIBUTIONS,
  VARIANCE_SCALING_MODES,
  VarianceScaling,
  type VarianceScalingDistribution,
  type VarianceScalingDistributionInput,
  type VarianceScalingMode,
  type VarianceScalingModeInput,
  type VarianceScalingOptions,
  type VarianceScalingStats,
} from './variance_scaling.js';
export { VarianceScalingPreset, type VarianceScalingPresetOptions, type VarianceScalingRecipe } from './variance_scaling_preset.js';
export { GlorotUniform } from './glorot_uniform.js';
export { GlorotNormal } from './glorot_normal.js';
export { HeUniform } from './he_uniform.js';
export { HeNormal } from './he_normal.js';
export { LecunUniform } from './lecun_uniform.js';
export { LecunNormal } from './lecun_normal.js';
export { Orthogonal, type OrthogonalOptions, type OrthogonalStats } from './orthogonal.js';
export { Identity, type IdentityOptions } from './identity.js';
export {
  FAN_LAYOUTS,
  KAIMING_MODES,
  KaimingNormal,
  KaimingUniform,
  PYTORCH_NONLINEARITIES,
  PytorchInitializer,
  XavierNormal,
  XavierUniform,
  calculateFanInAndFanOut,
  calculateGain,
  kaimingNormal,
  kaimingUniform,
  xavierNormal,
  xavierUniform,
  type FanLayout,
  type KaimingMode,
  type KaimingOptions,
  type Nonlinearity,
  type PytorchInitializerStats,
  type XavierOptions,
} from './pytorch.js';
export { FunctionInitializer, type InitializerFunction } from './function_initializer.js';
export {
  INITIALIZER_NAMES,
  canonicalInitializerName,
  deserialize,
  get,
  isInitializerName,
  registerInitializer,
  serialize,
  type InitializerAlias,
  type InitializerIdentifier,
  type InitializerJson,
  type InitializerName,
  type InitializerSpelling,
} from './get.js';
export {
  INITIALIZER_ADVICE,
  INIT_FAMILIES,
  adviseInitializer,
  classifyInitializer,
  familyForActivation,
  type InitFamily,
  type InitFamilyAdvice,
  type InitializerAdvice,
} from './advisor.js';
export { initializerTheory, type InitializerTheory } from './theory.js';
