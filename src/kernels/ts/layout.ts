/** Layout kernels: transpose, slice, concat and oneHot (see `Kernels`). */
import { type TypedArray, allocate, dtypeOf } from '../../core/dtype.js';
import { type Shape, sizeOf, stridesOf } from '../../core/shape.js';

/** Permutes axes: out.shape[i] = shape[perm[i]]. */
export function transpose(x: TypedArray, shape: Shape, perm: readonly number[], out?: TypedArray): TypedArray {
  const n = x.length;
  const y = out ?? allocate(dtypeOf(x), n);
  const rank = shape.length;
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  if (rank === 2 && perm[0] === 1) {
    const [r, c] = shape;
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) y[j * r + i] = x[i * c + j];
    return y;
  }
  const strides = perm.map((p) => inStrides[p]);
  const counter = new Array<number>(rank).fill(0);
  let src = 0;
  for (let k = 0; k < n; k++) {
    y[k] = x[src];
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      src += strides[d];
      if (counter[d] < outShape[d]) break;
      src -= strides[d] * counter[d];
      counter[d] = 0;
    }
  }
  return y;
}

/** The block of `x` starting at `begin` with extent `size`. */
export function slice(x: TypedArray, shape: Shape, begin: readonly number[], size: readonly number[], out?: TypedArray): TypedArray {
  const n = sizeOf(size);
  const y = out ?? allocate(dtypeOf(x), n);
  if (n === 0) return y;
  const rank = shape.length;
  const strides = stridesOf(shape);
  const inner = size[rank - 1];
  const counter = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  const rows = n / inner;
  for (let r = 0; r < rows; r++) {
    let off = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) off += (begin[d] + counter[d]) * strides[d];
    y.set(x.subarray(off, off + inner), r * inner);
    for (let d = rank - 2; d >= 0; d--) {
      if (++counter[d] < size[d]) break;
      counter[d] = 0;
    }
  }
  return y;
}

/** Joins arrays along `axis`. */
export function concat(xs: readonly TypedArray[], shapes: readonly Shape[], axis: number, out?: TypedArray): TypedArray {
  const total = xs.reduce((p, a) => p + a.length, 0);
  const y = out ?? allocate(dtypeOf(xs[0]), total);
  if (xs.length === 0 || total === 0) return y;
  const outer = sizeOf(shapes[0].slice(0, axis));
  const chunks = shapes.map((s) => sizeOf(s.slice(axis)));
  const rowLen = chunks.reduce((p, c) => p + c, 0);
  for (let o = 0; o < outer; o++) {
    let off = o * rowLen;
    for (let i = 0; i < xs.length; i++) {
      y.set(xs[i].subarray(o * chunks[i], (o + 1) * chunks[i]), off);
      off += chunks[i];
    }
  }
  return y;
}

/** One-hot rows of `depth` columns; indices outside [0, depth) give zero rows. */
export function oneHot(indices: ArrayLike<number>, depth: number, out?: TypedArray): TypedArray {
  const y = out ?? allocate('float32', indices.length * depth);
  y.fill(0, 0, indices.length * depth);
  for (let i = 0; i < indices.length; i++) {
    const c = indices[i];
    if (Number.isInteger(c) && c >= 0 && c < depth) y[i * depth + c] = 1;
  }
  return y;
}
