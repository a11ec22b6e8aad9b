/**
 * Maximum: the largest of the inputs, elementwise: y = max(...max(max(x_1, x_2), x_3)..., x_n).
 * The gradient goes to the input that holds the maximum; on a tie, to the earliest input in the list
 * (TF's rule for `tf.maximum`: x gets dy where x >= y, so the running maximum keeps it; TF.js the same).
 *
 * Shapes: a list of at least 2 tensors of one shape [batch, ...dims] (sizes 1 broadcast, as Keras) -> [batch, ...dims].
 * Throws ValueError when called on one tensor, ShapeError for shapes that do not merge (see `Merge`).
 * Reference: Keras 3 keras/src/layers/merging/maximum.py; TF `_MaximumGrad` (math_grad.py);
 * TF.js `tf.layers.maximum`.
 * @example new Maximum().apply([tensor([[1, 5]]), tensor([[3, 2]])]) // [[3, 5]]
 */
import type { Tensor } from '../core/tensor.js';
import { maximum } from '../ops/arithmetic.js';
import type { LayerOptions, SymbolicShape } from './layer.js';
import { Merge } from './merge.js';

export class Maximum extends Merge {
  static override readonly className = 'Maximum';

  /** @throws ValueError for an unknown option key (with the nearest valid one). */
  constructor(options: LayerOptions = {}) {
    super(options);
  }

  /** `new Maximum(config)`. */
  static fromConfig(config: Record<string, unknown>): Maximum {
    return new Maximum(config as LayerOptions);
  }

  protected merge(xs: readonly Tensor[]): Tensor {
    return xs.slice(1).reduce((acc, t) => maximum(acc, t), xs[0]);
  }

  mergeShape(shapes: readonly SymbolicShape[]): SymbolicShape {
    return this.elementwiseShape(shapes);
  }
}
