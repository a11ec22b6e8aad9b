/**
 * Tensor: an immutable value with a shape, a dtype and contiguous row-major data in a typed array.
 * Variable: a named, trainable Tensor whose data optimizers update in place.
 *
 * A tensor produced by a differentiable operation on inputs that require gradients carries the
 * node that made it (`node`), which `autodiff/` walks backward. Memory is garbage-collected:
 * there is no dispose() or tidy().
 */
import { type DType, type TypedArray, allocate, dtypeOf } from './dtype.js';
import { ShapeError, ValueError } from './errors.js';
import { type Shape, checkShape, formatShape, sizeOf } from './shape.js';
import { gatherData, resolveReshape, resolveRows, resolveSlice, sliceData } from './indexing.js';

/** What autodiff records on a tensor: the inputs it came from (the rest is autodiff's business). */
export interface GradNode {
  readonly inputs: readonly Tensor[];
}

export class Tensor {
  readonly shape: Shape;
  readonly dtype: DType;
  /** Row-major elements; length equals the product of `shape`. */
  data: TypedArray;
  /** True when gradients flow to or through this tensor. */
  requiresGrad: boolean;
  /** The operation that produced this tensor, when it was recorded for backpropagation. */
  node: GradNode | null = null;

  constructor(data: TypedArray, shape: Shape, requiresGrad = false) {
    if (data.length !== sizeOf(shape)) {
      throw new ShapeError(`Tensor data has ${data.length} elements but shape ${formatShape(shape)} needs ${sizeOf(shape)}.`);
    }
    this.data = data;
    this.shape = shape;
    this.dtype = dtypeOf(data);
    this.requiresGrad = requiresGrad;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Rank (number of dimensions). */
  get rank(): number {
    return this.shape.length;
  }

  /** The elements as a plain nested array (for printing and tests). */
  toArray(): unknown {
    const build = (offset: number, dim: number): unknown => {
      if (dim === this.shape.length) return this.data[offset];
      const stride = sizeOf(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim] }, (_, i) => build(offset + i * stride, dim + 1));
    };
    return build(0, 0);
  }

  /** The value of a tensor of one element. */
  item(): number {
    if (this.data.length !== 1) throw new ShapeError(`item() needs a tensor of one element, got shape ${formatShape(this.shape)}.`);
    return this.data[0];
  }

  toString(): string {
    return `Tensor(shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
  }

  /**
   * The same data under another shape (`tf.reshape`); one dimension may be -1, inferred from the others.
   * Shares the data (no copy) and records no gradient: for data preparation; inside a model use `ops.reshape`.
   * @throws ShapeError when the sizes differ or more than one dimension is -1.
   * @example tensor([1, 2, 3, 4, 5, 6]).reshape([-1, 2]).shape // [3, 2]
   */
  reshape(shape: Shape): Tensor {
    return new Tensor(this.data, resolveReshape(this.shape, shape));
  }

  /**
   * A copy of the block starting at `begin` with `size` elements per dimension (`tf.slice`):
   * `begin` and `size` are one number (the first dimension) or one per leading dimension; size -1
   * (or omitted) runs to the end; a negative begin counts from the end (`x.slice(-5000)` is the last
   * 5,000 rows). Records no gradient (inside a model use `ops.slice`).
   * @throws ShapeError for a begin or size outside the shape, naming the dimension.
   * @example tensor([[1, 2, 3], [4, 5, 6]]).slice([0, 1], [-1, 2]).toArray() // [[2, 3], [5, 6]]
   */
  slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor {
    const r = resolveSlice(this.shape, begin, size);
    return new Tensor(sliceData(this.data, this.shape, r.begin, r.size), r.size);
  }

  /**
   * A copy of the entries `indices` along `axis` (default 0), as `tf.gather`: `x.gather([3, 0])` is
   * rows 3 and 0. Records no gradient.
   * @throws ValueError for an axis outside the rank or an index out of range, naming its position.
   * @example tensor([[1, 2], [3, 4], [5, 6]]).gather([2, 0]).toArray() // [[5, 6], [1, 2]]
   */
  gather(indices: ArrayLike<number> | Tensor, axis = 0): Tensor {
    const r = gatherData(this.data, this.shape, indices instanceof Tensor ? indices.data : indices, axis);
    return new Tensor(r.data, r.shape);
  }

  /**
   * Rows [start, end) along the first dimension, with Python's negative indices: the book's
   * `X_train[:-5000]` is `x.rows(0, -5000)` and `X_train[-5000:]` is `x.rows(-5000)`. Shares the
   * data (a view, no copy); records no gradient.
   * @throws ValueError for a bound outside [-n, n] or end before start; ShapeError for a scalar.
   * @example tensor([[1], [2], [3], [4]]).rows(0, -1).shape // [3, 1]
   */
  rows(start: number, end?: number): Tensor {
    if (this.rank === 0) throw new ShapeError('rows: a scalar tensor has no rows; rows() slices the first dimension.');
    const [s, e] = resolveRows(this.shape[0], start, end);
    const rowSize = sizeOf(this.shape.slice(1));
    return new Tensor(this.data.subarray(s * rowSize, e * rowSize), [e - s, ...this.shape.slice(1)]);
  }
}

/**
 * A trainable weight, named `<layer>/<weight>` (`dense_1/kernel`). Optimizers update `data` in place;
 * `trainable = false` freezes it.
 */
export class Variable extends Tensor {
  readonly name: string;

  constructor(data: TypedArray, shape: Shape, name: string, trainable = true) {
    super(data, shape, trainable);
    this.name = name;
  }

  /** Whether optimizers update this weight (and gradients are computed for it). */
  get trainable(): boolean {
    return this.requiresGrad;
  }

  set trainable(value: boolean) {
    this.requiresGrad = value;
  }

  /** Replaces the values (same shape), e.g. when loading weights. */
  assign(values: Tensor | TypedArray | readonly number[]): void {
    const src = values instanceof Tensor ? values.data : values;
    if (src.length !== this.data.length) {
      throw new ShapeError(`Cannot assign ${src.length} values to variable "${this.name}" of shape ${formatShape(this.shape)} (${this.data.length} values).`);
    }
    this.data.set(src);
  }
}

/** Nested arrays of numbers, as accepted by `tensor()`. */
export type NestedArray = number | readonly NestedArray[];

function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = (v as readonly NestedArray[])[0];
  }
  return shape;
}

/**
 * Flattens nested arrays, checking that every sub-array at depth d has length shape[d] and that
 * the leaves are numbers exactly at depth shape.length (iterative: deep nesting cannot overflow).
 * @throws ShapeError naming the path of the first ragged element.
 */
function flattenChecked(values: readonly NestedArray[], shape: readonly number[]): number[] {
  const flat: number[] = [];
  const stack: { v: NestedArray; depth: number; path: string }[] = [{ v: values, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (depth === shape.length) {
      if (typeof v !== 'number') throw new ShapeError(`tensor(): ragged nested arrays: element ${path} is ${Array.isArray(v) ? 'an array' : typeof v} where a number was expected (inferred shape ${formatShape(shape)}).`);
      flat.push(v);
      continue;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new ShapeError(`tensor(): ragged nested arrays: element ${path || '[]'} has ${Array.isArray(v) ? `length ${v.length}` : `a ${typeof v}`} where length ${shape[depth]} was expected (inferred shape ${formatShape(shape)}).`);
    }
    for (let i = v.length - 1; i >= 0; i--) stack.push({ v: (v as readonly NestedArray[])[i], depth: depth + 1, path: `${path}[${i}]` });
  }
  return flat;
}

/**
 * Makes a Tensor from a number, a nested array or a typed array (as `tf.tensor` does).
 *
 * @param values - the elements; nested arrays must be rectangular.
 * @param shape - the shape; inferred from nested arrays when omitted; a flat array without a shape is 1-D.
 * @param dtype - 'float32' (default) or 'float64'.
 * @throws ShapeError when the number of values does not match the shape or the nesting is ragged.
 * @example tensor([[1, 2], [3, 4]]).shape // [2, 2]
 */
export function tensor(values: NestedArray | ArrayLike<number>, shape?: Shape, dtype: DType = 'float32'): Tensor {
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new ValueError(`Invalid dtype: received ${String(dtype)}; expected 'float32' or 'float64'.`);
  }
  let flat: ArrayLike<number>;
  let inferred: number[];
  if (typeof values === 'number') {
    flat = [values];
    inferred = [];
  } else if (Array.isArray(values)) {
    inferred = inferShape(values as NestedArray);
    flat = flattenChecked(values as readonly NestedArray[], inferred);
  } else {
    flat = values as ArrayLike<number>;
    inferred = [flat.length];
  }
  const finalShape = shape ?? inferred;
  checkShape(finalShape);
  if (flat.length !== sizeOf(finalShape)) {
    throw new ShapeError(`tensor(): ${flat.length} values do not fill shape ${formatShape(finalShape)} (${sizeOf(finalShape)} elements).`);
  }
  const data = allocate(dtype, flat.length);
  data.set(flat);
  return new Tensor(data, [...finalShape]);
}

/** A tensor of zeros. */
export function zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
  checkShape(shape);
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new ValueError(`Invalid dtype: received ${String(dtype)}; expected 'float32' or 'float64'.`);
  }
  return new Tensor(allocate(dtype, sizeOf(shape)), [...shape]);
}

/** A tensor filled with `value`. */
export function fill(shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
  const t = zeros(shape, dtype);
  t.data.fill(value);
  return t;
}
