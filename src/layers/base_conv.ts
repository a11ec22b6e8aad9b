/**
 * BaseConv: what Conv1D and Conv2D share (Keras 3 `BaseConv`): the convolution's options, the
 * kernel's shape, the fused convolution primitive and the config (the activation, kernel and bias
 * with their initializers, regularizers and constraints come from KernelBiasLayer). A 1-D convolution runs as a 2-D
 * one over a height-1 map (the kernel [k, in, out] viewed as [1, k, in, out], no copy).
 *
 * Weights: `kernel` [...kernelSize, inChannels, filters] (Keras layout: fan_in = receptive field x
 * inChannels, fan_out = receptive field x filters), `bias` [filters].
 * Reference: Keras 3 keras/src/layers/convolutional/base_conv.py (defaults: strides 1, padding
 * 'valid', dilation 1, glorot_uniform kernel, zeros bias; strides > 1 with dilation > 1 refused).
 */
import { ShapeError, ValueError, keysOf } from '../core/errors.js';
import { type ExplicitPadding, convOutputLength, normalizeTuple } from '../core/conv_geometry.js';
import { formatShape } from '../core/shape.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { reshape } from '../autodiff/primitives.js';
import { conv2d } from '../autodiff/conv.js';
import { activationSpec, applyActivationSpec, fusableActivation } from '../activations/activations.js';
import { KERNEL_BIAS_OPTION_KEYS, KernelBiasLayer, type KernelBiasOptions } from './kernel_bias_layer.js';
import { type CallOptions, LAYER_OPTION_KEYS, type SymbolicShape, formatSymbolic } from './layer.js';

/** Options of Conv1D and Conv2D (besides `filters` and `kernelSize`, the first arguments). */
export interface ConvOptions extends KernelBiasOptions {
  /** Step between windows: one integer or one per spatial axis, >= 1. Default 1. */
  strides?: number | readonly number[];
  /** 'valid' (no padding, default) or 'same' (output ceil(in / stride)); Conv1D also 'causal'. */
  padding?: 'valid' | 'same' | 'causal';
  /** Keras's data_format: only 'channels_last' (the default) is supported. */
  dataFormat?: 'channels_last' | null;
  /** Spacing between kernel taps: one integer or one per spatial axis, >= 1. Default 1. */
  dilationRate?: number | readonly number[];
  /** Keras's grouped convolution: only 1 is supported. */
  groups?: number;
}

/** The keys of `ConvOptions` plus the layer's. */
export const CONV_OPTION_KEYS: readonly string[] = [
  ...LAYER_OPTION_KEYS,
  ...keysOf<Omit<ConvOptions, keyof KernelBiasOptions>>({ strides: true, padding: true, dataFormat: true, dilationRate: true, groups: true }),
  ...KERNEL_BIAS_OPTION_KEYS,
];

export abstract class BaseConv extends KernelBiasLayer {
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same' | 'causal';
  readonly dilationRate: number[];

