/**
 * Reshape: each sample to `targetShape` (the batch dimension is kept; one entry may be -1 and is
 * inferred). No data is copied; the gradient is reshaped back.
 *
 * Shapes: [batch, ...] -> [batch, ...targetShape].
 * @throws ValueError for a target with entries other than positive integers and at most one -1;
 *   ShapeError when a sample's size does not match the target.
 * Reference: Keras 3 keras/src/layers/reshaping/reshape.py; TF.js tf.layers.reshape.
 * @example new Reshape([28, 28, 1]) on [64, 784] gives [64, 28, 28, 1].
 */
import { ShapeError, ValueError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { reshape } from '../autodiff/primitives.js';
import { type CallOptions, Layer, type LayerOptions, type SymbolicShape } from './layer.js';

export class Reshape extends Layer {
  static override readonly className = 'Reshape';
  readonly targetShape: number[];

  /** @param targetShape - the shape of one sample, positive integers with at most one -1. */
  constructor(targetShape: readonly number[], options: LayerOptions = {}) {
    super(options);
    if (!Array.isArray(targetShape) || targetShape.some((d) => !Number.isInteger(d) || (d <= 0 && d !== -1)) || targetShape.filter((d) => d === -1).length > 1) {
      throw new ValueError(`Reshape: targetShape must be a list of positive integers with at most one -1, received ${JSON.stringify(targetShape)}.`);
    }
    this.targetShape = [...targetShape];
  }

  /** `new Reshape(targetShape, options)` from a config. */
  static fromConfig(config: Record<string, unknown>): Reshape {
    const { targetShape, ...options } = config;
    return new Reshape(targetShape as number[], options as LayerOptions);
  }

  /** The target with -1 resolved for a sample of `size` elements. @throws ShapeError when it does not fit. */
  private resolve(size: number, inputShape: readonly (number | null)[]): number[] {
    const known = this.targetShape.reduce((p, d) => (d === -1 ? p : p * d), 1);
    const out = this.targetShape.map((d) => (d === -1 ? size / known : d));
    if (out.some((d) => !Number.isInteger(d)) || out.reduce((p, d) => p * d, 1) !== size) {
      throw new ShapeError(`Reshape "${this.name}": cannot reshape a sample of shape [${inputShape.slice(1).join(', ')}] (${size} values) to [${this.targetShape.join(', ')}].`);
    }
    return out;
  }

  call(x: Tensor, _options: CallOptions = {}): Tensor {
    const size = x.shape.slice(1).reduce((p, d) => p * d, 1);
    return reshape(x, [x.shape[0], ...this.resolve(size, x.shape)]);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rest = inputShape.slice(1);
    if (rest.some((d) => d === null)) return [inputShape[0], ...this.targetShape.map((d) => (d === -1 ? null : d))];
    return [inputShape[0], ...this.resolve(rest.reduce<number>((p, d) => p * (d as number), 1), inputShape)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}
