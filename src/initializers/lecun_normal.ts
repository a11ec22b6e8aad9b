import { type VarianceScalingPresetOptions, VarianceScalingPreset } from './variance_scaling_preset.js';

/** LeCun et al. 1998, section 4.6: weights with standard deviation fanIn^(-1/2), i.e. Var(W) = 1 / fanIn, scale 1 with fan_in. */
const LECUN_SCALE = 1;

/**
 * LeCun normal initializer: truncated normal with standard deviation sqrt(1 / fanIn), variance 1 / fanIn.
 * The initializer SELU needs for self-normalization (with AlphaDropout).
 *
 * Formula: VarianceScaling with scale 1, mode 'fan_in', distribution 'truncated_normal':
 * sigma = sqrt(1 / fanIn) / 0.87962566103423978, redrawn beyond +-2 sigma.
 *
 * Shapes: kernel `[inFeatures, units]` or `[...spatial, inChannels, outChannels]` (Keras layout) -> the same
 * shape.
 *
 * Accepted names: `'lecun_normal'`, `'LecunNormal'`, `'LeCunNormal'`, `'leCunNormal'` (TF.js). Config: `{
 * seed }`.
 *
 * Follows Keras 3 (`VarianceScaling(scale=1, mode="fan_in", distribution="truncated_normal")`). TF.js names
 * the class `LeCunNormal`; both spellings are read, Keras's is written. The normal is truncated at +-2 sigma
 * and divided by 0.8796 first, so the variance is exactly 1 / fanIn; TF.js's leCunNormal is not corrected
 * (variance 0.774 / fanIn, tfjs#8594).
 *
 * @throws ValueError when the seed is not an integer (or an axes option is not an array of integers).
 *
 * Reference: LeCun et al. 1998, "Efficient BackProp"; Klambauer et al. 2017, "Self-Normalizing Neural
 * Networks" (arXiv:1706.02515); Keras 3 `keras/src/initializers/random_initializers.py` (`LecunNormal`).
 * @example new LecunNormal().describe([256, 128]).stddev // 0.0625 (bound 0.1421059043)
 */
export class LecunNormal extends VarianceScalingPreset {
  static override readonly className: string = 'LecunNormal';

  constructor(options: VarianceScalingPresetOptions = {}) {
    super({ scale: LECUN_SCALE, mode: 'fan_in', distribution: 'truncated_normal' }, options);
  }
}
