/**
 * Flatten: reshapes each sample to one dimension (no data is copied).
 * Shapes: [batch, d1, d2, ...] -> [batch, d1 * d2 * ...].
 * Reference: Keras 3 keras/src/layers/reshaping/flatten.py.
 */
import type { Tensor } from '../core/tensor.js';
import { reshape } from '../autodiff/primitives.js';
import { type CallOptions, Layer, type LayerOptions, type SymbolicShape } from './layer.js';

export class Flatten extends Layer {
  static override readonly className = 'Flatten';

  /** `new Flatten(config)`. */
  static fromConfig(config: Record<string, unknown>): Flatten {
    return new Flatten(config as LayerOptions);
  }

  call(x: Tensor, _options: CallOptions = {}): Tensor {
    // The feature size comes from the shape, not from -1, so an empty batch [0, 28, 28] gives [0, 784].
    return reshape(x, [x.shape[0], x.shape.slice(1).reduce((p, d) => p * d, 1)]);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rest = inputShape.slice(1);
    return [inputShape[0], rest.some((d) => d === null) ? null : rest.reduce<number>((p, d) => p * (d as number), 1)];
  }
}
