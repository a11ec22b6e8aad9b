/**
 * Reference kernels of the bias add over channels fused with an activation, the epilogue of a
 * convolution's GEMM (rows = batch outH outW output pixels, channels = filters), and its backward.
 */
import { type TypedArray, allocate, dtypeOf } from '../../core/dtype.js';
import type { UnaryOp } from '../kernels.js';
import { unary, unaryBackward } from './unary.js';

/**
 * out[r, c] = activation(x[r, c] + bias[c]) over x [rows, channels]; `bias` may be null (then
 * out = activation(x)); `out` may be `x` (in place). The add is one float rounding, then `unary`.
 */
export function biasActivation(x: TypedArray, bias: TypedArray | null, rows: number, channels: number,
  activation: UnaryOp, alpha: number, out?: TypedArray): TypedArray {
  const n = rows * channels;
  const o = out ?? allocate(dtypeOf(x), n);
  if (bias !== null) {
    for (let r = 0; r < n; r += channels) for (let c = 0; c < channels; c++) o[r + c] = x[r + c] + bias[c];
  } else if (o !== x) {
    o.set(x.subarray(0, n));
  }
  if (activation !== 'linear') unary(activation, o.subarray(0, n), alpha, o.subarray(0, n));
  return o;
}

/**
 * The backward of `biasActivation` from its output y and the gradient dy [rows, channels]:
 * dz = dy activation'(y) (activation one of OUTPUT_DERIVATIVE_OPS) into `dz` (may be dy; when
 * omitted, a new array, or dy itself for 'linear'), and db[c] = sum over rows of dz[r, c] into
 * `db` when not null (summed in float64, rounded once). Returns dz.
 */
export function biasActivationBackward(y: TypedArray, dy: TypedArray, rows: number, channels: number,
  activation: UnaryOp, alpha: number, db: TypedArray | null, dz?: TypedArray): TypedArray {
  const n = rows * channels;
  let d: TypedArray;
  if (activation !== 'linear') {
    d = dz ?? allocate(dtypeOf(dy), n);
    unaryBackward(activation, null, y.subarray(0, n), dy.subarray(0, n), alpha, d.subarray(0, n));
  } else {
    d = dz ?? dy;
    if (d !== dy) d.set(dy.subarray(0, n));
  }
  if (db !== null) {
    const acc = new Float64Array(channels);
    for (let r = 0; r < n; r += channels) for (let c = 0; c < channels; c++) acc[c] += d[r + c];
    for (let c = 0; c < channels; c++) db[c] = acc[c];
  }
  return d;
}
