/**
 * What every loss does around its formula, as Keras 3's `Loss.__call__` and `LossFunctionWrapper`:
 * targets and predictions brought to the same rank (`sameRank`: targets [n] against predictions
 * [n, 1] become [n, 1]), the formula gives one value per sample (the mean or sum over the last
 * axis), and the values are reduced with the default 'sum_over_batch_size' reduction:
 *
 *   loss = sum_i(values_i * sampleWeight_i) / size(values)
 *
 * Note the divisor: the number of values (the batch size), NOT the sum of the weights (that is
 * Keras's 'mean_with_sample_weight' reduction, not the default). So weights [1, 0] halve the loss
 * of a two-sample batch instead of picking the first sample's loss, and the loss of a batch scales
 * with the weights, as in Keras.
 *
 * Reference: Keras 3 keras/src/losses/loss.py (`squeeze_or_expand_to_same_rank`, `reduce_values`,
 * `reduce_weighted_values`) and keras/src/losses/losses.py (`LossFunctionWrapper.call`).
 */
import { ShapeError } from '../core/errors.js';
import { formatShape, shapesEqual } from '../core/shape.js';
import { allocate } from '../core/dtype.js';
import { Tensor } from '../core/tensor.js';
import { reshape, sum } from '../autodiff/primitives.js';
import { div, mul } from '../ops/arithmetic.js';
import { mean } from '../ops/reductions.js';

/**
 * Keras's `squeeze_or_expand_to_same_rank(y_true, y_pred)`: when the ranks differ by one and the
 * longer one ends in 1, the shorter one gains a trailing 1 if it is rank 1 (targets [n] against
 * predictions [n, 1] -> [n, 1]), else the longer one loses it. Otherwise unchanged.
 */
export function sameRank(yTrue: Tensor, yPred: Tensor): [Tensor, Tensor] {
  const rt = yTrue.rank;
  const rp = yPred.rank;
  if (rt === rp + 1 && yTrue.shape[rt - 1] === 1) {
    return rp === 1 ? [yTrue, reshape(yPred, [...yPred.shape, 1])] : [reshape(yTrue, yTrue.shape.slice(0, -1)), yPred];
  }
  if (rp === rt + 1 && yPred.shape[rp - 1] === 1) {
    return rt === 1 ? [reshape(yTrue, [...yTrue.shape, 1]), yPred] : [yTrue, reshape(yPred, yPred.shape.slice(0, -1))];
  }
  return [yTrue, yPred];
}

/**
 * Checks that targets and predictions (after `sameRank`) have the same shape.
 * @throws ShapeError naming both shapes, with `hint` as the fix.
 */
export function checkSameShape(name: string, yTrue: Tensor, yPred: Tensor, hint = ''): void {
  if (!shapesEqual(yTrue.shape, yPred.shape)) {
    throw new ShapeError(`${name}: targets ${formatShape(yTrue.shape)} and predictions ${formatShape(yPred.shape)} must have the same shape.${hint === '' ? '' : ` ${hint}`}`);
  }
}

/**
 * Keras's 'sum_over_batch_size' reduction of per-sample loss values: sum(values * w) / size(values),
 * or the mean when no weights are given. Shapes: values [batch, ...], sampleWeight [batch] (or
 * [batch, 1], or the shape of values) -> scalar.
 * @throws ShapeError when the weights match neither the batch nor the values.
 */
export function reduceSumOverBatchSize(name: string, values: Tensor, sampleWeight?: Tensor): Tensor {
  if (sampleWeight === undefined) return mean(values);
  const batch = values.rank === 0 ? 1 : values.shape[0];
  let w = sampleWeight;
  if (!shapesEqual(w.shape, values.shape)) {
    if (w.size !== batch || (w.rank > 0 && w.shape[0] !== batch)) {
      throw new ShapeError(`${name}: sample weights of shape ${formatShape(w.shape)} for per-sample losses of shape ${formatShape(values.shape)}; expected one weight per sample ([${batch}]).`);
    }
    w = reshape(w, [batch, ...values.shape.slice(1).map(() => 1)]);
  }
  return div(sum(mul(values, w.dtype === values.dtype ? w : castLike(w, values))), Math.max(values.size, 1));
}

/** `w` (a constant) in the dtype of `like` (sample weights may come as float32 for float64 predictions). */
function castLike(w: Tensor, like: Tensor): Tensor {
  const d = allocate(like.dtype, w.size);
  d.set(w.data);
  return new Tensor(d, w.shape);
}
