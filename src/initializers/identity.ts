import type { TypedArray } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import { type Shape, formatShape } from '../core/shape.js';
import { Initializer, type InitializerConfig } from './initializer.js';
import { readFiniteNumber } from './options.js';

/** Default multiplier of the identity matrix (Keras 3 `Identity(gain=1.0)`). */
const DEFAULT_GAIN = 1;

/** Options of {@link Identity}. */
export interface IdentityOptions {
  /** Multiplier of the identity matrix, a finite number. Default 1. An explicit 0 is kept. */
  gain?: number;
}

/**
 * Identity initializer: W = gain * eye(rows, cols), ones (times gain) on the main diagonal,
 * zeros elsewhere. Rectangular matrices are allowed: a [3, 5] kernel gets W[i][i] = gain for i < 3.
 *
 * With a linear activation a square identity kernel passes its input through unchanged, a useful
 * starting point for residual-like or recurrent layers (Le, Jaitly & Hinton 2015, IRNN).
 *
 * Shapes: `[rows, cols]` (rank 2 only) -> the same shape.
 *
 * Accepted names: `'identity'`, `'Identity'`, and Keras < 3.7's `'IdentityInitializer'`.
 * Config: `{ gain }`.
 *
 * Follows Keras 3 (rectangular allowed, as Keras >= 2.3 and PyTorch's `eye_`); TF.js accepts only
 * square matrices.
 *
 * @throws ValueError at construction when gain is not a finite number; from `apply` when the shape is
 *   not of rank 2.
 *
 * Reference: Keras 3 `keras/src/initializers/constant_initializers.py` (`Identity`).
 * @example new Identity({ gain: 2 }).apply([2, 3]).data // Float32Array [2, 0, 0, 0, 2, 0]
 */
export class Identity extends Initializer {
  static override readonly className = 'Identity';
  static override readonly configKeys = ['gain'] as const;

  readonly gain: number;

  constructor(options: IdentityOptions = {}) {
    super(options);
    this.gain = readFiniteNumber(Identity.className, 'gain', options.gain, DEFAULT_GAIN);
  }

  protected fill(data: TypedArray, shape: Shape): void {
    if (shape.length !== 2) {
      throw new ValueError(
        `Identity: received shape ${formatShape(shape)} of rank ${shape.length}; expected a 2-D shape [rows, cols] ` +
          `(e.g. a Dense kernel). For convolution kernels use 'orthogonal' or a VarianceScaling initializer.`,
      );
    }
    const [rows, cols] = shape;
    for (let i = 0; i < Math.min(rows, cols); i++) data[i * cols + i] = this.gain;
  }

  getConfig(): InitializerConfig {
    return { gain: this.gain };
  }
}
