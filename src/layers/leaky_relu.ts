/**
 * LeakyReLU: y = x for x > 0, negativeSlope * x otherwise (the derivative at 0 is negativeSlope).
 *
 * Shapes: any -> same.
 * Options: `negativeSlope` >= 0, default 0.3 (Keras 3's LeakyReLU layer; the `leaky_relu`
 * activation function defaults to 0.2); `alpha` is accepted as its Keras 2 / TF.js name.
 * @throws ValueError for a negative or non-finite slope, or `alpha` and `negativeSlope` that disagree.
 * Reference: Maas et al. 2013 (ICML workshop, "Rectifier nonlinearities improve neural network
 * acoustic models"); Keras 3 keras/src/layers/activations/leaky_relu.py (`negative_slope=0.3`).
 * @example new LeakyReLU({ negativeSlope: 0.5 }).apply(tensor([-10, -5, 0, 5, 10])) // [-5, -2.5, 0, 5, 10]
 */
import { ValueError, keysOf } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { unary } from '../autodiff/primitives.js';
import { type CallOptions, LAYER_OPTION_KEYS, Layer, type LayerOptions, type SymbolicShape } from './layer.js';

/** Keras 3's default slope of the LeakyReLU layer. */
export const LEAKY_RELU_LAYER_SLOPE = 0.3;

export interface LeakyReLUOptions extends LayerOptions {
  /** Slope for x <= 0, a finite number >= 0. Default 0.3. */
  negativeSlope?: number;
  /** Keras 2 / TF.js name of `negativeSlope`. */
  alpha?: number;
}

export class LeakyReLU extends Layer {
  static override readonly className = 'LeakyReLU';
  static override readonly optionKeys: readonly string[] = [
    ...LAYER_OPTION_KEYS,
    ...keysOf<Omit<LeakyReLUOptions, keyof LayerOptions>>({ negativeSlope: true, alpha: true }),
  ];
  readonly negativeSlope: number;

  constructor(options: LeakyReLUOptions = {}) {
    super(options);
    if (options.alpha !== undefined && options.negativeSlope !== undefined && options.alpha !== options.negativeSlope) {
      throw new ValueError(`LeakyReLU: alpha (${options.alpha}) and negativeSlope (${options.negativeSlope}) disagree; alpha is the old name of negativeSlope, give only one.`);
    }
    const slope = options.negativeSlope ?? options.alpha ?? LEAKY_RELU_LAYER_SLOPE;
    if (typeof slope !== 'number' || !Number.isFinite(slope) || slope < 0) {
      throw new ValueError(`LeakyReLU: negativeSlope must be a finite number >= 0, received ${String(slope)}. Typical values are 0.01 to 0.3.`);
    }
    this.negativeSlope = slope;
  }

  /** `new LeakyReLU(config)`. */
  static fromConfig(config: Record<string, unknown>): LeakyReLU {
    return new LeakyReLU(config as LeakyReLUOptions);
  }

  call(x: Tensor, _options: CallOptions = {}): Tensor {
    return unary('leaky_relu', x, this.negativeSlope);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), negativeSlope: this.negativeSlope };
  }
}
