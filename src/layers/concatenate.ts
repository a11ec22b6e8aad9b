/**
 * Concatenate: joins the inputs along one axis: y = [x_1, ..., x_n] along `axis` (the gradient of each
 * input is its slice of the output's gradient).
 *
 * Shapes: a list of at least 2 tensors that agree except on `axis` -> the axis sizes added up,
 * e.g. [batch, 3] and [batch, 5] -> [batch, 8] with axis -1.
 * Options: `axis`, an integer (negative counts from the end; default -1, the features); not the batch axis 0.
 * Throws ValueError when called on one tensor or for axis 0 / an axis beyond the rank; ShapeError for
 * shapes that differ outside the axis.
 * Reference: Keras 3 keras/src/layers/merging/concatenate.py; TF.js `tf.layers.concatenate`.
 * @example new Concatenate().apply([tensor([[1, 2]]), tensor([[3]])]) // [[1, 2, 3]]
 */
import { ShapeError, ValueError, keysOf } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { concat } from '../autodiff/primitives.js';
import { LAYER_OPTION_KEYS, type LayerOptions, type SymbolicShape, formatSymbolic } from './layer.js';
import { Merge } from './merge.js';

export interface ConcatenateOptions extends LayerOptions {
  /** The axis to join along; default -1. */
  axis?: number;
}

export class Concatenate extends Merge {
  static override readonly className = 'Concatenate';
  static override readonly optionKeys: readonly string[] = [...LAYER_OPTION_KEYS, ...keysOf<Omit<ConcatenateOptions, keyof LayerOptions>>({ axis: true })];
  readonly axis: number;

  /** @throws ValueError for an unknown option key or an axis that is not an integer. */
  constructor(options: ConcatenateOptions = {}) {
    const { axis, ...rest } = options;
    super(rest);
    this.axis = axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new ValueError(`Concatenate: axis must be an integer, received ${String(axis)}.`);
  }

  /** `new Concatenate(config)`. */
  static fromConfig(config: Record<string, unknown>): Concatenate {
    return new Concatenate(config as ConcatenateOptions);
  }

  /** The axis as a non-negative index for a rank. @throws ValueError for the batch axis or one beyond the rank. */
  private resolveAxis(rank: number): number {
    const ax = this.axis < 0 ? rank + this.axis : this.axis;
    if (ax <= 0 || ax >= rank) {
      throw new ValueError(`Concatenate "${this.name}": axis ${this.axis} is ${ax === 0 ? 'the batch axis' : `outside inputs of rank ${rank}`}; expected an axis in 1..${rank - 1} (or -1 for the last).`);
    }
    return ax;
  }

  protected merge(xs: readonly Tensor[]): Tensor {
    return concat(xs, this.resolveAxis(xs[0].rank));
  }

  mergeShape(shapes: readonly SymbolicShape[]): SymbolicShape {
    const rank = shapes[0].length;
    const sameRank = shapes.every((s) => s.length === rank);
    const ax = sameRank ? this.resolveAxis(rank) : -1;
    const mismatch = !sameRank || shapes.some((s) => s.some((d, k) => k !== ax && k !== 0 && d !== shapes[0][k]));
    if (mismatch) {
      throw new ShapeError(`Concatenate "${this.name}": inputs of shapes ${shapes.map(formatSymbolic).join(', ')} must agree except on the concatenation axis ${this.axis}. Check the branches' shapes.`);
    }
    const out = [...shapes[0]];
    out[ax] = shapes.some((s) => s[ax] === null) ? null : shapes.reduce((p, s) => p + (s[ax] as number), 0);
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
