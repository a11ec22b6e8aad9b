/**
 * DepthwiseConv2D: each input channel convolved with its own `depthMultiplier` filters,
 * y[b, oy, ox, c m + j] = activation(sum_{i, k} x[b, oy sh + i dh - padTop, ox sw + k dw - padLeft, c] kernel[i, k, c, j] + bias[c m + j]),
 * the first half of a depthwise-separable convolution (MobileNet, arXiv:1704.04861).
 *
 * Shapes: [batch, height, width, inChannels] -> [batch, outH, outW, inChannels depthMultiplier]
 * (spatial sizes as Conv2D).
 * Weights: `depthwise_kernel` [kH, kW, inChannels, depthMultiplier] (named as TF.js and Keras 2 name
 * it, so TF.js loads deepwell's export; Keras 3 files store weights by position), `bias`
 * [inChannels depthMultiplier].
 * Options: as Conv2D, with `depthMultiplier` (default 1) and `depthwiseInitializer` (default
 * 'glorot_uniform'), `depthwiseRegularizer`, `depthwiseConstraint` in place of the kernel ones.
 * @throws ValueError for bad options; ShapeError for an input that is not [batch, H, W, inChannels].
 * Reference: Keras 3 keras/src/layers/convolutional/depthwise_conv2d.py; TF.js tf.layers.depthwiseConv2d.
 */
import { ShapeError, ValueError, keysOf } from '../core/errors.js';
import { convOutputLength, normalizeTuple } from '../core/conv_geometry.js';
import { formatShape } from '../core/shape.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { binary } from '../autodiff/primitives.js';
import { depthwiseConv2d } from '../autodiff/conv.js';
import { type ActivationName, activationSpec, applyActivationSpec, getActivation } from '../activations/activations.js';
import type { Initializer } from '../initializers/index.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { type RegularizerIdentifier, get as getRegularizer } from '../regularizers/get.js';
import type { Constraint } from '../constraints/constraint.js';
import { type ConstraintIdentifier, get as getConstraint } from '../constraints/get.js';
import type { KernelBiasOptions } from './kernel_bias_layer.js';
import { type CallOptions, LAYER_OPTION_KEYS, Layer, type LayerOptions, type SymbolicShape, resolveInitializer, formatSymbolic } from './layer.js';

export interface DepthwiseConv2DOptions extends LayerOptions, Pick<KernelBiasOptions, 'activation' | 'useBias' | 'biasInitializer' | 'biasRegularizer' | 'biasConstraint'> {
  /** Step between windows: one integer or [strideH, strideW]. Default 1. */
  strides?: number | readonly number[];
  /** 'valid' (default) or 'same'. */
  padding?: 'valid' | 'same';
  /** Filters per input channel, a positive integer. Default 1. */
  depthMultiplier?: number;
  /** Keras's data_format: only 'channels_last'. */
  dataFormat?: 'channels_last' | null;
  /** Spacing of kernel taps. Default 1. */
  dilationRate?: number | readonly number[];
  /** Initializer of the depthwise kernel: a name, config object or instance. Default 'glorot_uniform'. */
  depthwiseInitializer?: unknown;
  /** Penalty on the depthwise kernel. Default none. */
  depthwiseRegularizer?: RegularizerIdentifier;
  /** Projection of the depthwise kernel after each step. Default none. */
  depthwiseConstraint?: ConstraintIdentifier;
}

