/**
 * Minimum: the smallest of the inputs, elementwise: y = min(...min(min(x_1, x_2), x_3)..., x_n).
 * The gradient goes to the input that holds the minimum; on a tie, to the earliest input in the list
 * (TF's rule for `tf.minimum`: x gets dy where x <= y, so the running minimum keeps it; TF.js the same).
 *
 * Shapes: a list of at least 2 tensors of one shape [batch, ...dims] (sizes 1 broadcast, as Keras) -> [batch, ...dims].
 * Throws ValueError when called on one tensor, ShapeError for shapes that do not merge (see `Merge`).
 * Reference: Keras 3 keras/src/layers/merging/minimum.py; TF `_MinimumGrad` (math_grad.py);
 * TF.js `tf.layers.minimum`.
 * @example new Minimum().apply([tensor([[1, 5]]), tensor([[3, 2]])]) // [[1, 2]]
 */
import type { Tensor } from '../core/tensor.js';
import { minimum } from '../ops/arithmetic.js';
import type { LayerOptions, SymbolicShape } from './layer.js';
import { Merge } from './merge.js';

export class Minimum extends Merge {
  static override readonly className = 'Minimum';

  /** @throws ValueError for an unknown option key (with the nearest valid one). */
  constructor(options: LayerOptions = {}) {
    super(options);
  }

  /** `new Minimum(config)`. */
  static fromConfig(config: Record<string, unknown>): Minimum {
    return new Minimum(config as LayerOptions);
  }

  protected merge(xs: readonly Tensor[]): Tensor {
    return xs.slice(1).reduce((acc, t) => minimum(acc, t), xs[0]);
  }

  mergeShape(shapes: readonly SymbolicShape[]): SymbolicShape {
    return this.elementwiseShape(shapes);
  }
}
