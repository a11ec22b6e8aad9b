/**
 * KernelBiasLayer: what Dense and the convolutions (BaseConv: Conv1D, Conv2D) share, y =
 * activation(x (*) kernel + bias): the activation, the `kernel` and the optional `bias` with the
 * initializer, regularizer and constraint of each, their options and their part of the config.
 * A subclass states its own options, the kernel's shape and the forward computation.
 *
 * Defaults (Keras 3 Dense and BaseConv): linear activation, a bias, glorot_uniform kernel, zeros
 * bias, no regularizers or constraints. Regularizers add their penalties to the training loss
 * (`regularizationLosses`); constraints project the trainable weights after each optimizer step
 * (`applyConstraints`); both come from `Layer` through `addWeight`.
 * Reference: Keras 3 keras/src/layers/core/dense.py and keras/src/layers/convolutional/base_conv.py.
 */
import { keysOf } from '../core/errors.js';
import type { Variable } from '../core/tensor.js';
import { type ActivationName, getActivation } from '../activations/activations.js';
import type { Initializer } from '../initializers/index.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { type RegularizerIdentifier, get as getRegularizer } from '../regularizers/get.js';
import type { Constraint } from '../constraints/constraint.js';
import { type ConstraintIdentifier, get as getConstraint } from '../constraints/get.js';
import { Layer, type LayerOptions, resolveInitializer } from './layer.js';

/** The options of a layer with a kernel and an optional bias (Dense, Conv1D, Conv2D). */
export interface KernelBiasOptions extends LayerOptions {
  /** Activation name (Keras snake_case), default 'linear' (none). */
  activation?: string | null;
  /** Whether to add a bias (one per unit or filter). Default true. */
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

/** The keys of `KernelBiasOptions` without the layer's, in Keras's config order. */
export const KERNEL_BIAS_OPTION_KEYS = keysOf<Omit<KernelBiasOptions, keyof LayerOptions>>({
  activation: true, useBias: true, kernelInitializer: true, biasInitializer: true,
  kernelRegularizer: true, biasRegularizer: true, kernelConstraint: true, biasConstraint: true,
});

export abstract class KernelBiasLayer extends Layer {
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
   * @throws ValueError for an unknown option key (with the nearest valid one), or an unknown
   *   activation, initializer, regularizer or constraint.
   */
  protected constructor(options: KernelBiasOptions) {
    super(options);
    this.activation = getActivation(options.activation);
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = resolveInitializer(options.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = resolveInitializer(options.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(options.kernelRegularizer);
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
    this.kernelConstraint = getConstraint(options.kernelConstraint);
    this.biasConstraint = getConstraint(options.biasConstraint);
  }

  /**
   * Creates `kernel` (of `kernelShape`) and, with `useBias`, `bias` [units], in that order, each with
   * its initializer, regularizer and constraint.
   */
  protected addKernelAndBias(kernelShape: readonly number[], units: number): void {
    this.kernel = this.addWeight('kernel', kernelShape, this.kernelInitializer, true, { regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    if (this.useBias) this.bias = this.addWeight('bias', [units], this.biasInitializer, true, { regularizer: this.biasRegularizer, constraint: this.biasConstraint });
  }

  /** The config of `KernelBiasOptions` (Keras 3's keys and order); a subclass puts its own keys first. */
  protected kernelBiasConfig(): Record<string, unknown> {
    return {
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
