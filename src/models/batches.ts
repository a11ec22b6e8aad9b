/** Batch assembly for training loops: gather rows of a tensor by index into a reusable buffer. */
import { allocate } from '../core/dtype.js';
import { sizeOf } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';

/** Copies rows `indices[start..end)` of `x` into a new tensor (or into `buffer` when it fits). */
export function gatherRows(x: Tensor, indices: ArrayLike<number>, start: number, end: number, buffer?: Tensor): Tensor {
  const rowSize = sizeOf(x.shape.slice(1));
  const count = end - start;
  const shape = [count, ...x.shape.slice(1)];
  const out = buffer !== undefined && buffer.size === count * rowSize ? buffer : new Tensor(allocate(x.dtype, count * rowSize), shape);
  const src = x.data;
  const dst = out.data;
  for (let r = 0; r < count; r++) {
    const i = indices[start + r];
    dst.set(src.subarray(i * rowSize, (i + 1) * rowSize), r * rowSize);
  }
  return out;
}

/** Rows [start, end) of `x` as a tensor sharing its data. */
export function rowRange(x: Tensor, start: number, end: number): Tensor {
  const rowSize = sizeOf(x.shape.slice(1));
  return new Tensor(x.data.subarray(start * rowSize, end * rowSize), [end - start, ...x.shape.slice(1)]);
}
