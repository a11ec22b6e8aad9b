/**
 * Average: the mean of the inputs, elementwise: y = (x_1 + ... + x_n) / n (dy/dx_i = 1/n).
 *
 * Shapes: a list of at least 2 tensors of one shape [batch, ...dims] (sizes 1 broadcast, as Keras) -> [batch, ...dims].
 * Throws ValueError when called on one tensor, ShapeError for shapes that do not merge (see `Merge`).
 * Reference: Keras 3 keras/src/layers/merging/average.py; TF.js `tf.layers.average`.
 * @example new Average().apply([tensor([[1, 2]]), tensor([[3, 5]])]) // [[2, 3.5]]
 */
import type { Tensor } from '../core/tensor.js';
import { add, mul } from '../ops/arithmetic.js';
import type { LayerOptions, SymbolicShape } from './layer.js';
import { Merge } from './merge.js';

export class Average extends Merge {
  static override readonly className = 'Average';

  /** @throws ValueError for an unknown option key (with the nearest valid one). */
  constructor(options: LayerOptions = {}) {
    super(options);
  }

  /** `new Average(config)`. */
  static fromConfig(config: Record<string, unknown>): Average {
    return new Average(config as LayerOptions);
  }

  protected merge(xs: readonly Tensor[]): Tensor {
    return mul(xs.slice(1).reduce((acc, t) => add(acc, t), xs[0]), 1 / xs.length);
  }

  mergeShape(shapes: readonly SymbolicShape[]): SymbolicShape {
    return this.elementwiseShape(shapes);
  }
}
