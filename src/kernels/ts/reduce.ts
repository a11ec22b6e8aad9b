import { type TypedArray, allocate, dtypeOf } from '../../core/dtype.js';
import type { Shape } from '../../core/shape.js';
import type { ReduceOp } from '../kernels.js';

/**
 * Reduces `x` over `axes` (see `Kernels.reduce`). The shape is viewed as [outer, reduced..., inner]
 * blocks; contiguous reduced axes (the common case: all, leading or trailing) take a fast path.
 * Sums accumulate in float64 and are stored once. max over an empty set is -Infinity; sum over an
 * empty set is 0. NaN propagates through max.
 */
export function reduce(op: ReduceOp, x: TypedArray, shape: Shape, axes: readonly number[], out?: TypedArray): TypedArray {
  const rank = shape.length;
  const isReduced = new Array<boolean>(rank).fill(false);
  for (const a of axes) isReduced[a] = true;
  // Move reduced axes last by computing output/reduced index strides.
  const outDims: number[] = [];
  const redDims: number[] = [];
  const inStrides: number[] = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i];
  }
  const outStridesIn: number[] = [];
  const redStridesIn: number[] = [];
  for (let i = 0; i < rank; i++) {
    if (isReduced[i]) {
      redDims.push(shape[i]);
      redStridesIn.push(inStrides[i]);
    } else {
      outDims.push(shape[i]);
      outStridesIn.push(inStrides[i]);
    }
  }
  const outSize = outDims.reduce((p, d) => p * d, 1);
  const redSize = redDims.reduce((p, d) => p * d, 1);
  const y = out ?? allocate(dtypeOf(x), outSize);
  const init = op === 'sum' ? 0 : -Infinity;
  y.fill(init, 0, outSize);
  if (outSize === 0 || redSize === 0) return y;

  // Fast path: reduced axes are a contiguous trailing block (rows reduced to one value each).
  const trailing = axes.length > 0 && axes.every((a, i) => a === rank - axes.length + i);
  if (trailing) {
    for (let o = 0; o < outSize; o++) {
      const base = o * redSize;
      let acc = init;
      if (op === 'sum') for (let r = 0; r < redSize; r++) acc += x[base + r];
      else for (let r = 0; r < redSize; r++) { const v = x[base + r]; if (v > acc || Number.isNaN(v)) acc = v; }
      y[o] = acc;
    }
    return y;
  }
  // Fast path: reduced axes are a contiguous leading block (sum over the batch, e.g. bias gradients).
  const leading = axes.every((a, i) => a === i);
  if (leading) {
    if (op === 'sum') { // float64 column sums, each stored once (as the other paths' scalar acc)
      const acc = new Float64Array(outSize);
      for (let r = 0; r < redSize; r++) {
        const base = r * outSize;
        for (let o = 0; o < outSize; o++) acc[o] += x[base + o];
      }
      for (let o = 0; o < outSize; o++) y[o] = acc[o];
      return y;
    }
    for (let r = 0; r < redSize; r++) {
      const base = r * outSize;
      for (let o = 0; o < outSize; o++) { const v = x[base + o]; if (v > y[o] || Number.isNaN(v)) y[o] = v; }
    }
    return y;
  }
  // General case: odometer over output and reduced index spaces.
  const outCounter = new Array<number>(outDims.length).fill(0);
  for (let o = 0; o < outSize; o++) {
    let base = 0;
    for (let d = 0; d < outDims.length; d++) base += outCounter[d] * outStridesIn[d];
    const redCounter = new Array<number>(redDims.length).fill(0);
    let acc = init;
    for (let r = 0; r < redSize; r++) {
      let off = base;
      for (let d = 0; d < redDims.length; d++) off += redCounter[d] * redStridesIn[d];
      const v = x[off];
      if (op === 'sum') acc += v;
      else if (v > acc || Number.isNaN(v)) acc = v;
      for (let d = redDims.length - 1; d >= 0; d--) {
        if (++redCounter[d] < redDims[d]) break;
        redCounter[d] = 0;
      }
    }
    y[o] = acc;
    for (let d = outDims.length - 1; d >= 0; d--) {
      if (++outCounter[d] < outDims[d]) break;
      outCounter[d] = 0;
    }
  }
  return y;
}
