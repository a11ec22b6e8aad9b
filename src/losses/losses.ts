/**
 * Losses with Keras 3 semantics. Each computes one value per sample (its formula reduced over the
 * last axis), then Keras's default 'sum_over_batch_size' reduction: sum(values * sampleWeight) /
 * batch size (see reduction.ts; the divisor is the batch size, not the sum of the weights).
 * Targets [n] against predictions [n, 1] are brought to the same rank first, as Keras does.
 *
 * Crossentropies accept `fromLogits`; a probability input that came from `softmax` is traced back to
 * its logits and takes the stable path (as Keras does), so the softmax output layer never goes
 * through log(0), with or without label smoothing.
 *
 * | name | per-sample value (mean or sum over the last axis) |
 * |---|---|
 * | mean_squared_error | mean((y_pred - y_true)^2) |
 * | mean_absolute_error | mean(abs(y_pred - y_true)) |
 * | huber | mean(0.5 e^2 if abs(e) <= delta else delta abs(e) - 0.5 delta^2), e = y_pred - y_true |
 * | log_cosh | mean(log(cosh(e))) = mean(e + softplus(-2e) - log 2) |
 * | kl_divergence | sum(t log(t / p)), t = clip(y_true, 1e-7, 1), p = clip(y_pred, 1e-7, 1) |
 * | poisson | mean(y_pred - y_true log(y_pred + 1e-7)) |
 * | hinge | mean(max(1 - y_true y_pred, 0)); 0/1 labels are first mapped to -1/1 |
 * | binary_crossentropy | mean(-(y log p + (1 - y) log(1 - p))) |
 * | categorical_crossentropy | -sum(y log p) |
 * | sparse_categorical_crossentropy | -log p[label] |
 *
 * Reference: Keras 3 keras/src/losses/losses.py and keras/src/backend/tensorflow/nn.py.
 */
import { ShapeError, ValueError, checkOptionKeys, keysOf } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { binary, softmaxCrossentropy, sum, unary, where } from '../autodiff/primitives.js';
import { kernels } from '../kernels/index.js';
import { abs, add, clip, div, exp, log, maximum, mul, neg, scalarLike, square, sub } from '../ops/arithmetic.js';
import { mean } from '../ops/reductions.js';
import { logitsOf } from '../ops/softmax.js';
import { checkSameShape, reduceSumOverBatchSize, sameRank } from './reduction.js';

/** Keras's fuzz factor `backend.epsilon()`: probabilities are clipped to [EPSILON, 1 - EPSILON]. */
export const EPSILON = 1e-7;
/** Keras's default `delta` of the Huber loss. */
export const HUBER_DELTA = 1.0;

/** The fix suggested when targets and predictions of a crossentropy (or mse) differ in shape. */
const SPARSE_HINT = 'For integer class labels use sparse_categorical_crossentropy.';

/** Options every loss function accepts. */
export interface LossFunctionOptions {
  /** One weight per sample ([batch]); the weighted values are summed and divided by the batch size (Keras). */
  sampleWeight?: Tensor;
}

export interface CrossentropyOptions extends LossFunctionOptions {
  /** When true, `yPred` holds logits (unnormalized scores), not probabilities. Default false. */
  fromLogits?: boolean;
  /**
   * Label smoothing in [0, 1] (Keras): binary targets become y (1 - s) + 0.5 s; categorical targets
   * y (1 - s) + s / classes. Default 0.
   */
  labelSmoothing?: number;
}

/** Options of sparse categorical crossentropy: Keras 3's has no label smoothing. */
export interface SparseCrossentropyOptions extends LossFunctionOptions {
  /** When true, `yPred` holds logits. Default false. */
  fromLogits?: boolean;
}

export interface HuberOptions extends LossFunctionOptions {
  /** Where the loss turns from quadratic to linear, a finite number > 0. Default 1 (Keras). */
  delta?: number;
}

const CROSSENTROPY_OPTION_KEYS = keysOf<CrossentropyOptions>({ fromLogits: true, labelSmoothing: true, sampleWeight: true });
const SPARSE_OPTION_KEYS = keysOf<SparseCrossentropyOptions>({ fromLogits: true, sampleWeight: true });
const LOSS_FUNCTION_OPTION_KEYS = keysOf<LossFunctionOptions>({ sampleWeight: true });
const HUBER_OPTION_KEYS = keysOf<HuberOptions>({ delta: true, sampleWeight: true });

/**
 * Checks a label smoothing value.
 * @throws ValueError unless a number in [0, 1].
 */
export function checkLabelSmoothing(owner: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new ValueError(`${owner}: labelSmoothing must be a number in [0, 1] (0: no smoothing), received ${String(value)}.`);
  }
  return value;
}

