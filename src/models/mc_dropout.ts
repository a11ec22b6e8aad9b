/**
 * Monte Carlo dropout: `mcPredict(model, x)` runs the model `samples` times in training mode (so
 * every Dropout / AlphaDropout layer draws a fresh mask) without recording gradients, and returns
 * the per-element mean of the predictions and their standard deviation, an estimate of the model's
 * uncertainty. It is Keras's `np.stack([model(x, training=True) for _ in range(100)])` followed by
 * `.mean(axis=0)` and `.std(axis=0)` (population std, ddof 0, as NumPy's default).
 *
 * Caveat: training mode applies to every layer. A BatchNormalization layer then normalizes with the
 * statistics of each batch instead of its moving ones (so the result depends on the batch size and
 * on the other samples of the batch), and it would update its moving statistics; mcPredict puts all
 * non-trainable weights back afterwards, so the model is left unchanged, but the predictions are
 * still made with batch statistics. For a model with batch normalization, build it with `MCDropout`
 * (or `MCAlphaDropout`) layers instead, which drop in inference too, and average `model.predict`
 * calls: the other layers then stay in inference mode (the book's approach).
 *
 * Shapes: x [n, ...input] -> mean and std [n, ...output].
 * Reference: Gal & Ghahramani 2016, arXiv:1506.02142; Hands-On Machine Learning, ch. 11; Keras
 * issue keras-team/keras#9412.
 */
import { ShapeError, ValueError, checkOptionKeys, keysOf } from '../core/errors.js';
import { allocate } from '../core/dtype.js';
import { Tensor } from '../core/tensor.js';
import { noGrad } from '../autodiff/node.js';
import { rowRange } from './batches.js';
import type { LayersModel } from './layers_model.js';
import { checkBatchSize } from './input_checks.js';

export interface McPredictOptions {
  /** Number of stochastic forward passes, a positive integer. Default 100. */
  samples?: number;
  /** Samples per forward batch, a positive integer. Default 32. */
  batchSize?: number;
}

/** The keys of `McPredictOptions`. */
const MC_PREDICT_OPTION_KEYS = keysOf<McPredictOptions>({ samples: true, batchSize: true });

/**
 * Mean and standard deviation of `samples` stochastic predictions of `model` on `x`.
 * @throws ValueError for an unknown option key, a non-positive `samples` or `batchSize`; ShapeError for an empty `x`.
 * @example const { mean, std } = mcPredict(model, xTest, { samples: 100 });
 */
export function mcPredict(model: LayersModel, x: Tensor, options: McPredictOptions = {}): { mean: Tensor; std: Tensor } {
  checkOptionKeys('mcPredict', options, MC_PREDICT_OPTION_KEYS);
  const samples = options.samples ?? 100;
  if (!Number.isInteger(samples) || samples <= 0) {
    throw new ValueError(`mcPredict: samples must be a positive integer, received ${String(samples)}. The book uses 100.`);
  }
  const batchSize = checkBatchSize(options.batchSize ?? 32);
  const n = x.rank > 0 ? x.shape[0] : 0;
  if (n === 0) throw new ShapeError('mcPredict: x has no samples.');
  if (!model.built) model.build([null, ...x.shape.slice(1)]);
  // Batch normalization in training mode would move its statistics: the model restores them.
  const acc = model.withStateRestored(() => noGrad(() => {
      let a: { sum: Float64Array; sumSq: Float64Array; shape: number[] } | null = null;
      for (let s = 0; s < samples; s++) {
        for (let start = 0; start < n; start += batchSize) {
          const y = model.call(rowRange(x, start, Math.min(n, start + batchSize)), { training: true });
          const rowSize = y.size / y.shape[0];
          a ??= { sum: new Float64Array(n * rowSize), sumSq: new Float64Array(n * rowSize), shape: [n, ...y.shape.slice(1)] };
          const offset = start * rowSize;
          for (let i = 0; i < y.size; i++) {
            const v = y.data[i];
            a.sum[offset + i] += v;
            a.sumSq[offset + i] += v * v;
          }
        }
      }
      return a as NonNullable<typeof a>; // samples >= 1 and n >= 1: at least one pass ran
  }));
  const mean = allocate(x.dtype, acc.sum.length);
  const std = allocate(x.dtype, acc.sum.length);
  for (let i = 0; i < mean.length; i++) {
    const m = acc.sum[i] / samples;
    mean[i] = m;
    // Population variance E[y^2] - E[y]^2, clamped at 0 against rounding.
    std[i] = Math.sqrt(Math.max(acc.sumSq[i] / samples - m * m, 0));
  }
  return { mean: new Tensor(mean, acc.shape), std: new Tensor(std, [...acc.shape]) };
}
