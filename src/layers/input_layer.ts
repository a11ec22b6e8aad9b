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
import { LayerNode, SymbolicTensor } from './symbolic_tensor.js';

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

  /**
   * The symbolic tensor this layer feeds into a functional graph, `[null, ...inputShape]` (made on first
   * use: the layer's one node, which has no inputs).
   */
  get output(): SymbolicTensor {
    if (this.inboundNodes.length === 0) {
      const node = new LayerNode(this, 0, [], false, {});
      node.outputs.push(new SymbolicTensor([null, ...(this.inputShape as number[])], node, 0));
      this.inboundNodes.push(node);
    }
    return this.inboundNodes[0].outputs[0];
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  /** Keras 3's keys: `batchShape`, `dtype`, `sparse`, `name`. */
  override getConfig(): Record<string, unknown> {
    return { batchShape: [null, ...(this.inputShape as number[])], dtype: 'float32', sparse: false, name: this.name };
  }
}

/** Options of `Input`. */
export interface InputOptions {
  /** The shape of one sample, without the batch dimension: `[784]`. */
  shape: readonly number[];
  /** The InputLayer's name; auto-numbered when omitted (`input_layer`, `input_layer_1`, ...). */
  name?: string;
  /** 'float32' (or omitted): the only dtype deepwell computes in. */
  dtype?: string;
}

/**
 * The input of a functional model (Keras `keras.Input`): a SymbolicTensor of shape
 * `[null, ...shape]` made by a new InputLayer. Call layers on it, then `new Model({ inputs, outputs })`.
 *
 * Shapes: `Input({ shape: [784] }).shape` is `[null, 784]`.
 * @throws ValueError for an unknown option, a shape whose dims are not positive integers, or a dtype other than float32.
 * @example
 * const x = Input({ shape: [4] });
 * const y = new layers.Dense(2).apply(x);   // SymbolicTensor, shape [null, 2]
 */
export function Input(options: InputOptions): SymbolicTensor {
  checkOptionKeys('Input', options, keysOf<InputOptions>({ shape: true, name: true, dtype: true }));
  if (!Array.isArray(options.shape)) throw new ValueError(`Input: shape must be an array of positive integers (without the batch dimension), received ${JSON.stringify(options.shape)}; e.g. Input({ shape: [784] }).`);
  return new InputLayer({ inputShape: options.shape, ...(options.name !== undefined ? { name: options.name } : {}), ...(options.dtype !== undefined ? { dtype: options.dtype } : {}) }).output;
}
