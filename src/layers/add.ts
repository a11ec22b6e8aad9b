/**
 * Add: the sum of the inputs, elementwise: y = x_1 + ... + x_n (dy/dx_i = 1; a broadcast input gets its gradient summed over the broadcast axes).
 *
 * Shapes: a list of at least 2 tensors of one shape [batch, ...dims] (sizes 1 broadcast, as Keras) -> [batch, ...dims].
 * Throws ValueError when called on one tensor, ShapeError for shapes that do not merge (see `Merge`).
 * Reference: Keras 3 keras/src/layers/merging/add.py; TF.js `tf.layers.add`.
 * @example new Add().apply([tensor([[1, 2]]), tensor([[3, 5]])]) // [[4, 7]]
 */
import type { Tensor } from '../core/tensor.js';
import { add } from '../ops/arithmetic.js';
import type { LayerOptions, SymbolicShape } from './layer.js';
import { Merge } from './merge.js';

export class Add extends Merge {
  static override readonly className = 'Add';

  /** @throws ValueError for an unknown option key (with the nearest valid one). */
  constructor(options: LayerOptions = {}) {
    super(options);
  }

  /** `new Add(config)`. */
  static fromConfig(config: Record<string, unknown>): Add {
    return new Add(config as LayerOptions);
  }

  protected merge(xs: readonly Tensor[]): Tensor {
    return xs.slice(1).reduce((acc, t) => add(acc, t), xs[0]);
  }

  mergeShape(shapes: readonly SymbolicShape[]): SymbolicShape {
    return this.elementwiseShape(shapes);
  }
}
