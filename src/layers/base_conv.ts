/**
 * BaseConv: what Conv1D and Conv2D share (Keras 3 `BaseConv`): options, weights, the fused
 * convolution primitive, regularizers, constraints and the config. A 1-D convolution runs as a 2-D
 * one over a height-1 map (the kernel [k, in, out] viewed as [1, k, in, out], no copy).
 *
 * Weights: `kernel` [...kernelSize, inChannels, filters] (Keras layout: fan_in = receptive field x
 * inChannels, fan_out = receptive field x filters), `bias` [filters].
 * Reference: Keras 3 keras/src/layers/convolutional/base_conv.py (defaults: strides 1, padding
 * 'valid', dilation 1, glorot_uniform kernel, zeros bias; strides > 1 with dilation > 1 refused).
 */
import { type ConstrainedWeight, applyWeightConstraints, weightPenalties } from './weight_penalties.js';
import { ShapeError, ValueError, keysOf } from '../core/errors.js';
import { type ExplicitPadding, convOutputLength, normalizeTuple } from '../core/conv_geometry.js';
import { formatShape } from '../core/shape.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { reshape, unary } from '../autodiff/primitives.js';
import { conv2d } from '../autodiff/conv.js';
import { OUTPUT_DERIVATIVE_OPS } from '../kernels/kernels.js';
import { type ActivationName, activationSpec, getActivation } from '../activations/activations.js';
import { softmax } from '../ops/softmax.js';
import type { Initializer } from '../initializers/index.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { type RegularizerIdentifier, get as getRegularizer } from '../regularizers/get.js';
import type { Constraint } from '../constraints/constraint.js';
import { type ConstraintIdentifier, get as getConstraint } from '../constraints/get.js';
import { type CallOptions, LAYER_OPTION_KEYS, Layer, type LayerOptions, type SymbolicShape, resolveInitializer } from './layer.js';

/** Options of Conv1D and Conv2D (besides `filters` and `kernelSize`, the first arguments). */
export interface ConvOptions extends LayerOptions {
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
  /** Activation name (Keras snake_case), default 'linear' (none). */
  activation?: string | null;
  /** Whether to add a bias per filter. Default true. */
  useBias?: boolean;
  /** Kernel initializer. Default 'glorot_uniform'. */
  kernelInitializer?: unknown;
  /** Bias initializer. Default 'zeros'. */
  biasInitializer?: unknown;
  /** Penalty on the kernel. Default none. */
  kernelRegularizer?: RegularizerIdentifier;
  /** Penalty on the bias. Default none. */
  biasRegularizer?: RegularizerIdentifier;
  /** Projection of the kernel after each step. Default none. */
  kernelConstraint?: ConstraintIdentifier;
  /** Projection of the bias after each step. Default none. */
  biasConstraint?: ConstraintIdentifier;
}

/** The keys of `ConvOptions` plus the layer's. */
export const CONV_OPTION_KEYS: readonly string[] = [
  ...LAYER_OPTION_KEYS,
  ...keysOf<Omit<ConvOptions, keyof LayerOptions>>({
    strides: true, padding: true, dataFormat: true, dilationRate: true, groups: true, activation: true, useBias: true,
    kernelInitializer: true, biasInitializer: true, kernelRegularizer: true, biasRegularizer: true,
    kernelConstraint: true, biasConstraint: true,
  }),
];

export abstract class BaseConv extends Layer {
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same' | 'causal';
  readonly dilationRate: number[];
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;

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
    const padding = options.padding ?? 'valid';
    const valid = rank === 1 ? ['valid', 'same', 'causal'] : ['valid', 'same'];
    if (!valid.includes(padding)) throw new ValueError(`${cls}: padding must be one of ${valid.map((p) => `'${p}'`).join(', ')}, received ${JSON.stringify(padding)}.`);
    this.padding = padding;
    this.activation = getActivation(options.activation);
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = resolveInitializer(options.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = resolveInitializer(options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(options.kernelRegularizer);
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
    this.kernelConstraint = getConstraint(options.kernelConstraint);
    this.biasConstraint = getConstraint(options.biasConstraint);
  }

  override build(inputShape: SymbolicShape): void {
    const channels = inputShape[inputShape.length - 1];
    if (inputShape.length !== this.rank + 2 || channels === null || channels === undefined) {
      throw new ValueError(`${this.className} "${this.name}": expected an input [batch, ${this.rank === 2 ? 'height, width' : 'steps'}, channels] with known channels, got [${inputShape.join(', ')}].`);
    }
    this.kernel = this.addWeight('kernel', [...this.kernelSize, channels, this.filters], this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInitializer);
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
    const fused = spec.kind === 'elementwise' && OUTPUT_DERIVATIVE_OPS.includes(spec.op);
    let y = conv2d(x4, k4, this.bias, { strides, dilations, padding, activation: fused ? spec.op : 'linear', alpha: fused ? spec.alpha : 0 });
    if (spec.kind === 'softmax') y = softmax(y);
    else if (spec.kind === 'composed') y = spec.fn(y);
    else if (!fused) y = unary(spec.op, y, spec.alpha);
    return this.rank === 1 ? reshape(y, [y.shape[0], y.shape[2], y.shape[3]]) : y;
  }

  /** Keras's rule per spatial axis: conv_output_length(in, k, padding, stride, dilation); causal keeps the length / stride. */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const spatial = inputShape.slice(1, 1 + this.rank).map((d, i) => (d === null ? null
      : convOutputLength(d, this.kernelSize[i], this.padding === 'valid' ? 'valid' : 'same', this.strides[i], this.dilationRate[i], this.name)));
    return [inputShape[0], ...spatial, this.filters];
  }

  /** The kernel and bias with their regularizers and constraints. */
  private constrainedWeights(): ConstrainedWeight[] {
    return [
      { weight: this.kernel, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint },
      { weight: this.bias, regularizer: this.biasRegularizer, constraint: this.biasConstraint },
    ];
  }

  /** kernelRegularizer(kernel) and biasRegularizer(bias), for the ones set. */
  override regularizationLosses(): Tensor[] {
    return weightPenalties(this.constrainedWeights());
  }

  /** Projects the trainable kernel and bias onto their constraints (frozen weights stay untouched). */
  override applyConstraints(): void {
    applyWeightConstraints(this.constrainedWeights());
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
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer.serialize(),
      biasInitializer: this.biasInitializer.serialize(),
      kernelRegularizer: this.kernelRegularizer?.serialize() ?? null,
      biasRegularizer: this.biasRegularizer?.serialize() ?? null,
      kernelConstraint: this.kernelConstraint?.serialize() ?? null,
      biasConstraint: this.biasConstraint?.serialize() ?? null,
    };
  }
}
