/**
 * Dense: y = activation(x W + b), a fully connected layer. For the activations whose derivative
 * needs only the output (relu, sigmoid, tanh, elu, selu, leaky_relu, softplus, linear) it is one
 * fused primitive (GEMM + bias + activation) with its own backward rule; for gelu, gelu_tanh,
 * silu/swish and mish, whose derivative needs the pre-activation, it is the linear fused primitive
 * followed by the activation's unary primitive; softmax follows the linear primitive too.
 *
 * Shapes: [batch, inFeatures] -> [batch, units] (any leading dims are kept: [..., inFeatures] -> [..., units]).
 * Weights: `kernel` [inFeatures, units] (Keras layout, fan_in = inFeatures, fan_out = units), `bias` [units].
 * Regularizers add their penalties to the training loss (`regularizationLosses`); constraints
 * project the trainable weights after each optimizer step (`applyConstraints`).
 * Reference: Keras 3 keras/src/layers/core/dense.py (defaults glorot_uniform kernel, zeros bias,
 * no regularizers or constraints).
 */
import { type ConstrainedWeight, applyWeightConstraints, weightPenalties } from './weight_penalties.js';
import { ValueError, keysOf } from '../core/errors.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { dense, unary } from '../autodiff/primitives.js';
import { OUTPUT_DERIVATIVE_OPS } from '../kernels/kernels.js';
import { type ActivationName, activationSpec, getActivation } from '../activations/activations.js';
import { softmax } from '../ops/softmax.js';
import type { Initializer } from '../initializers/index.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { type RegularizerIdentifier, get as getRegularizer } from '../regularizers/get.js';
import type { Constraint } from '../constraints/constraint.js';
import { type ConstraintIdentifier, get as getConstraint } from '../constraints/get.js';
import { type CallOptions, LAYER_OPTION_KEYS, Layer, type LayerOptions, type SymbolicShape, resolveInitializer } from './layer.js';

export interface DenseOptions extends LayerOptions {
  /** Activation name (Keras snake_case), default 'linear' (none). */
  activation?: string | null;
  /** Whether to add a bias vector. Default true. */
  useBias?: boolean;
  /** Kernel initializer: a name ('he_normal'), config object or instance. Default 'glorot_uniform'. */
  kernelInitializer?: unknown;
  /** Bias initializer. Default 'zeros'. */
  biasInitializer?: unknown;
  /** Penalty on the kernel: 'l1', 'l2', 'l1_l2', a config object or a Regularizer. Default none. */
  kernelRegularizer?: RegularizerIdentifier;
  /** Penalty on the bias. Default none. */
  biasRegularizer?: RegularizerIdentifier;
  /** Projection of the kernel after each step: 'max_norm', 'unit_norm', 'non_neg', a config or a Constraint. Default none. */
  kernelConstraint?: ConstraintIdentifier;
  /** Projection of the bias after each step. Default none. */
  biasConstraint?: ConstraintIdentifier;
}

export class Dense extends Layer {
  static override readonly className = 'Dense';
  /** The keys of `DenseOptions` (`units` is the first argument, not an option). */
  static override readonly optionKeys: readonly string[] = [
    ...LAYER_OPTION_KEYS,
    ...keysOf<Omit<DenseOptions, keyof LayerOptions>>({
      activation: true, useBias: true, kernelInitializer: true, biasInitializer: true,
      kernelRegularizer: true, biasRegularizer: true, kernelConstraint: true, biasConstraint: true,
    }),
  ];
  readonly units: number;
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
   * @param units - number of output units, a positive integer.
   * @throws ValueError for a non-positive or non-integer `units`, an unknown option key (with the
   *   nearest valid one), or an unknown activation, initializer, regularizer or constraint.
   */
  constructor(units: number, options: DenseOptions = {}) {
    super(options);
    if (!Number.isInteger(units) || units <= 0) {
      throw new ValueError(`Dense: units must be a positive integer, received ${String(units)}.`);
    }
    this.units = units;
    this.activation = getActivation(options.activation);
    this.useBias = options.useBias ?? true;
    if (typeof this.useBias !== 'boolean') throw new ValueError(`Dense: useBias must be true or false, received ${String(options.useBias)}.`);
    this.kernelInitializer = resolveInitializer(options.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = resolveInitializer(options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(options.kernelRegularizer);
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
    this.kernelConstraint = getConstraint(options.kernelConstraint);
    this.biasConstraint = getConstraint(options.biasConstraint);
  }

  /** `new Dense(units, options)` from a config: `units` is taken out as the first argument. */
  static fromConfig(config: Record<string, unknown>): Dense {
    const { units, ...options } = config;
    return new Dense(units as number, options as DenseOptions);
  }

  override build(inputShape: SymbolicShape): void {
    const inFeatures = inputShape[inputShape.length - 1];
    if (inFeatures === null || inFeatures === undefined) {
      throw new ValueError(`Dense "${this.name}": the last input dimension must be known, got [${inputShape.join(', ')}].`);
    }
    this.kernel = this.addWeight('kernel', [inFeatures, this.units], this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer);
    this.built = true;
  }

  call(x: Tensor, _options: CallOptions = {}): Tensor {
    const kernel = this.kernel as Variable;
    this.checkInput(x, kernel.shape[0]);
    const spec = activationSpec(this.activation);
    if (spec.kind === 'softmax') return softmax(dense(x, kernel, this.bias, 'linear'));
    if (spec.kind === 'composed') return spec.fn(dense(x, kernel, this.bias, 'linear'));
    if (!OUTPUT_DERIVATIVE_OPS.includes(spec.op)) return unary(spec.op, dense(x, kernel, this.bias, 'linear'), spec.alpha);
    return dense(x, kernel, this.bias, spec.op, spec.alpha);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
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

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
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
