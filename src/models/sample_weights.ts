/**
 * Per-sample loss weights for `fit` and `evaluate`, as Keras 3 builds them:
 *
 * - `sampleWeight`: one finite number per sample ([n] or [n, 1]).
 * - `classWeight` (fit only, as in Keras): `{ [classIndex]: weight }`; each sample's weight is the
 *   weight of its class, 1 for a class not listed. The class of a sample is its label for integer
 *   labels ([n] or [n, 1], rounded), the argmax for one-hot targets ([n, classes]).
 * - Both at once is an error (Keras: "You cannot `class_weight` and `sample_weight` at the same time").
 *
 * The loss is then Keras's 'sum_over_batch_size' reduction: sum(loss_i * w_i) / batch size (see
 * losses/reduction.ts). Metrics (accuracy) are not weighted, as Keras's `metrics` (only its
 * `weighted_metrics` are).
 *
 * Reference: Keras 3 keras/src/trainers/data_adapters/data_adapter_utils.py
 * (`class_weight_to_sample_weights`) and array_data_adapter.py.
 */
import { ShapeError, ValueError } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { type TensorLike, toTensor } from '../core/tensor_like.js';
import { checkFiniteData } from './check_finite.js';

/** Keras's class_weight: class index -> weight (keys as numbers or numeric strings, as JSON gives them). */
export type ClassWeight = Readonly<Record<number | string, number>>;

/**
 * Converts and checks per-sample weights for `n` samples.
 * @returns a [n] tensor, or undefined when none were given.
 * @throws ShapeError unless one weight per sample; DataError for a non-finite weight; ValueError for data of another kind.
 */
export function toSampleWeights(owner: string, sampleWeight: TensorLike | undefined, n: number): Tensor | undefined {
  if (sampleWeight === undefined) return undefined;
  const w = toTensor(owner, 'sampleWeight', sampleWeight);
  if (w.size !== n || (w.rank > 0 && w.shape[0] !== n) || w.rank > 2) {
    throw new ShapeError(`${owner}: sampleWeight of shape ${formatShape(w.shape)} for ${n} samples; expected one weight per sample ([${n}]).`);
  }
  checkFiniteData(owner, 'sampleWeight', w);
  return w.rank === 1 ? w : new Tensor(w.data, [n]);
}

/**
 * Keras's `class_weight_to_sample_weights`: the weight of each sample's class (1 for a class not in
 * `classWeight`). Shapes: y [n] or [n, 1] integer labels, or [n, classes] one-hot -> [n].
 * @throws ValueError for a classWeight that is not an object of integer keys and finite weights.
 */
export function classWeightToSampleWeights(owner: string, classWeight: ClassWeight, y: Tensor): Tensor {
  if (typeof classWeight !== 'object' || classWeight === null || Array.isArray(classWeight)) {
    throw new ValueError(`${owner}: classWeight must be an object mapping class indices to weights ({ 0: 1, 1: 5 }), received ${Array.isArray(classWeight) ? 'an array' : String(classWeight)}.`);
  }
  const table = new Map<number, number>();
  for (const [key, value] of Object.entries(classWeight)) {
    const c = Number(key);
    if (key.trim() === '' || !Number.isInteger(c)) {
      throw new ValueError(`${owner}: classWeight must have integer class indices as keys, received the key '${key}'.`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ValueError(`${owner}: classWeight[${key}] must be a finite number, received ${String(value)}.`);
    }
    table.set(c, value);
  }
  const n = y.rank === 0 ? 1 : y.shape[0];
  const classes = y.rank > 1 ? y.size / n : 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let label: number;
    if (classes === 1) {
      label = Math.round(y.data[i]);
    } else {
      label = 0;
      for (let c = 1; c < classes; c++) if (y.data[i * classes + c] > y.data[i * classes + label]) label = c;
    }
    out[i] = table.get(label) ?? 1;
  }
  return new Tensor(out, [n]);
}

/**
 * The weights of a fit: from sampleWeight or classWeight (not both).
 * @throws ValueError when both are given, besides the errors of the two converters.
 */
export function fitSampleWeights(owner: string, y: Tensor, sampleWeight: TensorLike | undefined, classWeight: ClassWeight | undefined): Tensor | undefined {
  if (sampleWeight !== undefined && classWeight !== undefined) {
    throw new ValueError(`${owner}: pass sampleWeight or classWeight, not both (Keras: "You cannot class_weight and sample_weight at the same time"). Multiply the class weights into the sample weights instead.`);
  }
  if (classWeight !== undefined) return classWeightToSampleWeights(owner, classWeight, y);
  return toSampleWeights(owner, sampleWeight, y.rank === 0 ? 1 : y.shape[0]);
}
