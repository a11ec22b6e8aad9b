import { type VarianceScalingPresetOptions, VarianceScalingPreset } from './variance_scaling_preset.js';

/** LeCun et al. 1998, section 4.6: weights with standard deviation fanIn^(-1/2), i.e. Var(W) = 1 / fanIn, scale 1 with fan_in. */
const LECUN_SCALE = 1;

/**
 * LeCun uniform initializer: U[-L, L) with L = sqrt(3 / fanIn), variance 1 / fanIn. Suited to SELU
 * (self-normalizing networks).
 *
 * Formula: VarianceScaling with scale 1, mode 'fan_in', distribution 'uniform'.
 *
 * Shapes: kernel `[inFeatures, units]` or `[...spatial, inChannels, outChannels]` (Keras layout) -> the same
 * shape.
 *
 * Accepted names: `'lecun_uniform'`, `'LecunUniform'`, `'LeCunUniform'`, `'leCunUniform'` (TF.js). Config:
 * `{ seed }`.
 *
 * Follows Keras 3 (`VarianceScaling(scale=1, mode="fan_in", distribution="uniform")`). TF.js names the class
 * `LeCunUniform`; both spellings are read, Keras's is written.
 *
 * @throws ValueError when the seed is not an integer (or an axes option is not an array of integers).
 *
 * Reference: LeCun et al. 1998, "Efficient BackProp"; Klambauer et al. 2017, "Self-Normalizing Neural
 * Networks" (arXiv:1706.02515); Keras 3 `keras/src/initializers/random_initializers.py` (`LecunUniform`).
 * @example new LecunUniform().describe([256, 128]).limit // 0.1082531755
 */
export class LecunUniform extends VarianceScalingPreset {
  static override readonly className: string = 'LecunUniform';

  constructor(options: VarianceScalingPresetOptions = {}) {
    super({ scale: LECUN_SCALE, mode: 'fan_in', distribution: 'uniform' }, options);
  }
}
