/**
 * Activation: applies an activation function by name. Shapes: any -> same.
 * Reference: Keras 3 keras/src/layers/activations/activation.py.
 */
import type { Tensor } from '../core/tensor.js';
import { type ActivationName, activate, getActivation } from '../activations/activations.js';
import { type CallOptions, Layer, type LayerOptions, type SymbolicShape } from './layer.js';

export class Activation extends Layer {
  static override readonly className = 'Activation';
  readonly activation: ActivationName;

  /** @throws ValueError for an unknown activation name (with the nearest valid one). */
  constructor(activation: string, options: LayerOptions = {}) {
    super(options);
    this.activation = getActivation(activation);
  }

  /** `new Activation(config.activation, config)`. */
  static fromConfig(config: Record<string, unknown>): Activation {
    return new Activation(config.activation as string, config as LayerOptions);
  }

  call(x: Tensor, _options: CallOptions = {}): Tensor {
    return activate(this.activation, x);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.activation };
  }
}
