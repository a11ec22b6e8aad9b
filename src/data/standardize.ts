/**
 * Per-feature standardization with statistics of the training set, as Hands-On ML ch. 11 does before
 * its deep SELU experiments (`(X - X_train.mean(axis=0)) / X_train.std(axis=0)`, per pixel).
 *
 * Shapes: x [n, ...features] -> the same shape; mean and std have one value per feature
 * (prod(features)). Statistics are accumulated in float64. A feature that is constant on the
 * training set (the always-black corner pixels of MNIST) has std 0; it gets scale 1, so it becomes 0
 * instead of 0/0 = NaN (scikit-learn's StandardScaler does the same).
 *
 * `minStd` floors the std used for scaling: (x - mean) / max(std, minStd). Without it, a feature that
 * is *nearly* constant explodes: 19 of MNIST's 784 pixels have a training std below 1e-3 (the
 * smallest 1.3e-4), because they are lit in a handful of the 60,000 images; standardized, those
 * images carry values up to 245 std (419 in the test set), and 26,275 training values lie beyond
 * 10 std. One such batch can wreck a deep network trained with SGD (the seed-42 run of the 100-layer
 * SELU network of HML ch. 11 collapses in epoch 2). Keras's Normalization layer divides by
 * max(std, 1e-7) and scikit-learn treats std below 10 * machine epsilon as 0: neither floor is large
 * enough for this. For pixels in [0, 1] a floor of 0.1 keeps every input, training or test,
 * within 10 std (IMAGE_MIN_STD_FRACTION of the pixel range).
 */
import { ValueError } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';

/**
 * The CLI's floor on a pixel's std when it standardizes images, as a fraction of the pixel range
 * (max - min over the training set): 0.1 keeps standardized inputs within 10 std.
 */
export const IMAGE_MIN_STD_FRACTION = 0.1;

export interface StandardizerOptions {
  /** Floor on the std each feature is divided by, in the data's units (>= 0). Default 0: only exactly constant features get scale 1. */
  minStd?: number;
}

export interface Standardizer {
  /** Per-feature mean of the training set. */
  mean: Float64Array;
  /** Per-feature population standard deviation of the training set (0 for constant features). */
  std: Float64Array;
  /** The floor applied to the std (0 without one). */
  minStd: number;
  /** (x - mean) / max(std, minStd) (1 where that is 0), as a new float32 tensor of x's shape. */
  apply(x: Tensor): Tensor;
}

/**
 * Computes per-feature mean and std over the samples of `train` (first dimension).
 * @throws ValueError when train has no sample or no feature, or minStd is negative or not finite.
 * @example
 * const s = fitStandardizer(tensor([[0, 1], [2, 1]]));
 * s.apply(tensor([[0, 1], [2, 1]])).data // Float32Array [-1, 0, 1, 0]
 */
export function fitStandardizer(train: Tensor, options: StandardizerOptions = {}): Standardizer {
  const minStd = options.minStd ?? 0;
  if (!(minStd >= 0) || !Number.isFinite(minStd)) throw new ValueError(`standardize: minStd must be a finite number >= 0, received ${String(options.minStd)}.`);
  const n = train.shape[0] ?? 0;
  const features = n > 0 ? train.size / n : 0;
  if (n === 0 || features === 0) throw new ValueError(`standardize: the training set ${formatShape(train.shape)} has no sample or no feature.`);
  const mean = new Float64Array(features);
  const sq = new Float64Array(features);
  const data = train.data;
  for (let r = 0; r < n; r++) {
    const off = r * features;
    for (let f = 0; f < features; f++) mean[f] += data[off + f];
  }
  for (let f = 0; f < features; f++) mean[f] /= n;
  for (let r = 0; r < n; r++) {
    const off = r * features;
    for (let f = 0; f < features; f++) {
      const d = data[off + f] - mean[f];
      sq[f] += d * d;
    }
  }
  const std = sq.map((s) => Math.sqrt(s / n));
  const scale = std.map((s) => (Math.max(s, minStd) > 0 ? 1 / Math.max(s, minStd) : 1));
  return {
    mean,
    std,
    minStd,
    apply(x: Tensor): Tensor {
      if (x.size % features !== 0 || (x.shape[0] ?? 0) * features !== x.size) {
        throw new ValueError(`standardize: x ${formatShape(x.shape)} does not have the ${features} features per sample of the training set ${formatShape(train.shape)}.`);
      }
      const out = new Float32Array(x.size);
      const src = x.data;
      for (let i = 0; i < out.length; i += features) {
        for (let f = 0; f < features; f++) out[i + f] = (src[i + f] - mean[f]) * scale[f];
      }
      return new Tensor(out, x.shape);
    },
  };
}
