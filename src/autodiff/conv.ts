/**
 * Differentiable convolution and pooling primitives over channels-last feature maps, each one
 * kernel pass (or im2col + one GEMM) that records one node; their backward rules are in
 * `backward_rules.ts`. Shape checks happen here, once, before dispatch.
 *
 * Reference: TensorFlow `tf.nn.conv2d`, `depthwise_conv2d`, `max_pool2d`, `avg_pool2d` (NHWC);
 * Keras 3 keras/src/ops/nn.py.
 */
import { type TypedArray, allocateUninitialized, dtypeOf } from '../core/dtype.js';
import { ShapeError, ValueError } from '../core/errors.js';
import { type Conv2DGeometry, type ExplicitPadding, type PaddingMode, conv2dGeometry } from '../core/conv_geometry.js';
import { formatShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../kernels/index.js';
import { SCRATCH_SLOTS, scratch } from '../kernels/scratch.js';
import { OUTPUT_DERIVATIVE_OPS, type PoolOp, type UnaryOp } from '../kernels/kernels.js';
import { record } from './node.js';

/** Window options shared by the convolution and pooling primitives. */
export interface WindowOptions {
  /** Steps between windows [strideH, strideW]. Default [1, 1] for convolutions. */
  strides?: readonly [number, number] | readonly number[];
  /** 'valid' (no padding, default), 'same' (output ceil(in / stride), TensorFlow's split) or [top, bottom, left, right]. */
  padding?: PaddingMode | ExplicitPadding;
  /** Spacing between window taps [dilationH, dilationW]. Default [1, 1]. */
  dilations?: readonly [number, number] | readonly number[];
}

/** Options of `conv2d`: the window and a fused activation. */
export interface Conv2DPrimitiveOptions extends WindowOptions {
  /** An activation of `OUTPUT_DERIVATIVE_OPS` applied in the same pass. Default 'linear'. */
  activation?: UnaryOp;
  /** elu / leaky_relu parameter. */
  alpha?: number;
}

function windowGeometry(op: string, x: Tensor, kernelSize: readonly number[], o: WindowOptions, defaultStrides: readonly number[]): Conv2DGeometry {
  const strides = o.strides ?? defaultStrides;
  const dilations = o.dilations ?? [1, 1];
  for (const [name, v] of [['strides', strides], ['dilations', dilations]] as const) {
    if (v.length !== 2 || v.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new ValueError(`${op}: ${name} must be two integers >= 1, received [${v.join(', ')}].`);
    }
  }
  const padding = o.padding ?? 'valid';
  if (typeof padding !== 'string' && (padding.length !== 4 || padding.some((p) => !Number.isInteger(p) || p < 0))) {
    throw new ValueError(`${op}: explicit padding must be four integers >= 0 [top, bottom, left, right], received ${JSON.stringify(padding)}.`);
  }
  if (typeof padding === 'string' && padding !== 'valid' && padding !== 'same') {
    throw new ValueError(`${op}: padding must be 'valid' or 'same', received ${JSON.stringify(padding)}.`);
  }
  return conv2dGeometry(x.shape, kernelSize, strides, dilations, padding, op);
}

/**
 * Fused 2-D convolution: y = activation(conv(x, kernel) + bias), one primitive with one backward rule.
 * y[b, oy, ox, f] = sum_{i, j, c} x[b, oy sh + i dh - padTop, ox sw + j dw - padLeft, c] kernel[i, j, c, f] + bias[f]
 * (cross-correlation, as every framework's "convolution"), computed as im2col(x) [rows, kH kW inC]
 * times kernel [kH kW inC, outC] with the kernel backend's GEMM (a 1x1 kernel with stride 1 and no
 * padding skips im2col: x is already that matrix), then the fused bias + activation kernel. The
 * im2col matrix lives in a reused scratch buffer (the backward recomputes it).
 *
 * Shapes: x [batch, inH, inW, inC], kernel [kH, kW, inC, outC], bias [outC] or null -> [batch, outH, outW, outC].
 * @throws ShapeError when the kernel is not rank 4, its input channels differ from x's, the bias does
 *   not have outC values, or the window does not fit.
 * @throws ValueError for strides or dilations < 1, or an activation that needs its input.
 */
export function conv2d(x: Tensor, kernel: Tensor, bias: Tensor | null, options: Conv2DPrimitiveOptions = {}): Tensor {
  if (kernel.rank !== 4) throw new ShapeError(`conv2d: the kernel must be rank 4 [kH, kW, inC, outC], got shape ${formatShape(kernel.shape)}.`);
  const [kH, kW, inC, outC] = kernel.shape;
  if (x.rank !== 4 || x.shape[3] !== inC) {
    throw new ShapeError(`conv2d: expected an input [batch, height, width, ${inC}] (channels-last, ${inC} channels as the kernel ${formatShape(kernel.shape)}), got shape ${formatShape(x.shape)}.`);
  }
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== outC)) {
    throw new ShapeError(`conv2d: the bias must have shape [${outC}] (one value per filter), got ${formatShape(bias.shape)}.`);
  }
  const activation = options.activation ?? 'linear';
  if (!OUTPUT_DERIVATIVE_OPS.includes(activation)) {
    throw new ValueError(`conv2d: activation '${activation}' needs its input for the gradient, which the fused primitive does not keep; apply it after a linear conv2d.`);
  }
  const g = windowGeometry('conv2d', x, [kH, kW], options, [1, 1]);
  const rows = g.batch * g.outH * g.outW;
  const depth = kH * kW * inC;
  const cols = convColumns(x.data, g);
  const y = allocateUninitialized(x.dtype, rows * outC); // GEMM with beta 0 writes all of it
  kernels.gemm(false, false, rows, outC, depth, 1, cols, kernel.data, 0, y);
  const alpha = options.alpha ?? 0;
  if (bias !== null || activation !== 'linear') kernels.biasActivation(y, bias?.data ?? null, rows, outC, activation, alpha, y);
  const inputs = bias !== null ? [x, kernel, bias] : [x, kernel];
  return record('conv2d', inputs, { geometry: g, activation, alpha, hasBias: bias !== null }, y, [g.batch, g.outH, g.outW, outC]);
}