  /**
   * @param rank - number of spatial axes (1 or 2).
   * @throws ValueError for a non-positive `filters`, a bad kernel size, stride or dilation, strides > 1
   *   together with dilation > 1 (as Keras), an unknown padding, groups other than 1, or an unknown
   *   option, activation, initializer, regularizer or constraint.
   */
  protected constructor(readonly rank: 1 | 2, filters: number, kernelSize: number | readonly number[], options: ConvOptions) {
    const { dataFormat, groups, ...rest } = options;
    super(rest);
    const cls = this.className;
    if (dataFormat !== undefined && dataFormat !== null && dataFormat !== 'channels_last') {
      throw new ValueError(`${cls}: dataFormat ${JSON.stringify(dataFormat)} is not supported; deepwell is channels-last (Keras's default).`);
    }
    if (groups !== undefined && groups !== 1) throw new ValueError(`${cls}: groups ${JSON.stringify(groups)} is not supported; only 1 (an ordinary convolution).`);
    if (!Number.isInteger(filters) || filters <= 0) throw new ValueError(`${cls}: filters must be a positive integer, received ${String(filters)}.`);
    this.filters = filters;
    this.kernelSize = normalizeTuple(kernelSize, rank, 'kernelSize', cls);
    this.strides = normalizeTuple(options.strides ?? 1, rank, 'strides', cls);
    this.dilationRate = normalizeTuple(options.dilationRate ?? 1, rank, 'dilationRate', cls);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new ValueError(`${cls}: strides [${this.strides.join(', ')}] > 1 together with dilationRate [${this.dilationRate.join(', ')}] > 1 is not supported (as in Keras); set one of them to 1.`);
    }
    // Keras lowercases the padding name ('SAME' works there too).
    const padding = (typeof options.padding === 'string' ? options.padding.toLowerCase() : options.padding ?? 'valid') as 'valid' | 'same' | 'causal';
    const valid = rank === 1 ? ['valid', 'same', 'causal'] : ['valid', 'same'];
    if (!valid.includes(padding)) throw new ValueError(`${cls}: padding must be one of ${valid.map((p) => `'${p}'`).join(', ')}, received ${JSON.stringify(padding)}.`);
    this.padding = padding;
  }

  override build(inputShape: SymbolicShape): void {
    const channels = inputShape[inputShape.length - 1];
    if (inputShape.length !== this.rank + 2 || channels === null || channels === undefined) {
      throw new ValueError(`${this.className} "${this.name}": expected an input [batch, ${this.rank === 2 ? 'height, width' : 'steps'}, channels] with known channels, got ${formatSymbolic(inputShape)}.`);
    }
    this.addKernelAndBias([...this.kernelSize, channels, this.filters], this.filters);
    this.built = true;
  }

  call(x: Tensor, _options: CallOptions = {}): Tensor {
    const kernel = this.kernel as Variable;
    const inC = kernel.shape[kernel.rank - 2];
    if (x.rank !== this.rank + 2 || x.shape[x.rank - 1] !== inC) {
      throw new ShapeError(`${this.className} "${this.name}": expected an input of rank ${this.rank + 2} with ${inC} channels last, got shape ${formatShape(x.shape)}. Check the previous layer's output.`);
    }
    const x4 = this.rank === 1 ? reshape(x, [x.shape[0], 1, x.shape[1], x.shape[2]]) : x;
    const k4 = this.rank === 1 ? reshape(kernel, [1, ...kernel.shape]) : kernel;
    const strides = this.rank === 1 ? [1, this.strides[0]] : this.strides;
    const dilations = this.rank === 1 ? [1, this.dilationRate[0]] : this.dilationRate;
    let padding: 'valid' | 'same' | ExplicitPadding = this.padding === 'causal' ? 'valid' : this.padding;
    // Causal (Conv1D): (k - 1) dilation zeros before the sequence, none after: y[t] sees x[<= t] only.
    if (this.padding === 'causal') padding = [0, 0, (this.kernelSize[0] - 1) * this.dilationRate[0], 0];
    const spec = activationSpec(this.activation);
    const fused = fusableActivation(spec);
    let y = conv2d(x4, k4, this.bias, { strides, dilations, padding, activation: fused?.op ?? 'linear', alpha: fused?.alpha ?? 0 });
    if (fused === null) y = applyActivationSpec(spec, y);
    return this.rank === 1 ? reshape(y, [y.shape[0], y.shape[2], y.shape[3]]) : y;
  }

  /** Keras's rule per spatial axis: conv_output_length(in, k, padding, stride, dilation); causal keeps the length / stride. */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const spatial = inputShape.slice(1, 1 + this.rank).map((d, i) => (d === null ? null
      : convOutputLength(d, this.kernelSize[i], this.padding === 'valid' ? 'valid' : 'same', this.strides[i], this.dilationRate[i], this.name)));
    return [inputShape[0], ...spatial, this.filters];
  }

  /** Keras 3's keys in Keras's order. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: 'channels_last',
      dilationRate: [...this.dilationRate],
      groups: 1,
      ...this.kernelBiasConfig(),
    };
  }
}
