import { type VarianceScalingPresetOptions, VarianceScalingPreset } from './variance_scaling_preset.js';

/** Glorot & Bengio 2010, eq. 12: Var(W) = 2 / (fanIn + fanOut) = 1 / fan_avg, i.e. scale 1 with fan_avg. */
const GLOROT_SCALE = 1;

/**
 * Glorot (Xavier) uniform initializer: U[-L, L) with L = sqrt(6 / (fanIn + fanOut)), variance 1 / fan_avg.
 * Keras's default kernel initializer; suited to no activation, tanh, sigmoid and softmax.
 *
 * Formula: VarianceScaling with scale 1, mode 'fan_avg', distribution 'uniform'.
 *
 * Shapes: kernel `[inFeatures, units]` or `[...spatial, inChannels, outChannels]` (Keras layout) -> the same
 * shape.
 *
 * Accepted names: `'glorot_uniform'`, `'GlorotUniform'`, `'glorotUniform'`. Config: `{ seed }`.
 *
 * Follows Keras 3 (`VarianceScaling(scale=1, mode="fan_avg", distribution="uniform")`). Same as PyTorch's
 * xavier_uniform_(gain=1) on the transposed layout.
 *
 * @throws ValueError when the seed is not an integer (or an axes option is not an array of integers).
 *
 * Reference: Glorot & Bengio 2010, "Understanding the difficulty of training deep feedforward neural
 * networks" (AISTATS); Keras 3 `keras/src/initializers/random_initializers.py` (`GlorotUniform`).
 * @example new GlorotUniform().describe([256, 128]).limit // 0.125
 */
export class GlorotUniform extends VarianceScalingPreset {
  static override readonly className: string = 'GlorotUniform';

  constructor(options: VarianceScalingPresetOptions = {}) {
    super({ scale: GLOROT_SCALE, mode: 'fan_avg', distribution: 'uniform' }, options);
  }
}