/**
 * Checks Huber's delta.
 * @throws ValueError unless a finite number > 0.
 */
export function checkHuberDelta(owner: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value < Infinity)) {
    throw new ValueError(`${owner}: delta must be a finite number > 0 (where the loss turns linear), received ${String(value)}.`);
  }
  return value;
}

/**
 * Checks fromLogits.
 * @throws ValueError unless a boolean.
 */
export function checkFromLogits(owner: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValueError(`${owner}: fromLogits must be true or false, received ${String(value)}.`);
  return value;
}

/** Targets and predictions at the same rank (Keras), checked to have the same shape. */
function aligned(name: string, yTrue: Tensor, yPred: Tensor, hint = ''): [Tensor, Tensor] {
  const [t, p] = sameRank(yTrue, yPred);
  checkSameShape(name, t, p, hint);
  return [t, p];
}

/** Mean over the last axis (the per-sample value). */
const meanLast = (x: Tensor): Tensor => (x.rank === 0 ? x : mean(x, -1));

/**
 * Mean squared error: mean over the last axis of (y_true - y_pred)^2, averaged over the batch.
 * Shapes: [batch, d], [batch, d] (or [batch] against [batch, 1]) -> scalar.
 * @example meanSquaredError(tensor([[1, 2], [3, 4]]), tensor([[1.5, 2], [2, 6]])) // (0.25 + 0 + 1 + 4) / 4 = 1.3125
 */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor, options: LossFunctionOptions = {}): Tensor {
  checkOptionKeys('meanSquaredError', options, LOSS_FUNCTION_OPTION_KEYS);
  const [t, p] = aligned('mean_squared_error', yTrue, yPred, SPARSE_HINT);
  return reduceSumOverBatchSize('mean_squared_error', meanLast(square(sub(p, t))), options.sampleWeight);
}

/**
 * Mean absolute error: mean over the last axis of |y_pred - y_true|, averaged over the batch.
 * Gradient sign(e) / d, 0 where e = 0. Shapes: [batch, d], [batch, d] -> scalar.
 * Reference: Keras 3 `keras.losses.mean_absolute_error`.
 */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor, options: LossFunctionOptions = {}): Tensor {
  checkOptionKeys('meanAbsoluteError', options, LOSS_FUNCTION_OPTION_KEYS);
  const [t, p] = aligned('mean_absolute_error', yTrue, yPred);
  return reduceSumOverBatchSize('mean_absolute_error', meanLast(abs(sub(p, t))), options.sampleWeight);
}

/**
 * Huber loss: with e = y_pred - y_true, 0.5 e^2 where |e| <= delta, delta |e| - 0.5 delta^2
 * beyond; mean over the last axis, averaged over the batch. Continuous with its first derivative
 * (delta sign(e) at |e| = delta). Shapes: [batch, d], [batch, d] -> scalar.
 * @throws ValueError unless delta is a finite number > 0.
 * Reference: Keras 3 `keras.losses.huber(y_true, y_pred, delta=1.0)`; Huber 1964.
 */
export function huber(yTrue: Tensor, yPred: Tensor, options: HuberOptions = {}): Tensor {
  checkOptionKeys('huber', options, HUBER_OPTION_KEYS);
  const delta = checkHuberDelta('huber', options.delta ?? HUBER_DELTA);
  const [t, p] = aligned('huber', yTrue, yPred);
  const e = sub(p, t);
  const absE = abs(e);
  const quadratic = mul(square(e), 0.5);
  const linear = sub(mul(absE, delta), 0.5 * delta * delta);
  const values = where(binary('greater', absE, scalarLike(absE, delta)), linear, quadratic);
  return reduceSumOverBatchSize('huber', meanLast(values), options.sampleWeight);
}

/**
 * log-cosh loss: mean over the last axis of log(cosh(e)), e = y_pred - y_true, computed as Keras
 * does, e + softplus(-2e) - log 2, which never overflows (cosh(1000) does). Gradient tanh(e) / d.
 * Shapes: [batch, d], [batch, d] -> scalar.
 * Reference: Keras 3 `keras.losses.log_cosh`.
 */
export function logCosh(yTrue: Tensor, yPred: Tensor, options: LossFunctionOptions = {}): Tensor {
  checkOptionKeys('logCosh', options, LOSS_FUNCTION_OPTION_KEYS);
  const [t, p] = aligned('log_cosh', yTrue, yPred);
  const e = sub(p, t);
  const values = sub(add(e, unary('softplus', mul(e, -2))), Math.LN2);
  return reduceSumOverBatchSize('log_cosh', meanLast(values), options.sampleWeight);
}

