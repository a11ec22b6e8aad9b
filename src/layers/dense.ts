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
import { ValueError } from '../core/errors.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { dense } from '../autodiff/primitives.js';
import { activationSpec, applyActivationSpec, fusableActivation } from '../activations/activations.js';
import { KERNEL_BIAS_OPTION_KEYS, KernelBiasLayer, type KernelBiasOptions } from './kernel_bias_layer.js';
import { type CallOptions, LAYER_OPTION_KEYS, type SymbolicShape, formatSymbolic } from './layer.js';

/** Dense's options: those of every layer with a kernel and a bias (`units` is the first argument). */
export type DenseOptions = KernelBiasOptions;

export class Dense extends KernelBiasLayer {
  static override readonly className = 'Dense';
  /** The keys of `DenseOptions` (`units` is the first argument, not an option). */
  static override readonly optionKeys: readonly string[] = [...LAYER_OPTION_KEYS, ...KERNEL_BIAS_OPTION_KEYS];
  readonly units: number;

  /**
   * @param units - number of output units, a positive integer.
   * @throws ValueError for a non-positive or non-integer `units`, a `useBias` that is not a boolean,
   *   an unknown option key (with the nearest valid one), or an unknown activation, initializer,
   *   regularizer or constraint.
   */
  constructor(units: number, options: DenseOptions = {}) {
    super(options);
    if (!Number.isInteger(units) || units <= 0) {
      throw new ValueError(`Dense: units must be a positive integer, received ${String(units)}.`);
    }
    this.units = units;
    if (typeof this.useBias !== 'boolean') throw new ValueError(`Dense: useBias must be true or false, received ${String(options.useBias)}.`);
  }

  /** `new Dense(units, options)` from a config: `units` is taken out as the first argument. */
  static fromConfig(config: Record<string, unknown>): Dense {
    const { units, ...options } = config;
    return new Dense(units as number, options as DenseOptions);
  }

  override build(inputShape: SymbolicShape): void {
    const inFeatures = inputShape[inputShape.length - 1];
    if (inFeatures === null || inFeatures === undefined) {
      throw new ValueError(`Dense "${this.name}": the last input dimension must be known, got ${formatSymbolic(inputShape)}.`);
    }
    this.addKernelAndBias([inFeatures, this.units], this.units);
    this.built = true;
  }

  call(x: Tensor, _options: CallOptions = {}): Tensor {
    const kernel = this.kernel as Variable;
    this.checkInput(x, kernel.shape[0]);
    const spec = activationSpec(this.activation);
    const fused = fusableActivation(spec);
    if (fused !== null) return dense(x, kernel, this.bias, fused.op, fused.alpha);
    return applyActivationSpec(spec, dense(x, kernel, this.bias, 'linear'));
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      ...this.kernelBiasConfig(),
    };
  }
}
