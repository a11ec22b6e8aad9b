import { type TypedArray, allocate, dtypeOf } from '../../core/dtype.js';
import { type Shape, sizeOf, stridesOf } from '../../core/shape.js';
import type { BinaryOp } from '../kernels.js';

type Fn = (a: number, b: number) => number;

const FNS: { [K in BinaryOp]: Fn } = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: (a, b) => (a > b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a < b || Number.isNaN(a) ? a : b),
  pow: (a, b) => a ** b,
  greater: (a, b) => (a > b ? 1 : 0),
  equal: (a, b) => (a === b ? 1 : 0),
};

/**
 * For each output element, the flat index into an input broadcast to `outShape`:
 * strides of broadcast (size-1 or missing) dimensions are 0.
 */
export function broadcastIndex(inShape: Shape, outShape: Shape): Int32Array {
  const rank = outShape.length;
  const inStrides = stridesOf(inShape);
  const strides = new Array<number>(rank).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    const o = rank - inShape.length + i;
    strides[o] = inShape[i] === 1 ? 0 : inStrides[i];
  }
  const n = sizeOf(outShape);
  const idx = new Int32Array(n);
  const counter = new Array<number>(rank).fill(0);
  let cur = 0;
  for (let k = 0; k < n; k++) {
    idx[k] = cur;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      cur += strides[d];
      if (counter[d] < outShape[d]) break;
      cur -= strides[d] * counter[d];
      counter[d] = 0;
    }
  }
  return idx;
}

/** True when `inner` equals the trailing dims of `outer` (a bias-like broadcast). */
function isSuffix(inner: Shape, outer: Shape): boolean {
  if (inner.length > outer.length) return false;
  const off = outer.length - inner.length;
  return inner.every((d, i) => d === outer[off + i]);
}

/** out = a op b with broadcasting (see `Kernels.binary`). */
export function binary(op: BinaryOp, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, outShape: Shape, out?: TypedArray): TypedArray {
  const n = sizeOf(outShape);
  const y = out ?? allocate(dtypeOf(a), n);
  const f = FNS[op];
  if (a.length === n && b.length === n) {
    // Same shape: the hot path of elementwise arithmetic; add and mul get closure-free loops.
    if (op === 'add') for (let i = 0; i < n; i++) y[i] = a[i] + b[i];
    else if (op === 'mul') for (let i = 0; i < n; i++) y[i] = a[i] * b[i];
    else if (op === 'sub') for (let i = 0; i < n; i++) y[i] = a[i] - b[i];
    else for (let i = 0; i < n; i++) y[i] = f(a[i], b[i]);
  } else if (b.length === 1 && a.length === n) {
    const bv = b[0];
    for (let i = 0; i < n; i++) y[i] = f(a[i], bv);
  } else if (a.length === 1 && b.length === n) {
    const av = a[0];
    for (let i = 0; i < n; i++) y[i] = f(av, b[i]);
  } else if (a.length === n && b.length > 0 && isSuffix(bShape, outShape)) {
    const m = b.length;
    for (let i = 0; i < n; i++) y[i] = f(a[i], b[i % m]);
  } else if (n > 0) {
    const ia = broadcastIndex(aShape, outShape);
    const ib = broadcastIndex(bShape, outShape);
    for (let i = 0; i < n; i++) y[i] = f(a[ia[i]], b[ib[i]]);
  }
  return y;
}

/** out = cond != 0 ? a : b with broadcasting (see `Kernels.where`). */
export function where(cond: TypedArray, condShape: Shape, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, outShape: Shape, out?: TypedArray): TypedArray {
  const n = sizeOf(outShape);
  const y = out ?? allocate(dtypeOf(a), n);
  if (n === 0) return y;
  const ic = broadcastIndex(condShape, outShape);
  const ia = broadcastIndex(aShape, outShape);
  const ib = broadcastIndex(bShape, outShape);
  for (let i = 0; i < n; i++) y[i] = cond[ic[i]] !== 0 ? a[ia[i]] : b[ib[i]];
  return y;
}
