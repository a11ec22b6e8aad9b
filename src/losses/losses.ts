/**
 * Losses with Keras semantics: each reduces per sample over the last axis, then averages over the
 * batch ("sum_over_batch_size"). Crossentropies accept `fromLogits`; a probability input that came
 * from `softmax` is traced back to its logits and takes the stable path (as Keras does), so the
 * softmax output layer never goes through log(0).
 *
 * Reference: Keras 3 keras/src/losses/losses.py and keras/src/backend/tensorflow/nn.py.
 */
import { ShapeError, ValueError, checkOptionKeys, keysOf } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { binary, sum, where } from '../autodiff/primitives.js';
import { kernels } from '../kernels/index.js';
import { add, clip, div, exp, log, mul, neg, scalarLike, square, sub } from '../ops/arithmetic.js';
import { mean } from '../ops/reductions.js';
import { logSoftmax, logitsOf } from '../ops/softmax.js';

/** Keras's fuzz factor `backend.epsilon()`: probabilities are clipped to [EPSILON, 1 - EPSILON]. */
export const EPSILON = 1e-7;

export interface CrossentropyOptions {
  /** When true, `yPred` holds logits (unnormalized scores), not probabilities. Default false. */
  fromLogits?: boolean;
}

/** The keys of `CrossentropyOptions`. */
const CROSSENTROPY_OPTION_KEYS = keysOf<CrossentropyOptions>({ fromLogits: true });

function checkSameShape(name: string, yTrue: Tensor, yPred: Tensor): void {
  if (yTrue.shape.length !== yPred.shape.length || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new ShapeError(`${name}: targets ${formatShape(yTrue.shape)} and predictions ${formatShape(yPred.shape)} must have the same shape. For integer class labels use sparse_categorical_crossentropy.`);
  }
}

/**
 * Mean squared error: mean over the last axis of (y_true - y_pred)^2, averaged over the batch.
 * Shapes: [batch, d], [batch, d] -> scalar.
 */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  checkSameShape('mean_squared_error', yTrue, yPred);
  return mean(square(sub(yPred, yTrue)));
}

/**
 * Binary crossentropy, averaged over all elements: -(y log p + (1 - y) log(1 - p)).
 * From logits z it is computed stably as max(z, 0) - z y + log(1 + e^-|z|) (TF's
 * sigmoid_cross_entropy_with_logits); from probabilities p is clipped to [1e-7, 1 - 1e-7] (Keras).
 * Shapes: [batch, d], [batch, d] -> scalar.
 */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  checkOptionKeys('binaryCrossentropy', options, CROSSENTROPY_OPTION_KEYS);
  checkSameShape('binary_crossentropy', yTrue, yPred);
  if (options.fromLogits ?? false) {
    // One branch choice for both kinks (TF's sigmoid_cross_entropy_with_logits), so the gradient
    // at z = 0 is sigmoid(0) - y exactly: max(z, 0) and -|z| both take the z >= 0 branch there.
    const z = yPred;
    const zero = scalarLike(z, 0);
    const isNegative = binary('greater', zero, z);
    const reluZ = where(isNegative, zero, z);
    const negAbsZ = where(isNegative, z, neg(z));
    return mean(add(sub(reluZ, mul(z, yTrue)), log(add(exp(negAbsZ), 1))));
  }
  const p = clip(yPred, EPSILON, 1 - EPSILON);
  const one = (x: Tensor): Tensor => sub(neg(x), -1); // 1 - x
  return neg(mean(add(mul(yTrue, log(p)), mul(one(yTrue), log(one(p))))));
}

/**
 * Categorical crossentropy with one-hot (or soft) targets: -sum_c y_c log p_c per sample, averaged.
 * From logits (or from a softmax output, traced back to its logits) it uses log_softmax, so logits
 * [1000, 0, -1000] with target class 1 give exactly 1000 and the gradient softmax - y.
 * From other probabilities: p / sum(p), clipped to [1e-7, 1 - 1e-7] (Keras).
 * Shapes: [batch, classes], [batch, classes] -> scalar.
 */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  checkOptionKeys('categoricalCrossentropy', options, CROSSENTROPY_OPTION_KEYS);
  checkSameShape('categorical_crossentropy', yTrue, yPred);
  const logits = (options.fromLogits ?? false) ? yPred : logitsOf(yPred);
  if (logits !== undefined) return neg(mean(sum(mul(yTrue, logSoftmax(logits)), -1)));
  const p = clip(div(yPred, sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
  return neg(mean(sum(mul(yTrue, log(p)), -1)));
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
 * `categoricalCrossentropy`. Shapes: [batch] (or [batch, 1]) labels, [batch, classes] -> scalar.
 * @throws ValueError for a label that is not an integer in [0, classes).
 */
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  checkOptionKeys('sparseCategoricalCrossentropy', options, CROSSENTROPY_OPTION_KEYS);
  const classes = yPred.shape[yPred.rank - 1];
  const batch = yPred.size / Math.max(classes, 1);
  if (yTrue.size !== batch) {
    throw new ShapeError(`sparse_categorical_crossentropy: ${yTrue.size} labels ${formatShape(yTrue.shape)} for ${batch} predictions ${formatShape(yPred.shape)}; expected one integer label per sample.`);
  }
  return categoricalCrossentropy(sparseToOneHot(yTrue, classes, yPred.dtype), yPred, options);
}
