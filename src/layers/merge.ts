/**
 * Merge: the base of the layers that combine a list of tensors into one (Add, Subtract, Multiply,
 * Average, Maximum, Minimum, Concatenate). Called on a list, never on one tensor: `new Add().apply([a, b])`.
 *
 * The elementwise merges follow Keras's shape rule: all inputs have the same rank and, dimension by
 * dimension, equal sizes, or size 1 (broadcast), or an unknown size (the batch dimension).
 *
 * Shapes: list of [batch, ...dims] -> [batch, ...dims] (Concatenate: the axis sizes add up).
 * Reference: Keras 3 keras/src/layers/merging/base_merge.py (`_compute_elemwise_op_output_shape`).
 */
import { ShapeError, ValueError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { type CallOptions, Layer, type SymbolicShape, formatSymbolic } from './layer.js';

/**
 * How to fix inputs that differ at `axis` (of `rank`), for the merge error: the last axis is a Dense
 * layer's units or a convolution's channels (filters), matched as a residual network matches its
 * shortcut, by a projection (Dense(n), or a 1x1 Conv with n filters; He et al. 2016, arXiv:1512.03385);
 * another axis is a spatial size (strides or padding differ).
 */
function mismatchFix(rank: number, axis: number, size: number): string {
  if (axis === rank - 1) {
    if (rank === 2) return `Give the branches the same number of units, e.g. a Dense(${size}) projection on the shorter branch (the shortcut).`;
    const conv = rank === 3 ? `Conv1D(${size}, 1)` : rank === 4 ? `Conv2D(${size}, 1)` : `1x1 convolution with ${size} filters`;
    return `The channels differ: give the branches the same number of filters, e.g. a 1x1 projection ${conv} on the shortcut, as a residual network does when a block changes the width.`;
  }
  if (axis === 0) return 'The batch sizes differ: feed the branches the same samples.';
  return 'The spatial sizes differ: give the branches the same strides and padding, or downsample the shortcut with the same stride (a 1x1 convolution with strides, as a residual network does).';
}

export abstract class Merge extends Layer {
  /** The merge of the inputs' values (their shapes already checked by `mergeShape`). */
  protected abstract merge(xs: readonly Tensor[]): Tensor;

  /**
   * The output shape for the inputs' shapes (batch dimension null).
   * @throws ShapeError when the shapes cannot be merged, naming them.
   */
  abstract mergeShape(shapes: readonly SymbolicShape[]): SymbolicShape;

  /** @throws ValueError: a merge layer takes a list (`apply([a, b])`). */
  call(_x: Tensor, _options: CallOptions = {}): Tensor {
    throw this.notAList(1, false);
  }

  /** @throws ValueError: a merge layer's output shape depends on a list of shapes (`mergeShape`). */
  computeOutputShape(_inputShape: SymbolicShape): SymbolicShape {
    throw this.notAList(1, false);
  }

  protected override buildInputs(shapes: readonly SymbolicShape[], isList: boolean): void {
    this.checkList(shapes.length, isList);
    this.mergeShape(shapes);
    this.built = true;
  }

  protected override callInputs(xs: readonly Tensor[], isList: boolean, _options: CallOptions): Tensor {
    this.checkList(xs.length, isList);
    this.mergeShape(xs.map((t) => t.shape));
    return this.merge(xs);
  }

  protected override outputShapeOfInputs(shapes: readonly SymbolicShape[], isList: boolean): SymbolicShape {
    this.checkList(shapes.length, isList);
    return this.mergeShape(shapes);
  }

  private checkList(count: number, isList: boolean): void {
    if (!isList || count < 2) throw this.notAList(count, isList);
  }

  private notAList(count: number, isList: boolean): ValueError {
    return new ValueError(`${this.className} "${this.name}" merges a list of at least 2 tensors, received ${isList ? `a list of ${count}` : 'one tensor'}; call it as layer.apply([a, b]).`);
  }

  /**
   * Keras's elementwise shape rule over all inputs.
   * @throws ShapeError for different ranks or sizes that are neither equal nor 1.
   */
  protected elementwiseShape(shapes: readonly SymbolicShape[]): SymbolicShape {
    const rank = shapes[0].length;
    if (shapes.some((s) => s.length !== rank)) {
      throw new ShapeError(`${this.className} "${this.name}": inputs of shapes ${shapes.map(formatSymbolic).join(', ')} have different ranks; expected the same rank. Reshape or Flatten one of them first.`);
    }
    const out: (number | null)[] = [];
    for (let k = 0; k < rank; k++) {
      const known = shapes.map((s) => s[k]).filter((d): d is number => d !== null && d !== 1);
      const size = known[0] ?? (shapes.every((s) => s[k] === 1) ? 1 : null);
      if (known.some((d) => d !== size)) {
        throw new ShapeError(`${this.className} "${this.name}": inputs of shapes ${shapes.map(formatSymbolic).join(', ')} differ at axis ${k} (${shapes.map((s) => String(s[k] ?? 'None')).join(' vs ')}); expected equal sizes (or 1, broadcast). ${mismatchFix(rank, k, Math.max(...known))}`);
      }
      out.push(shapes.some((s) => s[k] === null) && known.length === 0 ? null : size);
    }
    return out;
  }
}
