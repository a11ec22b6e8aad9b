/**
 * ZeroPadding2D: adds rows and columns of zeros around each feature map, composed from the concat
 * primitive (its gradient is the matching slice of dy).
 *
 * Shapes: [batch, height, width, channels] -> [batch, top + height + bottom, left + width + right, channels].
 * Options: `padding`: an integer p (p on all four sides), [ph, pw] (ph top and bottom, pw left and
 * right), or [[top, bottom], [left, right]]; default 1. Integers >= 0.
 * @throws ValueError for another padding form or a negative amount.
 * Reference: Keras 3 keras/src/layers/reshaping/zero_padding2d.py; TF.js tf.layers.zeroPadding2d.
 * @example padding 1 on [[5]] (1x1, one channel) gives [[0, 0, 0], [0, 5, 0], [0, 0, 0]].
 */
import { allocate } from '../core/dtype.js';
import { ShapeError, ValueError, keysOf } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { concat } from '../autodiff/primitives.js';
import { type CallOptions, LAYER_OPTION_KEYS, Layer, type LayerOptions, type SymbolicShape } from './layer.js';

export interface ZeroPadding2DOptions extends LayerOptions {
  /** p, [ph, pw] or [[top, bottom], [left, right]]. Default 1. */
  padding?: number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];
  /** Keras's data_format: only 'channels_last'. */
  dataFormat?: 'channels_last' | null;
}

export class ZeroPadding2D extends Layer {
  static override readonly className = 'ZeroPadding2D';
  static override readonly optionKeys: readonly string[] = [
    ...LAYER_OPTION_KEYS, ...keysOf<Omit<ZeroPadding2DOptions, keyof LayerOptions>>({ padding: true, dataFormat: true }),
  ];
  /** [[top, bottom], [left, right]]. */
  readonly padding: [[number, number], [number, number]];

  constructor(options: ZeroPadding2DOptions = {}) {
    const { dataFormat, ...rest } = options;
    super(rest);
    if (dataFormat !== undefined && dataFormat !== null && dataFormat !== 'channels_last') {
      throw new ValueError(`ZeroPadding2D: dataFormat ${JSON.stringify(dataFormat)} is not supported; deepwell is channels-last.`);
    }
    const p: unknown = options.padding ?? 1;
    const ok = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
    if (ok(p)) this.padding = [[p, p], [p, p]];
    else if (Array.isArray(p) && p.length === 2 && ok(p[0]) && ok(p[1])) this.padding = [[p[0], p[0]], [p[1], p[1]]];
    else if (Array.isArray(p) && p.length === 2 && p.every((q) => Array.isArray(q) && q.length === 2 && q.every(ok))) {
      this.padding = [[p[0][0], p[0][1]], [p[1][0], p[1][1]]];
    } else {
      throw new ValueError(`ZeroPadding2D: padding must be an integer >= 0, [ph, pw] or [[top, bottom], [left, right]], received ${JSON.stringify(p)}.`);
    }
  }

  /** `new ZeroPadding2D(config)`. */
  static fromConfig(config: Record<string, unknown>): ZeroPadding2D {
    return new ZeroPadding2D(config as ZeroPadding2DOptions);
  }

  call(x: Tensor, _options: CallOptions = {}): Tensor {
    if (x.rank !== 4) throw new ShapeError(`ZeroPadding2D "${this.name}": expected an input [batch, height, width, channels], got shape ${formatShape(x.shape)}.`);
    const [[top, bottom], [left, right]] = this.padding;
    const zeros = (shape: number[]): Tensor => new Tensor(allocate(x.dtype, shape.reduce((a, d) => a * d, 1)), shape);
    const [b, h, w, c] = x.shape;
    const rows = [top > 0 ? [zeros([b, top, w, c])] : [], [x], bottom > 0 ? [zeros([b, bottom, w, c])] : []].flat();
    const tall = rows.length === 1 ? x : concat(rows, 1);
    const hh = h + top + bottom;
    const cols = [left > 0 ? [zeros([b, hh, left, c])] : [], [tall], right > 0 ? [zeros([b, hh, right, c])] : []].flat();
    return cols.length === 1 ? tall : concat(cols, 2);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [b, h, w, c] = inputShape;
    const [[top, bottom], [left, right]] = this.padding;
    return [b, h === null ? null : h + top + bottom, w === null ? null : w + left + right, c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding.map((q) => [...q]), dataFormat: 'channels_last' };
  }
}
