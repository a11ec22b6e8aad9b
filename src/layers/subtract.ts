/**
 * Subtract: the difference of exactly two inputs, elementwise: y = x_1 - x_2 (dy/dx_1 = 1, dy/dx_2 = -1;
 * a broadcast input gets its gradient summed over the broadcast axes).
 *
 * Shapes: a list of exactly 2 tensors of one shape [batch, ...dims] (sizes 1 broadcast, as Keras) -> [batch, ...dims].
 * Throws ValueError when called on one tensor or on a list of other than 2, ShapeError for shapes that
 * do not merge (see `Merge`).
 * Reference: Keras 3 keras/src/layers/merging/subtract.py ("should be called on exactly 2 inputs");
 * TF.js `tf.layers.subtract`.
 * @example new Subtract().apply([tensor([[3, 5]]), tensor([[1, 2]])]) // [[2, 3]]
 */
import { ValueError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { sub } from '../ops/arithmetic.js';
import { type LayerOptions, type SymbolicShape, formatSymbolic } from './layer.js';
import { Merge } from './merge.js';

export class Subtract extends Merge {
  static override readonly className = 'Subtract';

  /** @throws ValueError for an unknown option key (with the nearest valid one). */
  constructor(options: LayerOptions = {}) {
    super(options);
  }

  /** `new Subtract(config)`. */
  static fromConfig(config: Record<string, unknown>): Subtract {
    return new Subtract(config as LayerOptions);
  }

  protected merge(xs: readonly Tensor[]): Tensor {
    return sub(xs[0], xs[1]);
  }

  /** @throws ValueError for a list of other than 2 shapes; ShapeError as `Merge`. */
  mergeShape(shapes: readonly SymbolicShape[]): SymbolicShape {
    if (shapes.length !== 2) {
      throw new ValueError(`Subtract "${this.name}" should be called on exactly 2 inputs (x_1 - x_2), received ${shapes.length}: ${shapes.map(formatSymbolic).join(', ')}. Subtract two tensors, or Add the negated ones.`);
    }
    return this.elementwiseShape(shapes);
  }
}
