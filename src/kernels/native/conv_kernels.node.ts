/**
 * The native convolution kernels (src/kernels/native/conv.cc) with the `Kernels` signatures:
 * im2col, col2im, pool2d, pool2dBackward, and the fused bias + activation epilogue of a
 * convolution and its backward (also serving `unary`/`unaryBackward` for the activations it has). Float32 only (others go to the TypeScript oracle, kernels/ts);
 * threaded over output rows or images, so the bits do not depend on the thread count, and
 * im2col, col2im and pooling give the oracle's bits. Every one writes its whole output, so an output
 * allocated here is not zero-filled first (`allocateUninitialized`: inside `fit` it is a reused array).
 */
import { type TypedArray, allocateUninitialized } from '../../core/dtype.js';
import type { Conv2DGeometry } from '../../core/conv_geometry.js';
import type { Kernels, PoolOp, UnaryOp } from '../kernels.js';
import { biasActivation as tsBiasActivation, biasActivationBackward as tsBiasActivationBackward } from '../ts/bias_activation.js';
import { col2im as tsCol2im, im2col as tsIm2col, pool2d as tsPool2d, pool2dBackward as tsPool2dBackward } from '../ts/conv.js';
import { unary as tsUnary, unaryBackward as tsUnaryBackward } from '../ts/unary.js';

/** The convolution functions of the addon (src/kernels/native/conv_addon.cc). */
export interface NativeConvAddon {
  im2col(x: Float32Array, geometry: Int32Array, out: Float32Array): void;
  col2im(cols: Float32Array, geometry: Int32Array, out: Float32Array): void;
  pool2d(isMax: boolean, x: Float32Array, geometry: Int32Array, out: Float32Array): void;
  pool2dBackward(isMax: boolean, x: Float32Array, dy: Float32Array, geometry: Int32Array, out: Float32Array): void;
  biasActivation(x: Float32Array, bias: Float32Array | null, rows: number, channels: number, activation: string, alpha: number, out: Float32Array): void;
  biasActivationBackward(y: Float32Array, dy: Float32Array, rows: number, channels: number, activation: string, alpha: number,
    dz: Float32Array, db: Float32Array | null): void;
}

/** The activations conv.cc applies itself (those of dense.cc); others run in the TS kernel around the native bias part. */
const NATIVE_ACTIVATIONS: ReadonlySet<UnaryOp> = new Set<UnaryOp>(['linear', 'relu', 'selu', 'elu', 'leaky_relu', 'sigmoid', 'tanh']);

/** The geometry as the addon reads it: the 14 fields in ConvGeometry's order (conv.h). */
function packGeometry(g: Conv2DGeometry): Int32Array {
  return Int32Array.of(g.batch, g.inH, g.inW, g.inC, g.kH, g.kW, g.strideH, g.strideW,
    g.dilationH, g.dilationW, g.padTop, g.padLeft, g.outH, g.outW);
}

/**
 * [rows, channels] views n elements as for `biasActivation` without a bias (an elementwise
 * activation): channels the largest power of two up to 4096 dividing n, so the rows split across
 * the thread pool in chunks of about 32K floats and each row's loop is long enough to vectorize.
 */
function elementRows(n: number): [number, number] {
  let channels = 4096;
  while (channels > 1 && n % channels !== 0) channels >>= 1;
  return [n / channels, channels];
}

/** Whether the native epilogue computes op's derivative from its output y (elu needs alpha >= 0, leaky_relu alpha > 0). */
function nativeDerivative(op: UnaryOp, alpha: number): boolean {
  return NATIVE_ACTIVATIONS.has(op) && (op !== 'elu' || alpha >= 0) && (op !== 'leaky_relu' || alpha > 0);
}

function f32(...xs: ReadonlyArray<TypedArray | null | undefined>): boolean {
  return xs.every((x) => x === null || x === undefined || x instanceof Float32Array);
}

