/**
 * InputLayer: the input of a model, declaring the shape of one batch (`batch_shape`, batch dim null).
 * It computes nothing (y = x) and has no weights; `Sequential.getConfig()` writes it first, as Keras 3
 * does, and `Sequential.fromConfig` turns it into the input shape of the first real layer.
 *
 * Shapes: [batch, ...inputShape] -> same.
 * Reference: Keras 3 keras/src/layers/core/input_layer.py (config: batch_shape, dtype, sparse, name);
 * Keras 2 / TF.js write `batch_input_shape` instead of `batch_shape`.
 */
import { ValueError, checkOptionKeys, keysOf } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { type CallOptions, LAYER_OPTION_KEYS, Layer, type LayerOptions, type SymbolicShape } from './layer.js';

export interface InputLayerOptions extends LayerOptions {
  /** The batch shape with the batch dimension first (null): `[null, 784]`. Alternative to `inputShape`. */
  batchShape?: readonly (number | null)[];
  /** Keras's sparse input flag; only false (dense input) is supported. */
  sparse?: boolean;
}

export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  static override readonly optionKeys: readonly string[] = [...LAYER_OPTION_KEYS, ...keysOf<Omit<InputLayerOptions, keyof LayerOptions>>({ batchShape: true, sparse: true })];

  /** @throws ValueError without a shape, with a sparse input, or with a batch shape whose dims are not positive integers. */
  constructor(options: InputLayerOptions = {}) {
    checkOptionKeys(InputLayer.className, options, InputLayer.optionKeys);
    const { batchShape, sparse, ...rest } = options;
    if (sparse === true) throw new ValueError(`InputLayer: sparse inputs are not supported; received sparse: true. Use a dense input.`);
    const inputShape = rest.inputShape ?? batchShape?.slice(1);
    if (inputShape === undefined || inputShape.some((d) => !Number.isInteger(d) || (d as number) <= 0)) {
      throw new ValueError(`InputLayer: needs a shape with positive integer dims, received batchShape ${JSON.stringify(batchShape)} inputShape ${JSON.stringify(rest.inputShape)}; e.g. { batchShape: [null, 784] }.`);
    }
    super({ ...rest, inputShape: inputShape as number[] });
  }

  /** `new InputLayer(config)`. */
  static fromConfig(config: Record<string, unknown>): InputLayer {
    return new InputLayer(config as InputLayerOptions);
  }

  call(x: Tensor, _options: CallOptions = {}): Tensor {
    return x;
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  /** Keras 3's keys: `batchShape`, `dtype`, `sparse`, `name`. */
  override getConfig(): Record<string, unknown> {
    return { batchShape: [null, ...(this.inputShape as number[])], dtype: 'float32', sparse: false, name: this.name };
  }
}
