import { type VarianceScalingPresetOptions, VarianceScalingPreset } from './variance_scaling_preset.js';

/** Glorot & Bengio 2010, eq. 12: Var(W) = 2 / (fanIn + fanOut) = 1 / fan_avg, i.e. scale 1 with fan_avg. */
const GLOROT_SCALE = 1;

/**
 * Glorot (Xavier) normal initializer: truncated normal with standard deviation sqrt(2 / (fanIn + fanOut)),
 * variance 1 / fan_avg. Suited to no activation, tanh, sigmoid and softmax; TF.js's default kernel
 * initializer.
 *
 * Formula: VarianceScaling with scale 1, mode 'fan_avg', distribution 'truncated_normal':
 * sigma = sqrt(1 / fan_avg) / 0.87962566103423978, redrawn beyond +-2 sigma.
 *
 * Shapes: kernel `[inFeatures, units]` or `[...spatial, inChannels, outChannels]` (Keras layout) -> the same
 * shape.
 *
 * Accepted names: `'glorot_normal'`, `'GlorotNormal'`, `'glorotNormal'`. Config: `{ seed }`.
 *
 * Follows Keras 3 (`VarianceScaling(scale=1, mode="fan_avg", distribution="truncated_normal")`). The normal
 * is truncated at +-2 sigma and divided by 0.8796 first, so the variance is exact; TF.js's `'normal'` is not
 * corrected (tfjs#8594) and PyTorch's xavier_normal_/kaiming_normal_ are not truncated.
 *
 * @throws ValueError when the seed is not an integer (or an axes option is not an array of integers).
 *
 * Reference: Glorot & Bengio 2010, "Understanding the difficulty of training deep feedforward neural
 * networks" (AISTATS); Keras 3 `keras/src/initializers/random_initializers.py` (`GlorotNormal`).
 * @example new GlorotNormal().describe([256, 128]).stddev // 0.0721687836
 */
export class GlorotNormal extends VarianceScalingPreset {
  static override readonly className: string = 'GlorotNormal';

  constructor(options: VarianceScalingPresetOptions = {}) {
    super({ scale: GLOROT_SCALE, mode: 'fan_avg', distribution: 'truncated_normal' }, options);
  }
}
