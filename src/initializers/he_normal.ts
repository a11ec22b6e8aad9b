import { type VarianceScalingPresetOptions, VarianceScalingPreset } from './variance_scaling_preset.js';

/** He et al. 2015, eq. 10: Var(W) = 2 / fanIn; the 2 makes up for ReLU zeroing half of its inputs. */
const HE_SCALE = 2;

/**
 * He (Kaiming) normal initializer: truncated normal with standard deviation sqrt(2 / fanIn), variance 2 /
 * fanIn. Suited to ReLU and its variants (leaky ReLU, PReLU, ELU, GELU, swish).
 *
 * Formula: VarianceScaling with scale 2, mode 'fan_in', distribution 'truncated_normal':
 * sigma = sqrt(2 / fanIn) / 0.87962566103423978, redrawn beyond +-2 sigma.
 *
 * Shapes: kernel `[inFeatures, units]` or `[...spatial, inChannels, outChannels]` (Keras layout) -> the same
 * shape.
 *
 * Accepted names: `'he_normal'`, `'HeNormal'`, `'heNormal'`. Config: `{ seed }`.
 *
 * Follows Keras 3 (`VarianceScaling(scale=2, mode="fan_in", distribution="truncated_normal")`). The normal
 * is truncated at +-2 sigma and divided by 0.8796 first, so the variance is exact; TF.js's `'normal'` is not
 * corrected (tfjs#8594) and PyTorch's xavier_normal_/kaiming_normal_ are not truncated.
 *
 * @throws ValueError when the seed is not an integer (or an axes option is not an array of integers).
 *
 * Reference: He et al. 2015, "Delving Deep into Rectifiers" (arXiv:1502.01852); Keras 3
 * `keras/src/initializers/random_initializers.py` (`HeNormal`).
 * @example new HeNormal().describe([256, 128]).stddev // 0.0883883476 (bound 0.2009680971)
 */
export class HeNormal extends VarianceScalingPreset {
  static override readonly className: string = 'HeNormal';

  constructor(options: VarianceScalingPresetOptions = {}) {
    super({ scale: HE_SCALE, mode: 'fan_in', distribution: 'truncated_normal' }, options);
  }
}
