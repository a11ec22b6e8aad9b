import type { TypedArray } from '../core/dtype.js';
import type { InitializerConfig } from './initializer.js';
import { readFiniteNumber, readNonNegative } from './options.js';
import { RandomInitializer } from './random_initializer.js';

/** Default mean and standard deviation of `RandomNormal`: N(0, 0.05^2) (Keras 3 and TF.js defaults). */
const DEFAULT_MEAN = 0;
const DEFAULT_STDDEV = 0.05;

/** Options of {@link RandomNormal}. */
export interface RandomNormalOptions {
  /** Mean, a finite number. Default 0. */
  mean?: number;
  /** Standard deviation, a finite number >= 0. Default 0.05. An explicit 0 is kept (every value = mean). */
  stddev?: number;
  /** Integer seed: the same values on every call. Default: a new stream of the global generator per call. */
  seed?: number | null;
}

/**
 * Draws every element from the normal distribution N(mean, stddev^2), not truncated.
 *
 * Shapes: any shape -> the same shape.
 *
 * Accepted names: `'random_normal'`, `'normal'`, `'RandomNormal'`, `'randomNormal'`.
 * Config: `{ mean, stddev, seed }`.
 *
 * Follows Keras 3. Unlike TF.js (`args.stddev || 0.05`), an explicit `stddev: 0` is honoured.
 *
 * @throws ValueError when mean is not finite, stddev is negative or not finite, or the seed is not an integer.
 *
 * Reference: Keras 3 `keras/src/initializers/random_initializers.py` (`RandomNormal`).
 * @example new RandomNormal({ mean: 1, stddev: 0 }).apply([2]).data // Float32Array [1, 1]
 */
export class RandomNormal extends RandomInitializer {
  static override readonly className = 'RandomNormal';
  static override readonly configKeys = ['mean', 'stddev', 'seed'] as const;

  readonly mean: number;
  readonly stddev: number;

  constructor(options: RandomNormalOptions = {}) {
    super(options);
    this.mean = readFiniteNumber(RandomNormal.className, 'mean', options.mean, DEFAULT_MEAN);
    this.stddev = readNonNegative(RandomNormal.className, 'stddev', options.stddev, DEFAULT_STDDEV);
  }

  protected fill(data: TypedArray): void {
    this.rng().fillNormal(data, this.mean, this.stddev);
  }

  getConfig(): InitializerConfig {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed };
  }
}
