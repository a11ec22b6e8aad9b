/**
 * Multiply: the product of the inputs, elementwise: y = x_1 * ... * x_n (dy/dx_i = the product of the other inputs).
 *
 * Shapes: a list of at least 2 tensors of one shape [batch, ...dims] (sizes 1 broadcast, as Keras) -> [batch, ...dims].
 * Throws ValueError when called on one tensor, ShapeError for shapes that do not merge (see `Merge`).
 * Reference: Keras 3 keras/src/layers/merging/multiply.py; TF.js `tf.layers.multiply`.
 * @example new Multiply().apply([tensor([[1, 2]]), tensor([[3, 5]])]) // [[3, 10]]
 */
import type { Tensor } from '../core/tensor.js';
import { mul } from '../ops/arithmetic.js';
import type { LayerOptions, SymbolicShape } from './layer.js';
import { Merge } from './merge.js';

export class Multiply extends Merge {
  static override readonly className = 'Multiply';

  /** @throws ValueError for an unknown option key (with the nearest valid one). */
  constructor(options: LayerOptions = {}) {
    super(options);
  }

  /** `new Multiply(config)`. */
  static fromConfig(config: Record<string, unknown>): Multiply {
    return new Multiply(config as LayerOptions);
  }

  protected merge(xs: readonly Tensor[]): Tensor {
    return xs.slice(1).reduce((acc, t) => mul(acc, t), xs[0]);
  }

  mergeShape(shapes: readonly SymbolicShape[]): SymbolicShape {
    return this.elementwiseShape(shapes);
  }
}
