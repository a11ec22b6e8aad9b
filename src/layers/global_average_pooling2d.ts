/**
 * GlobalAveragePooling2D: the mean of each channel over all positions,
 * y[b, c] = (1 / (H W)) sum_{y, x} x[b, y, x, c], composed from the sum primitive.
 *
 * Shapes: [batch, height, width, channels] -> [batch, channels] ([batch, 1, 1, channels] with keepdims).
 * Options: `keepdims` (default false), `dataFormat` only 'channels_last'.
 * Reference: Keras 3 keras/src/layers/pooling/global_average_pooling2d.py; Lin et al. 2013,
 * "Network in Network", arXiv:1312.4400.
 * @example [[1, 2], [3, 4]] (one channel) -> [2.5].
 */
import { ShapeError, ValueError, keysOf } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { mean } from '../ops/reductions.js';
import { type CallOptions, LAYER_OPTION_KEYS, Layer, type LayerOptions, type SymbolicShape } from './layer.js';

export interface GlobalAveragePooling2DOptions extends LayerOptions {
  /** Keep the spatial axes as size 1. Default false. */
  keepdims?: boolean;
  /** Keras's data_format: only 'channels_last'. */
  dataFormat?: 'channels_last' | null;
}

export class GlobalAveragePooling2D extends Layer {
  static override readonly className = 'GlobalAveragePooling2D';
  static override readonly optionKeys: readonly string[] = [
    ...LAYER_OPTION_KEYS, ...keysOf<Omit<GlobalAveragePooling2DOptions, keyof LayerOptions>>({ keepdims: true, dataFormat: true }),
  ];
  readonly keepdims: boolean;

  /** @throws ValueError for a data format other than channels_last or an unknown option. */
  constructor(options: GlobalAveragePooling2DOptions = {}) {
    const { dataFormat, ...rest } = options;
    super(rest);
    if (dataFormat !== undefined && dataFormat !== null && dataFormat !== 'channels_last') {
      throw new ValueError(`GlobalAveragePooling2D: dataFormat ${JSON.stringify(dataFormat)} is not supported; deepwell is channels-last.`);
    }
    this.keepdims = options.keepdims ?? false;
  }

  /** `new GlobalAveragePooling2D(config)`. */
  static fromConfig(config: Record<string, unknown>): GlobalAveragePooling2D {
    return new GlobalAveragePooling2D(config as GlobalAveragePooling2DOptions);
  }

  call(x: Tensor, _options: CallOptions = {}): Tensor {
    if (x.rank !== 4) throw new ShapeError(`GlobalAveragePooling2D "${this.name}": expected an input [batch, height, width, channels], got shape ${formatShape(x.shape)}.`);
    return mean(x, [1, 2], this.keepdims);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return this.keepdims ? [inputShape[0], 1, 1, inputShape[3]] : [inputShape[0], inputShape[3]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: 'channels_last', keepdims: this.keepdims };
  }
}
