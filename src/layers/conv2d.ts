/**
 * Conv2D: a 2-D convolution over channels-last feature maps,
 * y[b, oy, ox, f] = activation(sum_{i, j, c} x[b, oy sh + i dh - padTop, ox sw + j dw - padLeft, c] kernel[i, j, c, f] + bias[f]),
 * one fused primitive (im2col + the kernel backend's GEMM + bias + activation) with its own backward rule.
 *
 * Shapes: [batch, height, width, inChannels] -> [batch, outH, outW, filters] with, per spatial axis,
 * out = floor((in - (k - 1) dilation - 1) / stride) + 1 for 'valid' and ceil(in / stride) for 'same'
 * (Keras's conv_output_length; 'same' pads floor(total / 2) on top/left, the rest below/right, as TensorFlow).
 * Weights: `kernel` [kH, kW, inChannels, filters], `bias` [filters].
 * Options: see `ConvOptions` (strides, padding, dilationRate, activation, useBias, initializers,
 * regularizers, constraints); strides > 1 with dilation > 1 is refused, as in Keras.
 * @throws ValueError for bad options (see BaseConv); ShapeError for an input that is not
 *   [batch, H, W, inChannels] or smaller than the (dilated) kernel with 'valid' padding.
 * Reference: Keras 3 keras/src/layers/convolutional/conv2d.py; TF.js tf.layers.conv2d.
 * @example new Conv2D(32, 3, { activation: 'relu' }) on [64, 28, 28, 1] gives [64, 26, 26, 32] (320 parameters).
 */
import { BaseConv, CONV_OPTION_KEYS, type ConvOptions } from './base_conv.js';

export type Conv2DOptions = Omit<ConvOptions, 'padding' | 'strides' | 'dilationRate'> & {
  /** Step between windows: one integer or [strideH, strideW]. Default 1. */
  strides?: number | readonly [number, number] | readonly number[];
  /** 'valid' (default) or 'same'. */
  padding?: 'valid' | 'same';
  /** Spacing of kernel taps: one integer or [dilationH, dilationW]. Default 1. */
  dilationRate?: number | readonly [number, number] | readonly number[];
};

export class Conv2D extends BaseConv {
  static override readonly className = 'Conv2D';
  static override readonly optionKeys: readonly string[] = CONV_OPTION_KEYS;

  /**
   * @param filters - number of output channels, a positive integer.
   * @param kernelSize - window size: one integer or [kH, kW].
   */
  constructor(filters: number, kernelSize: number | readonly number[], options: Conv2DOptions = {}) {
    super(2, filters, kernelSize, options);
  }

  /** `new Conv2D(filters, kernelSize, options)` from a config. */
  static fromConfig(config: Record<string, unknown>): Conv2D {
    const { filters, kernelSize, ...options } = config;
    return new Conv2D(filters as number, kernelSize as number[], options as Conv2DOptions);
  }
}
