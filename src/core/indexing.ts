/**
 * Indexing of tensor data without autodiff: the work behind `Tensor.slice`, `gather`, `reshape` and
 * `rows`, on typed arrays and shapes. They copy (slice, gather) or reinterpret (reshape, rows) data;
 * inside a model use `ops.slice` / `ops.reshape`, which record gradients.
 *
 * Reference: TensorFlow.js `tf.slice`, `tf.gather`, `tf.reshape` (begin/size, -1 = "the rest");
 * Python/NumPy slices for `rows` (negative indices count from the end).
 */
import { type TypedArray, allocate, dtypeOf } from './dtype.js';
import { ShapeError, ValueError } from './errors.js';
import { type Shape, formatShape, sizeOf, stridesOf } from './shape.js';

/**
 * `shape` with its one -1 replaced by what makes the sizes agree (`tf.reshape`).
 * @throws ShapeError for more than one -1, a dimension that is not an integer >= -1, or sizes that differ.
 */
export function resolveReshape(from: Shape, shape: Shape): number[] {
  if (!Array.isArray(shape)) throw new ShapeError(`reshape: expected an array of dimensions (e.g. [-1, 784]), received ${typeof shape}.`);
  const inferred = shape.filter((d) => d === -1).length;
  if (inferred > 1 || shape.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new ShapeError(`reshape: invalid shape ${formatShape(shape)}; each dimension must be an integer >= 0, and at most one may be -1 (inferred).`);
  }
  const size = sizeOf(from);
  const known = sizeOf(shape.filter((d) => d !== -1));
  const out = shape.map((d) => (d === -1 ? (known === 0 ? 0 : size / known) : d));
  if (sizeOf(out) !== size || !out.every(Number.isInteger)) {
    throw new ShapeError(`reshape: cannot reshape shape ${formatShape(from)} (${size} elements) to ${formatShape(shape)}${inferred > 0 ? ` (the other dimensions hold ${known} elements, which does not divide ${size})` : ` (${sizeOf(out)} elements)`}.`);
  }
  return out;
}

/** One integer or one per dimension, as an array of `rank` numbers. */
function perDimension(what: string, value: number | readonly number[], rank: number, fill: number): number[] {
  if (typeof value === 'number') return [value, ...new Array<number>(Math.max(rank - 1, 0)).fill(fill)];
  if (!Array.isArray(value) || value.length > rank) {
    throw new ShapeError(`slice: ${what} must be a number or an array of at most ${rank} numbers (one per dimension), received ${Array.isArray(value) ? formatShape(value) : typeof value}.`);
  }
  return [...value, ...new Array<number>(rank - value.length).fill(fill)];
}

/**
 * Begin and size of a slice, resolved: a negative begin counts from the end (deepwell's extension
 * of `tf.slice`), size -1 (or a missing size) means "to the end of that dimension".
 * @throws ShapeError for a begin or size outside the shape, naming the dimension.
 */
export function resolveSlice(shape: Shape, begin: number | readonly number[], size?: number | readonly number[]): { begin: number[]; size: number[] } {
  const b = perDimension('begin', begin, shape.length, 0);
  const s = perDimension('size', size ?? -1, shape.length, -1);
  const rb = b.map((v, i) => (v < 0 ? shape[i] + v : v));
  const rs = s.map((v, i) => (v === -1 ? shape[i] - rb[i] : v));
  for (let i = 0; i < shape.length; i++) {
    if (!Number.isInteger(b[i]) || rb[i] < 0 || rb[i] > shape[i]) {
      throw new ShapeError(`slice: begin ${b[i]} is outside dimension ${i} of shape ${formatShape(shape)} (valid: ${-shape[i]} to ${shape[i]}; negative counts from the end).`);
    }
    if (!Number.isInteger(s[i]) || rs[i] < 0 || rb[i] + rs[i] > shape[i]) {
      throw new ShapeError(`slice: size ${s[i]} from begin ${rb[i]} runs past dimension ${i} of shape ${formatShape(shape)} (at most ${shape[i] - rb[i]}; -1 means to the end).`);
    }
  }
  return { begin: rb, size: rs };
}

/** Copies the block `begin`..`begin + size` of row-major `data` of `shape` (resolved by `resolveSlice`). */
export function sliceData(data: TypedArray, shape: Shape, begin: readonly number[], size: readonly number[]): TypedArray {
  const out = allocate(dtypeOf(data), sizeOf(size));
  if (out.length === 0) return out;
  const rank = shape.length;
  if (rank === 0) {
    out[0] = data[0];
    return out;
  }
  const strides = stridesOf(shape);
  const run = size[rank - 1];
  const index = new Array<number>(rank - 1).fill(0);
  const outer = out.length / run;
  for (let r = 0; r < outer; r++) {
    let offset = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) offset += (begin[d] + index[d]) * strides[d];
    out.set(data.subarray(offset, offset + run), r * run);
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < size[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

/**
 * Copies the entries `indices` along `axis` (`tf.gather`): the output shape is `shape` with
 * `shape[axis]` replaced by `indices.length`.
 * @throws ValueError for an axis outside the rank or an index that is not an integer in
 *   [0, shape[axis]), naming its position.
 */
export function gatherData(data: TypedArray, shape: Shape, indices: ArrayLike<number>, axis: number): { data: TypedArray; shape: number[] } {
  const rank = shape.length;
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ValueError(`gather: axis ${String(axis)} is outside a tensor of rank ${rank} (shape ${formatShape(shape)}); valid axes are ${-rank} to ${rank - 1}.`);
  }
  const ax = axis < 0 ? axis + rank : axis;
  const dim = shape[ax];
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i];
    if (!Number.isInteger(v) || v < 0 || v >= dim) {
      throw new ValueError(`gather: index ${String(v)} at position ${i} is outside axis ${ax} of shape ${formatShape(shape)}; indices must be integers in [0, ${dim}).`);
    }
  }
  const inner = sizeOf(shape.slice(ax + 1));
  const outerCount = sizeOf(shape.slice(0, ax));
  const outShape = [...shape];
  outShape[ax] = indices.length;
  const out = allocate(dtypeOf(data), sizeOf(outShape));
  for (let o = 0; o < outerCount; o++) {
    for (let i = 0; i < indices.length; i++) {
      const src = (o * dim + indices[i]) * inner;
      out.set(data.subarray(src, src + inner), (o * indices.length + i) * inner);
    }
  }
  return { data: out, shape: outShape };
}

/**
 * The row range [start, end) of `n` rows with Python's negative indices (`x[:-5000]` is
 * `rows(0, -5000)`, `x[-5000:]` is `rows(-5000)`).
 * @throws ValueError for a bound that is not an integer in [-n, n], or end before start.
 */
export function resolveRows(n: number, start: number, end?: number): [number, number] {
  const check = (what: string, v: number): number => {
    if (!Number.isInteger(v) || v < -n || v > n) {
      throw new ValueError(`rows: ${what} ${String(v)} is outside the ${n} rows; expected an integer from ${-n} to ${n} (negative counts from the end, as in Python's x[:-5000]).`);
    }
    return v < 0 ? n + v : v;
  };
  const s = check('start', start);
  const e = end === undefined ? n : check('end', end);
  if (e < s) throw new ValueError(`rows: end ${String(end)} (row ${e}) comes before start ${start} (row ${s}); expected start <= end.`);
  return [s, e];
}
