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

  /** @throws ValueError for an unknown activation name or option key (with the nearest valid one). */
  constructor(activation: string, options: LayerOptions = {}) {
    super(options);
    this.activation = getActivation(activation);
  }

  /** `new Activation(activation, options)` from a config: `activation` is taken out as the first argument. */
  static fromConfig(config: Record<string, unknown>): Activation {
    const { activation, ...options } = config;
    return new Activation(activation as string, options as LayerOptions);
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