/**
 * Kullback-Leibler divergence: sum over the last axis of t log(t / p), with t = clip(y_true, 1e-7, 1)
 * and p = clip(y_pred, 1e-7, 1) (Keras), averaged over the batch. Shapes: [batch, d], [batch, d] -> scalar.
 * Reference: Keras 3 `keras.losses.kl_divergence`.
 */
export function klDivergence(yTrue: Tensor, yPred: Tensor, options: LossFunctionOptions = {}): Tensor {
  checkOptionKeys('klDivergence', options, LOSS_FUNCTION_OPTION_KEYS);
  const [yt, yp] = aligned('kl_divergence', yTrue, yPred);
  const t = clip(yt, EPSILON, 1);
  const p = clip(yp, EPSILON, 1);
  const values = mul(t, log(div(t, p)));
  return reduceSumOverBatchSize('kl_divergence', values.rank === 0 ? values : sum(values, -1), options.sampleWeight);
}

/**
 * Poisson loss: mean over the last axis of y_pred - y_true log(y_pred + 1e-7) (Keras), averaged
 * over the batch. Shapes: [batch, d], [batch, d] -> scalar.
 * Reference: Keras 3 `keras.losses.poisson`.
 */
export function poisson(yTrue: Tensor, yPred: Tensor, options: LossFunctionOptions = {}): Tensor {
  checkOptionKeys('poisson', options, LOSS_FUNCTION_OPTION_KEYS);
  const [t, p] = aligned('poisson', yTrue, yPred);
  return reduceSumOverBatchSize('poisson', meanLast(sub(p, mul(t, log(add(p, EPSILON))))), options.sampleWeight);
}

/**
 * Hinge loss: mean over the last axis of max(1 - y_true y_pred, 0), averaged over the batch.
 * Labels are expected in {-1, 1}; when every label of the batch is 0 or 1 they are first mapped to
 * 2y - 1, as Keras's `convert_binary_labels_to_hinge` does. Gradient -y where 1 - y y_pred >= 0
 * (the kink goes to the linear side, as TF's maximum), else 0. Shapes: [batch, d], [batch, d] -> scalar.
 * Reference: Keras 3 `keras.losses.hinge`.
 */
export function hinge(yTrue: Tensor, yPred: Tensor, options: LossFunctionOptions = {}): Tensor {
  checkOptionKeys('hinge', options, LOSS_FUNCTION_OPTION_KEYS);
  const [yt, p] = aligned('hinge', yTrue, yPred);
  let binaryLabels = true;
  for (let i = 0; i < yt.size && binaryLabels; i++) binaryLabels = yt.data[i] === 0 || yt.data[i] === 1;
  const t = binaryLabels ? sub(mul(yt, 2), 1) : yt;
  const values = maximum(sub(scalarLike(p, 1), mul(t, p)), 0);
  return reduceSumOverBatchSize('hinge', meanLast(values), options.sampleWeight);
}

/**
 * Binary crossentropy: mean over the last axis of -(y log p + (1 - y) log(1 - p)), averaged over
 * the batch. From logits z it is computed stably as max(z, 0) - z y + log(1 + e^-|z|) (TF's
 * sigmoid_cross_entropy_with_logits); from probabilities p is clipped to [1e-7, 1 - 1e-7] (Keras).
 * With labelSmoothing s the targets are y (1 - s) + 0.5 s. Targets [n] against predictions [n, 1]
 * are accepted (Keras). Shapes: [batch, d], [batch, d] -> scalar.
 * @throws ValueError for an unknown option or labelSmoothing outside [0, 1]; ShapeError for mismatched shapes.
 */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  checkOptionKeys('binaryCrossentropy', options, CROSSENTROPY_OPTION_KEYS);
  const smoothing = checkLabelSmoothing('binaryCrossentropy', options.labelSmoothing ?? 0);
  const [t0, yp] = aligned('binary_crossentropy', yTrue, yPred, SPARSE_HINT);
  const t = smoothing === 0 ? t0 : add(mul(t0, 1 - smoothing), 0.5 * smoothing);
  let values: Tensor;
  if (checkFromLogits('binaryCrossentropy', options.fromLogits ?? false)) {
    // One branch choice for both kinks (TF's sigmoid_cross_entropy_with_logits), so the gradient
    // at z = 0 is sigmoid(0) - y exactly: max(z, 0) and -|z| both take the z >= 0 branch there.
    const z = yp;
    const zero = scalarLike(z, 0);
    const isNegative = binary('greater', zero, z);
    const reluZ = where(isNegative, zero, z);
    const negAbsZ = where(isNegative, z, neg(z));
    values = add(sub(reluZ, mul(z, t)), log(add(exp(negAbsZ), 1)));
  } else {
    const p = clip(yp, EPSILON, 1 - EPSILON);
    const one = (x: Tensor): Tensor => sub(neg(x), -1); // 1 - x
    values = neg(add(mul(t, log(p)), mul(one(t), log(one(p)))));
  }
  return reduceSumOverBatchSize('binary_crossentropy', meanLast(values), options.sampleWeight);
}