/** The kernels above, served by `addon` for float32 and by the oracle otherwise. */
export function makeConvKernels(addon: NativeConvAddon): Pick<Kernels,
  'im2col' | 'col2im' | 'pool2d' | 'pool2dBackward' | 'biasActivation' | 'biasActivationBackward' | 'unary' | 'unaryBackward'> {
  return {
    // The activations of the fused epilogue as standalone ops (an Activation layer, the activation
    // after a BatchNormalization or an Add): the same native loops, threaded; the rest in TypeScript.
    unary(op, x, alpha = 0, out) {
      if (!NATIVE_ACTIVATIONS.has(op) || !f32(x, out) || x.length === 0) return tsUnary(op, x, alpha, out);
      const o = (out ?? allocateUninitialized('float32', x.length)) as Float32Array;
      const [rows, channels] = elementRows(x.length);
      addon.biasActivation(x as Float32Array, null, rows, channels, op, alpha, o);
      return o;
    },
    unaryBackward(op, x, y, dy, alpha = 0, out) {
      if (!nativeDerivative(op, alpha) || !f32(y, dy, out) || y.length === 0) return tsUnaryBackward(op, x, y, dy, alpha, out);
      const o = (out ?? allocateUninitialized('float32', y.length)) as Float32Array;
      const [rows, channels] = elementRows(y.length);
      addon.biasActivationBackward(y as Float32Array, dy as Float32Array, rows, channels, op, alpha, o, null);
      return o;
    },
    im2col(x, g, out) {
      if (!f32(x, out)) return tsIm2col(x, g, out);
      const o = (out ?? allocateUninitialized('float32', g.batch * g.outH * g.outW * g.kH * g.kW * g.inC)) as Float32Array;
      addon.im2col(x as Float32Array, packGeometry(g), o);
      return o;
    },
    col2im(cols, g, out) {
      if (!f32(cols, out)) return tsCol2im(cols, g, out);
      const o = (out ?? allocateUninitialized('float32', g.batch * g.inH * g.inW * g.inC)) as Float32Array;
      addon.col2im(cols as Float32Array, packGeometry(g), o);
      return o;
    },
    pool2d(op: PoolOp, x, g, out) {
      if (!f32(x, out)) return tsPool2d(op, x, g, out);
      const o = (out ?? allocateUninitialized('float32', g.batch * g.outH * g.outW * g.inC)) as Float32Array;
      addon.pool2d(op === 'max', x as Float32Array, packGeometry(g), o);
      return o;
    },
    pool2dBackward(op: PoolOp, x, dy, g, out) {
      if (!f32(x, dy, out)) return tsPool2dBackward(op, x, dy, g, out);
      const o = (out ?? allocateUninitialized('float32', g.batch * g.inH * g.inW * g.inC)) as Float32Array;
      addon.pool2dBackward(op === 'max', x as Float32Array, dy as Float32Array, packGeometry(g), o);
      return o;
    },
    biasActivation(x, bias, rows, channels, activation, alpha, out) {
      if (!f32(x, bias, out)) return tsBiasActivation(x, bias, rows, channels, activation, alpha, out);
      const o = (out ?? allocateUninitialized('float32', rows * channels)) as Float32Array;
      const native = NATIVE_ACTIVATIONS.has(activation);
      addon.biasActivation(x as Float32Array, bias as Float32Array | null, rows, channels, native ? activation : 'linear', alpha, o);
      if (!native) tsUnary(activation, o.subarray(0, rows * channels), alpha, o.subarray(0, rows * channels));
      return o;
    },
    biasActivationBackward(y, dy, rows, channels, activation, alpha, db, dz) {
      if (!f32(y, dy, db, dz)) return tsBiasActivationBackward(y, dy, rows, channels, activation, alpha, db, dz);
      const n = rows * channels;
      if (!NATIVE_ACTIVATIONS.has(activation)) {
        const d = tsUnaryBackward(activation, null, y.subarray(0, n), dy.subarray(0, n), alpha, dz?.subarray(0, n)) as Float32Array;
        addon.biasActivationBackward(y as Float32Array, d, rows, channels, 'linear', 0, d, db as Float32Array | null);
        return dz ?? d;
      }
      const d = (dz ?? (activation === 'linear' ? dy : allocateUninitialized('float32', n))) as Float32Array;
      addon.biasActivationBackward(y as Float32Array, dy as Float32Array, rows, channels, activation, alpha, d, db as Float32Array | null);
      return d;
    },
  };
}
