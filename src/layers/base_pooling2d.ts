/**
 * BasePooling2D: what MaxPooling2D and AveragePooling2D share (Keras 3 `BasePooling`): a window of
 * `poolSize` moved by `strides` (default: the pool size) over each channel of a channels-last map.
 *
 * Shapes: [batch, height, width, channels] -> [batch, outH, outW, channels], per spatial axis
 * out = floor((in - pool) / stride) + 1 ('valid') or ceil(in / stride) ('same').
 * Reference: Keras 3 keras/src/layers/pooling/base_pooling.py (defaults pool_size (2, 2),
 * strides None = pool_size, padding 'valid').
 */
import { ShapeError, ValueError, keysOf } from '../core/errors.js';
import { convOutputLength, normalizeTuple } from '../core/conv_geometry.js';
import { formatShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { pool2d } from '../autodiff/conv.js';
import type { PoolOp } from '../kernels/kernels.js';
import { type CallOptions, LAYER_OPTION_KEYS, Layer, type LayerOptions, type SymbolicShape } from './layer.js';

export interface Pooling2DOptions extends LayerOptions {
  /** Window size: one integer or [poolH, poolW], >= 1. Default [2, 2]. */
  poolSize?: number | readonly number[];
  /** Step between windows: one integer or [strideH, strideW]; null or omitted: the pool size. */
  strides?: number | readonly number[] | null;
  /** 'valid' (default) or 'same' (padding taps never win a max and are not counted in an average). */
  padding?: 'valid' | 'same';
  /** Keras's data_format: only 'channels_last' (the default). */
  dataFormat?: 'channels_last' | null;
}

/** The keys of `Pooling2DOptions`. */
export const POOLING2D_OPTION_KEYS: readonly string[] = [
  ...LAYER_OPTION_KEYS,
  ...keysOf<Omit<Pooling2DOptions, keyof LayerOptions>>({ poolSize: true, strides: true, padding: true, dataFormat: true }),
];

export abstract class BasePooling2D extends Layer {
  static override readonly optionKeys: readonly string[] = POOLING2D_OPTION_KEYS;
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';

  /** @throws ValueError for a pool size or stride < 1, an unknown padding or data format, or an unknown option. */
  protected constructor(readonly op: PoolOp, options: Pooling2DOptions) {
    const { dataFormat, ...rest } = options;
    super(rest);
    const cls = this.className;
    if (dataFormat !== undefined && dataFormat !== null && dataFormat !== 'channels_last') {
      throw new ValueError(`${cls}: dataFormat ${JSON.stringify(dataFormat)} is not supported; deepwell is channels-last (Keras's default).`);
    }
    this.poolSize = normalizeTuple(options.poolSize ?? 2, 2, 'poolSize', cls);
    this.strides = normalizeTuple(options.strides ?? this.poolSize, 2, 'strides', cls);
    const padding = (typeof options.padding === 'string' ? options.padding.toLowerCase() : options.padding ?? 'valid') as 'valid' | 'same'; // lowercased, as Keras
    if (padding !== 'valid' && padding !== 'same') throw new ValueError(`${cls}: padding must be 'valid' or 'same', received ${JSON.stringify(padding)}.`);
    this.padding = padding;
  }

  call(x: Tensor, _options: CallOptions = {}): Tensor {
    if (x.rank !== 4) {
      throw new ShapeError(`${this.className} "${this.name}": expected an input [batch, height, width, channels], got shape ${formatShape(x.shape)}. Add a Reshape layer before it for flat inputs.`);
    }
    return pool2d(this.op, x, this.poolSize, { strides: this.strides, padding: this.padding });
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [b, h, w, c] = inputShape;
    const out = (d: number | null, i: number): number | null => (d === null ? null : convOutputLength(d, this.poolSize[i], this.padding, this.strides[i], 1, this.name));
    return [b, out(h, 0), out(w, 1), c];
  }

  /** Keras 3's keys: pool_size, padding, strides, data_format. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: [...this.poolSize], padding: this.padding, strides: [...this.strides], dataFormat: 'channels_last' };
  }
}