/**
 * Categorical crossentropy with one-hot (or soft) targets: -sum_c y_c log p_c per sample, averaged.
 * From logits (or from a softmax output, traced back to its logits) it uses log_softmax, so logits
 * [1000, 0, -1000] with target class 1 give exactly 1000 and the gradient softmax - y; with label
 * smoothing s the targets are y (1 - s) + s / classes and the path stays the stable one.
 * From other probabilities: p / sum(p), clipped to [1e-7, 1 - 1e-7] (Keras).
 * Shapes: [batch, classes], [batch, classes] -> scalar.
 * @throws ValueError for an unknown option or labelSmoothing outside [0, 1]; ShapeError for mismatched shapes.
 */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  checkOptionKeys('categoricalCrossentropy', options, CROSSENTROPY_OPTION_KEYS);
  const smoothing = checkLabelSmoothing('categoricalCrossentropy', options.labelSmoothing ?? 0);
  checkSameShape('categorical_crossentropy', yTrue, yPred, SPARSE_HINT);
  const classes = yPred.shape[yPred.rank - 1] ?? 1;
  const t = smoothing === 0 ? yTrue : add(mul(yTrue, 1 - smoothing), smoothing / classes);
  const logits = checkFromLogits('categoricalCrossentropy', options.fromLogits ?? false) ? yPred : logitsOf(yPred);
  let values: Tensor;
  if (logits !== undefined) {
    // One fused primitive (softmax + crossentropy and its gradient in one pass), as -sum(t log_softmax(logits)).
    values = softmaxCrossentropy(logits, t);
  } else {
    const p = clip(div(yPred, sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
    values = neg(sum(mul(t, log(p)), -1));
  }
  return reduceSumOverBatchSize('categorical_crossentropy', values, options.sampleWeight);
}

/**
 * Checks that every label is an integer class index in [0, classes).
 * @param where - how to name a label's index in the message ('position' in a batch, 'sample' in a dataset).
 * @throws ValueError naming the first bad label and its index.
 */
export function checkSparseLabels(labels: ArrayLike<number>, classes: number, where = 'sample'): void {
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new ValueError(`sparse_categorical_crossentropy: label ${c} at ${where} ${i} is not an integer class index in [0, ${classes - 1}]. Check that the labels match the ${classes} output units.`);
    }
  }
}

/**
 * Checks that sparse labels are integers in [0, classes) and returns their one-hot encoding.
 * @throws ValueError naming the first bad label and its position.
 */
export function sparseToOneHot(labels: Tensor, classes: number, dtype: Tensor['dtype']): Tensor {
  const data = labels.data;
  checkSparseLabels(data, classes, 'position');
  const oneHot = kernels.oneHot(data, classes, dtype === 'float64' ? new Float64Array(data.length * classes) : undefined);
  return new Tensor(oneHot, [data.length, classes]);
}

/**
 * Sparse categorical crossentropy: integer class labels instead of one-hot targets; otherwise as
 * `categoricalCrossentropy`. Keras 3's has no label smoothing (its `sparse_categorical_crossentropy`
 * takes from_logits, ignore_class and axis only), so neither has this one: smooth one-hot targets
 * with `categoricalCrossentropy`. Shapes: [batch] (or [batch, 1]) labels, [batch, classes] -> scalar.
 * @throws ValueError for a label that is not an integer in [0, classes), or for labelSmoothing.
 */
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: SparseCrossentropyOptions = {}): Tensor {
  if (typeof options === 'object' && options !== null && Object.hasOwn(options, 'labelSmoothing')) {
    throw new ValueError('sparseCategoricalCrossentropy: Keras 3 has no label smoothing for sparse labels (keras.losses.SparseCategoricalCrossentropy takes from_logits, ignore_class, axis); one-hot encode the labels and use categorical_crossentropy with labelSmoothing.');
  }
  checkOptionKeys('sparseCategoricalCrossentropy', options, SPARSE_OPTION_KEYS);
  const classes = yPred.shape[yPred.rank - 1];
  const batch = yPred.size / Math.max(classes, 1);
  if (yTrue.size !== batch) {
    throw new ShapeError(`sparse_categorical_crossentropy: ${yTrue.size} labels ${formatShape(yTrue.shape)} for ${batch} predictions ${formatShape(yPred.shape)}; expected one integer label per sample.`);
  }
  return categoricalCrossentropy(sparseToOneHot(yTrue, classes, yPred.dtype), yPred, options);
}