/**
 * im2col(x) in the reused scratch buffer (valid until the next call; see kernels/scratch.ts), or x
 * itself for a pointwise window.
 */
export function convColumns(x: TypedArray, g: Conv2DGeometry): TypedArray {
  if (isPointwise(g)) return x;
  return kernels.im2col(x, g, scratch(dtypeOf(x), g.batch * g.outH * g.outW * g.kH * g.kW * g.inC, SCRATCH_SLOTS.cols));
}

/** A 1x1 window, stride 1, no padding: im2col(x) is x itself. */
export function isPointwise(g: Conv2DGeometry): boolean {
  return g.kH === 1 && g.kW === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop === 0 && g.padLeft === 0 && g.outH === g.inH && g.outW === g.inW;
}

/**
 * Depthwise 2-D convolution: each input channel c convolved with its own `multiplier` filters;
 * y[b, oy, ox, c multiplier + m] = sum_{i, j} x[b, .., .., c] kernel[i, j, c, m] (no bias: add it after).
 *
 * Shapes: x [batch, inH, inW, inC], kernel [kH, kW, inC, multiplier] -> [batch, outH, outW, inC multiplier].
 * @throws ShapeError when the kernel is not rank 4 or its channels differ from x's, or the window does not fit.
 */
export function depthwiseConv2d(x: Tensor, kernel: Tensor, options: WindowOptions = {}): Tensor {
  if (kernel.rank !== 4) throw new ShapeError(`depthwiseConv2d: the kernel must be rank 4 [kH, kW, inC, multiplier], got shape ${formatShape(kernel.shape)}.`);
  const [kH, kW, inC, multiplier] = kernel.shape;
  if (x.rank !== 4 || x.shape[3] !== inC) {
    throw new ShapeError(`depthwiseConv2d: expected an input [batch, height, width, ${inC}] (channels-last), got shape ${formatShape(x.shape)}.`);
  }
  const g = windowGeometry('depthwiseConv2d', x, [kH, kW], options, [1, 1]);
  const y = kernels.depthwiseConv2d(x.data, kernel.data, g, multiplier);
  return record('depthwise_conv2d', [x, kernel], { geometry: g, multiplier }, y, [g.batch, g.outH, g.outW, inC * multiplier]);
}

/**
 * Max or average pooling per channel over windows of `poolSize` (strides default to the pool size,
 * as Keras). Padding taps never win a max and are not counted in an average (TensorFlow). The max's
 * gradient goes to ONE element per window: the first maximum in row-major window order.
 *
 * Shapes: x [batch, inH, inW, channels] -> [batch, outH, outW, channels].
 * @throws ShapeError for an input that is not rank 4 or a window that does not fit.
 */
export function pool2d(op: PoolOp, x: Tensor, poolSize: readonly number[], options: WindowOptions = {}): Tensor {
  if (poolSize.length !== 2 || poolSize.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ValueError(`pool2d: poolSize must be two integers >= 1, received [${poolSize.join(', ')}].`);
  }
  const g = windowGeometry(`${op}Pool2d`, x, poolSize, options, poolSize);
  const y = kernels.pool2d(op, x.data, g);
  return record('pool2d', [x], { op, geometry: g }, y, [g.batch, g.outH, g.outW, g.inC]);
}
