/**
 * Dense: y = activation(x W + b), a fully connected layer, computed as one fused primitive
 * (GEMM + bias + activation) with its own backward rule.
 *
 * Shapes: [batch, inFeatures] -> [batch, units] (any leading dims are kept: [..., inFeatures] -> [..., units]).
 * Weights: `kernel` [inFeatures, units] (Keras layout, fan_in = inFeatures, fan_out = units), `bias` [units].
 * Reference: Keras 3 keras/src/layers/core/dense.py (defaults glorot_uniform kernel, zeros bias).
 */
import { ValueError } from '../core/errors.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { dense } from '../autodiff/primitives.js';
import { type ActivationName, activationSpec, getActivation } from '../activations/activations.js';
import { softmax } from '../ops/softmax.js';
import type { Initializer } from '../initializers/index.js';
import { type CallOptions, Layer, type LayerOptions, type SymbolicShape, resolveInitializer } from './layer.js';

export interface DenseOptions extends LayerOptions {
  /** Activation name (Keras snake_case), default 'linear' (none). */
  activation?: string | null;
  /** Whether to add a bias vector. Default true. */
  useBias?: boolean;
  /** Kernel initializer: a name ('he_normal'), config object or instance. Default 'glorot_uniform'. */
  kernelInitializer?: unknown;
  /** Bias initializer. Default 'zeros'. */
  biasInitializer?: unknown;
}

export class Dense extends Layer {
  static override readonly className = 'Dense';
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  /**
   * @param units - number of output units, a positive integer.
   * @throws ValueError for a non-positive or non-integer `units`, or an unknown activation or initializer name.
   */
  constructor(units: number, options: DenseOptions = {}) {
    super(options);
    if (!Number.isInteger(units) || units <= 0) {
      throw new ValueError(`Dense: units must be a positive integer, received ${String(units)}.`);
    }
    this.units = units;
    this.activation = getActivation(options.activation);
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = resolveInitializer(options.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = resolveInitializer(options.biasInitializer ?? 'zeros');
  }

  /** `new Dense(config.units, config)`. */
  static fromConfig(config: Record<string, unknown>): Dense {
    return new Dense(config.units as number, config as DenseOptions);
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
    return dense(x, kernel, this.bias, spec.op, spec.alpha);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer.serialize(),
      biasInitializer: this.biasInitializer.serialize(),
    };
  }
}
