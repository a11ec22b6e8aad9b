/**
 * Conv1D: a 1-D convolution over channels-last sequences,
 * y[b, t, f] = activation(sum_{i, c} x[b, t stride + i dilation - padLeft, c] kernel[i, c, f] + bias[f]);
 * it runs as Conv2D's fused primitive over a height-1 map (no copy).
 *
 * Shapes: [batch, steps, inChannels] -> [batch, outSteps, filters]; outSteps as Conv2D's rule for
 * 'valid' and 'same'; 'causal' pads (k - 1) dilation zeros before the sequence only, so y[t] depends
 * on x[<= t] and outSteps = ceil(steps / stride).
 * Weights: `kernel` [k, inChannels, filters], `bias` [filters].
 * @throws ValueError for bad options (see BaseConv); ShapeError for an input that is not [batch, steps, inChannels].
 * Reference: Keras 3 keras/src/layers/convolutional/conv1d.py (causal padding as WaveNet, arXiv:1609.03499).
 * @example new Conv1D(8, 3, { padding: 'causal' }) on [2, 10, 4] gives [2, 10, 8].
 */
import { BaseConv, CONV_OPTION_KEYS, type ConvOptions } from './base_conv.js';

export type Conv1DOptions = ConvOptions;

export class Conv1D extends BaseConv {
  static override readonly className = 'Conv1D';
  static override readonly optionKeys: readonly string[] = CONV_OPTION_KEYS;

  /**
   * @param filters - number of output channels, a positive integer.
   * @param kernelSize - window length: an integer or [k].
   */
  constructor(filters: number, kernelSize: number | readonly number[], options: Conv1DOptions = {}) {
    super(1, filters, kernelSize, options);
  }

  /** `new Conv1D(filters, kernelSize, options)` from a config. */
  static fromConfig(config: Record<string, unknown>): Conv1D {
    const { filters, kernelSize, ...options } = config;
    return new Conv1D(filters as number, kernelSize as number[], options as Conv1DOptions);
  }
}
