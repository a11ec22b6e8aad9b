import { type VarianceScalingPresetOptions, VarianceScalingPreset } from './variance_scaling_preset.js';

/** He et al. 2015, eq. 10: Var(W) = 2 / fanIn; the 2 makes up for ReLU zeroing half of its inputs. */
const HE_SCALE = 2;

/**
 * He (Kaiming) uniform initializer: U[-L, L) with L = sqrt(6 / fanIn), variance 2 / fanIn. Suited to ReLU
 * and its variants (leaky ReLU, PReLU, ELU, GELU, swish).
 *
 * Formula: VarianceScaling with scale 2, mode 'fan_in', distribution 'uniform'.
 *
 * Shapes: kernel `[inFeatures, units]` or `[...spatial, inChannels, outChannels]` (Keras layout) -> the same
 * shape.
 *
 * Accepted names: `'he_uniform'`, `'HeUniform'`, `'heUniform'`. Config: `{ seed }`.
 *
 * Follows Keras 3 (`VarianceScaling(scale=2, mode="fan_in", distribution="uniform")`). Same as PyTorch's
 * kaiming_uniform_(nonlinearity='relu') on the transposed layout.
 *
 * @throws ValueError when the seed is not an integer (or an axes option is not an array of integers).
 *
 * Reference: He et al. 2015, "Delving Deep into Rectifiers" (arXiv:1502.01852); Keras 3
 * `keras/src/initializers/random_initializers.py` (`HeUniform`).
 * @example new HeUniform().describe([256, 128]).limit // 0.1530931089
 */
export class HeUniform extends VarianceScalingPreset {
  static override readonly className: string = 'HeUniform';

  constructor(options: VarianceScalingPresetOptions = {}) {
    super({ scale: HE_SCALE, mode: 'fan_in', distribution: 'uniform' }, options);
  }
}
