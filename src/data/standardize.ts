/**
 * Per-feature standardization with statistics of the training set, as Hands-On ML ch. 11 does before
 * its deep SELU experiments (`(X - X_train.mean(axis=0)) / X_train.std(axis=0)`, per pixel).
 *
 * Shapes: x [n, ...features] -> the same shape; mean and std have one value per feature
 * (prod(features)). Statistics are accumulated in float64. A feature that is constant on the
 * training set (the always-black corner pixels of MNIST) has std 0; it gets scale 1, so it becomes 0
 * instead of 0/0 = NaN (scikit-learn's StandardScaler does the same).
 */
import { ValueError } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';

export interface Standardizer {
  /** Per-feature mean of the training set. */
  mean: Float64Array;
  /** Per-feature population standard deviation of the training set (0 for constant features). */
  std: Float64Array;
  /** (x - mean) / (std or 1 where std is 0), as a new float32 tensor of x's shape. */
  apply(x: Tensor): Tensor;
}

/**
 * Computes per-feature mean and std over the samples of `train` (first dimension).
 * @throws ValueError when train has no sample or no feature.
 * @example
 * const s = fitStandardizer(tensor([[0, 1], [2, 1]]));
 * s.apply(tensor([[0, 1], [2, 1]])).data // Float32Array [-1, 0, 1, 0]
 */
export function fitStandardizer(train: Tensor): Standardizer {
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
  const scale = std.map((s) => (s > 0 ? 1 / s : 1));
  return {
    mean,
    std,
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
