import type { TypedArray } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import type { InitializerConfig } from './initializer.js';
import { readFiniteNumber } from './options.js';
import { RandomInitializer } from './random_initializer.js';

/** Default bounds of `RandomUniform`: U[-0.05, 0.05) (Keras 3 and TF.js `RandomUniform` defaults). */
const DEFAULT_MINVAL = -0.05;
const DEFAULT_MAXVAL = 0.05;

/** Options of {@link RandomUniform}. */
export interface RandomUniformOptions {
  /** Lower bound (inclusive), a finite number. Default -0.05. An explicit 0 is kept. */
  minval?: number;
  /** Upper bound (exclusive), a finite number >= minval. Default 0.05. */
  maxval?: number;
  /** Integer seed: the same values on every call. Default: a new stream of the global generator per call. */
  seed?: number | null;
}

/**
 * Draws every element from the uniform distribution U[minval, maxval): the lower bound may occur,
 * the upper bound never does (also after rounding to float32). Mean (minval + maxval)/2, variance
 * (maxval - minval)^2 / 12.
 *
 * Shapes: any shape -> the same shape.
 *
 * Accepted names: `'random_uniform'`, `'uniform'`, `'RandomUniform'`, `'randomUniform'`.
 * Config: `{ minval, maxval, seed }`.
 *
 * Follows Keras 3. Unlike TF.js (`args.minval || -0.05`), an explicit `minval: 0` or `maxval: 0` is
 * honoured.
 *
 * @throws ValueError when a bound is not a finite number, when minval > maxval, or for a non-integer seed.
 *
 * Reference: Keras 3 `keras/src/initializers/random_initializers.py` (`RandomUniform`).
 * @example new RandomUniform({ minval: 0, maxval: 1, seed: 42 }).apply([3]) // 3 values in [0, 1)
 */
export class RandomUniform extends RandomInitializer {
  static override readonly className = 'RandomUniform';
  static override readonly configKeys = ['minval', 'maxval', 'seed'] as const;

  readonly minval: number;
  readonly maxval: number;

  constructor(options: RandomUniformOptions = {}) {
    super(options);
    this.minval = readFiniteNumber(RandomUniform.className, 'minval', options.minval, DEFAULT_MINVAL);
    this.maxval = readFiniteNumber(RandomUniform.className, 'maxval', options.maxval, DEFAULT_MAXVAL);
    if (this.minval > this.maxval) {
      throw new ValueError(
        `Invalid RandomUniform bounds: received minval ${this.minval} > maxval ${this.maxval}; expected minval <= maxval. Swap them.`,
      );
    }
  }

  protected fill(data: TypedArray): void {
    this.rng().fillUniform(data, this.minval, this.maxval);
  }

  getConfig(): InitializerConfig {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed };
  }
}
