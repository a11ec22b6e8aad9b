/**
 * The geometry of a 2-D convolution or pooling window over channels-last feature maps: output size
 * and padding from the input size, window, strides, dilation and the padding mode, as Keras and
 * TensorFlow compute them.
 *
 * - `valid`: no padding; out = floor((in - effK) / stride) + 1 with effK = (k - 1) dilation + 1.
 * - `same`: out = ceil(in / stride); the total padding max((out - 1) stride + effK - in, 0) is split
 *   with the smaller half on top / left (TensorFlow's rule: pad_top = floor(total / 2)).
 * - explicit `[top, bottom, left, right]` (used by Conv1D's `causal` padding): out =
 *   floor((in + top + bottom - effK) / stride) + 1.
 *
 * Reference: Keras 3 keras/src/ops/operation_utils.py (`compute_conv_output_shape`) and Keras 2
 * `conv_utils.conv_output_length`; TensorFlow
 * `tensorflow/core/framework/kernel_shape_util.cc` (`GetWindowedOutputSizeVerbose`, padding split).
 */
import { ShapeError, ValueError } from './errors.js';

/** Keras's padding modes of convolution and pooling layers. */
export const PADDING_MODES = ['valid', 'same'] as const;
export type PaddingMode = (typeof PADDING_MODES)[number];

/** Explicit padding [top, bottom, left, right] in elements. */
export type ExplicitPadding = readonly [number, number, number, number];

/**
 * Everything a convolution or pooling kernel needs, precomputed by the caller (kernels never
 * validate). Input [batch, inH, inW, inC] (channels-last), window [kH, kW], output [batch, outH, outW, *].
 */
export interface Conv2DGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  /** Rows of padding above the input (the rest of the padding is below). */
  padTop: number;
  /** Columns of padding left of the input. */
  padLeft: number;
  outH: number;
  outW: number;
}

/**
 * Keras's `conv_output_length`: the output length along one spatial axis.
 * @example convOutputLength(28, 3, 'valid', 1, 1) === 26; convOutputLength(28, 3, 'same', 2, 1) === 14
 */
export function convOutputLength(inputLength: number, kernelSize: number, padding: PaddingMode, stride: number, dilation = 1, owner?: string): number {
  const effK = (kernelSize - 1) * dilation + 1;
  const length = padding === 'same' ? inputLength : inputLength - effK + 1;
  if (owner !== undefined && length < 0) {
    // Keras 3 (compute_conv_output_shape / compute_pooling_output_shape) raises here too; 0 is allowed.
    throw new ShapeError(`${owner}: the window (size ${kernelSize}${dilation > 1 ? `, dilation ${dilation}, so ${effK} wide` : ''}) is larger than the input (${inputLength}) along a spatial axis with padding 'valid', so the output size would be negative. Use padding 'same', a smaller window, or a larger input.`);
  }
  return Math.max(0, Math.floor((length + stride - 1) / stride));
}

/** The padding before one spatial axis and the output length, for a mode or explicit (before, after). */
function axisGeometry(inLen: number, k: number, stride: number, dilation: number, padding: PaddingMode | readonly [number, number]): { pad: number; out: number } {
  const effK = (k - 1) * dilation + 1;
  if (padding === 'valid') return { pad: 0, out: convOutputLength(inLen, k, 'valid', stride, dilation) };
  if (padding === 'same') {
    const out = convOutputLength(inLen, k, 'same', stride, dilation);
    const total = Math.max((out - 1) * stride + effK - inLen, 0);
    return { pad: Math.floor(total / 2), out };
  }
  const [before, after] = padding;
  return { pad: before, out: Math.max(0, Math.floor((inLen + before + after - effK) / stride) + 1) };
}

/** Checks that a value is a list of `n` positive integers (or one, repeated) and returns the list. */
export function normalizeTuple(value: unknown, n: number, name: string, owner: string, min = 1): number[] {
  const list = typeof value === 'number' ? new Array<number>(n).fill(value) : value;
  if (!Array.isArray(list) || list.length !== n || list.some((v) => !Number.isInteger(v) || (v as number) < min)) {
    throw new ValueError(`${owner}: ${name} must be an integer >= ${min} or a list of ${n} of them, received ${JSON.stringify(value)}.`);
  }
  return list as number[];
}

/**
 * The geometry of a window over an input of shape [batch, inH, inW, inC].
 * @throws ShapeError for an input that is not rank 4, or a window (dilated) larger than the padded
 *   input, which would give an empty output.
 */
export function conv2dGeometry(xShape: readonly number[], kernelSize: readonly [number, number] | readonly number[],
  strides: readonly number[], dilations: readonly number[], padding: PaddingMode | ExplicitPadding, owner: string): Conv2DGeometry {
  if (xShape.length !== 4) {
    throw new ShapeError(`${owner}: expected a rank-4 input [batch, height, width, channels] (channels-last), got shape [${xShape.join(', ')}].`);
  }
  const [batch, inH, inW, inC] = xShape;
  const [kH, kW] = kernelSize;
  const ph = typeof padding === 'string' ? padding : [padding[0], padding[1]] as const;
  const pw = typeof padding === 'string' ? padding : [padding[2], padding[3]] as const;
  const h = axisGeometry(inH, kH, strides[0], dilations[0], ph);
  const w = axisGeometry(inW, kW, strides[1], dilations[1], pw);
  if (h.out <= 0 || w.out <= 0) {
    throw new ShapeError(`${owner}: the window ${kH}x${kW} (dilation ${dilations.join('x')}) is larger than the input ${inH}x${inW} with padding ${JSON.stringify(padding)}, so the output would be empty; use padding 'same' or a smaller window.`);
  }
  return {
    batch, inH, inW, inC, kH, kW, strideH: strides[0], strideW: strides[1], dilationH: dilations[0], dilationW: dilations[1],
    padTop: h.pad, padLeft: w.pad, outH: h.out, outW: w.out,
  };
}
