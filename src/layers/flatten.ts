/**
 * Flatten: reshapes each sample to one dimension (no data is copied).
 * Shapes: [batch, d1, d2, ...] -> [batch, d1 * d2 * ...].
 * Reference: Keras 3 keras/src/layers/reshaping/flatten.py.
 */
import { ValueError, keysOf } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { reshape } from '../autodiff/primitives.js';
import { type CallOptions, LAYER_OPTION_KEYS, Layer, type LayerOptions, type SymbolicShape } from './layer.js';

export interface FlattenOptions extends LayerOptions {
  /** Keras's `data_format`; only 'channels_last' (the default, no reordering) is supported. */
  dataFormat?: 'channels_last';
}

export class Flatten extends Layer {
  static override readonly className = 'Flatten';
  static override readonly optionKeys: readonly string[] = [...LAYER_OPTION_KEYS, ...keysOf<Omit<FlattenOptions, keyof LayerOptions>>({ dataFormat: true })];

  /** @throws ValueError for a dataFormat other than 'channels_last' or an unknown option key. */
  constructor(options: FlattenOptions = {}) {
    const { dataFormat, ...rest } = options;
    if (dataFormat !== undefined && dataFormat !== null && dataFormat !== 'channels_last') {
      throw new ValueError(`Flatten: dataFormat ${JSON.stringify(dataFormat)} is not supported; only 'channels_last' (Keras's default) is.`);
    }
    super(rest);
  }

  /** `new Flatten(config)`. */
  static fromConfig(config: Record<string, unknown>): Flatten {
    return new Flatten(config as FlattenOptions);
  }

  call(x: Tensor, _options: CallOptions = {}): Tensor {
    // The feature size comes from the shape, not from -1, so an empty batch [0, 28, 28] gives [0, 784].
    return reshape(x, [x.shape[0], x.shape.slice(1).reduce((p, d) => p * d, 1)]);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rest = inputShape.slice(1);
    return [inputShape[0], rest.some((d) => d === null) ? null : rest.reduce<number>((p, d) => p * (d as number), 1)];
  }

  /** Keras 3's keys: the layer's and `dataFormat: 'channels_last'`. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: 'channels_last' };
  }
}