export class DepthwiseConv2D extends Layer {
  static override readonly className = 'DepthwiseConv2D';
  static override readonly optionKeys: readonly string[] = [
    ...LAYER_OPTION_KEYS,
    ...keysOf<Omit<DepthwiseConv2DOptions, keyof LayerOptions>>({
      strides: true, padding: true, depthMultiplier: true, dataFormat: true, dilationRate: true, activation: true, useBias: true,
      biasInitializer: true, biasRegularizer: true, biasConstraint: true, depthwiseInitializer: true, depthwiseRegularizer: true, depthwiseConstraint: true,
    }),
  ];
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly depthMultiplier: number;
  readonly dilationRate: number[];
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly biasInitializer: Initializer;
  readonly biasRegularizer: Regularizer | null;
  readonly biasConstraint: Constraint | null;
  readonly depthwiseInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  /** @param kernelSize - window size: one integer or [kH, kW]. */
  constructor(kernelSize: number | readonly number[], options: DepthwiseConv2DOptions = {}) {
    const { dataFormat, ...rest } = options;
    super(rest);
    const cls = 'DepthwiseConv2D';
    if (dataFormat !== undefined && dataFormat !== null && dataFormat !== 'channels_last') {
      throw new ValueError(`${cls}: dataFormat ${JSON.stringify(dataFormat)} is not supported; deepwell is channels-last.`);
    }
    this.kernelSize = normalizeTuple(kernelSize, 2, 'kernelSize', cls);
    this.strides = normalizeTuple(options.strides ?? 1, 2, 'strides', cls);
    this.dilationRate = normalizeTuple(options.dilationRate ?? 1, 2, 'dilationRate', cls);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new ValueError(`${cls}: strides [${this.strides.join(', ')}] > 1 together with dilationRate [${this.dilationRate.join(', ')}] > 1 is not supported (as in Keras); set one of them to 1.`);
    }
    const m = options.depthMultiplier ?? 1;
    if (!Number.isInteger(m) || m < 1) throw new ValueError(`${cls}: depthMultiplier must be a positive integer, received ${String(m)}.`);
    this.depthMultiplier = m;
    const padding = options.padding ?? 'valid';
    if (padding !== 'valid' && padding !== 'same') throw new ValueError(`${cls}: padding must be 'valid' or 'same', received ${JSON.stringify(padding)}.`);
    this.padding = padding;
    this.activation = getActivation(options.activation);
    this.useBias = options.useBias ?? true;
    this.biasInitializer = resolveInitializer(options.biasInitializer ?? 'zeros');
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
    this.biasConstraint = getConstraint(options.biasConstraint);
    this.depthwiseInitializer = resolveInitializer(options.depthwiseInitializer ?? 'glorot_uniform');
    this.depthwiseRegularizer = getRegularizer(options.depthwiseRegularizer);
    this.depthwiseConstraint = getConstraint(options.depthwiseConstraint);
  }

  /** `new DepthwiseConv2D(kernelSize, options)` from a config. */
  static fromConfig(config: Record<string, unknown>): DepthwiseConv2D {
    const { kernelSize, ...options } = config;
    return new DepthwiseConv2D(kernelSize as number[], options as DepthwiseConv2DOptions);
  }

  override build(inputShape: SymbolicShape): void {
    const channels = inputShape[3];
    if (inputShape.length !== 4 || channels === null || channels === undefined) {
      throw new ValueError(`DepthwiseConv2D "${this.name}": expected an input [batch, height, width, channels] with known channels, got ${formatSymbolic(inputShape)}.`);
    }
    this.kernel = this.addWeight('depthwise_kernel', [...this.kernelSize, channels, this.depthMultiplier], this.depthwiseInitializer, true, { regularizer: this.depthwiseRegularizer, constraint: this.depthwiseConstraint });
    if (this.useBias) this.bias = this.addWeight('bias', [channels * this.depthMultiplier], this.biasInitializer, true, { regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    this.built = true;
  }

  call(x: Tensor, _options: CallOptions = {}): Tensor {
    const kernel = this.kernel as Variable;
    if (x.rank !== 4 || x.shape[3] !== kernel.shape[2]) {
      throw new ShapeError(`DepthwiseConv2D "${this.name}": expected an input [batch, height, width, ${kernel.shape[2]}], got shape ${formatShape(x.shape)}.`);
    }
    let y = depthwiseConv2d(x, kernel, { strides: this.strides, padding: this.padding, dilations: this.dilationRate });
    if (this.bias !== null) y = binary('add', y, this.bias);
    return applyActivationSpec(activationSpec(this.activation), y);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [b, h, w, c] = inputShape;
    const out = (d: number | null, i: number): number | null => (d === null ? null : convOutputLength(d, this.kernelSize[i], this.padding, this.strides[i], this.dilationRate[i], this.name));
    return [b, out(h, 0), out(w, 1), c === null ? null : c * this.depthMultiplier];
  }

  /** Keras 3's keys in Keras's order. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      depthMultiplier: this.depthMultiplier,
      dataFormat: 'channels_last',
      dilationRate: [...this.dilationRate],
      activation: this.activation,
      useBias: this.useBias,
      biasInitializer: this.biasInitializer.serialize(),
      biasRegularizer: this.biasRegularizer?.serialize() ?? null,
      biasConstraint: this.biasConstraint?.serialize() ?? null,
      depthwiseInitializer: this.depthwiseInitializer.serialize(),
      depthwiseRegularizer: this.depthwiseRegularizer?.serialize() ?? null,
      depthwiseConstraint: this.depthwiseConstraint?.serialize() ?? null,
    };
  }
}
