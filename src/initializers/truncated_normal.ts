import type { TypedArray } from '../core/dtype.js';
import { TRUNCATION_BOUND } from '../core/random.js';
import type { InitializerConfig } from './initializer.js';
import { readFiniteNumber, readNonNegative } from './options.js';
import { RandomInitializer } from './random_initializer.js';

/** Default mean and pre-truncation standard deviation of `TruncatedNormal` (Keras 3 and TF.js defaults). */
const DEFAULT_MEAN = 0;
const DEFAULT_STDDEV = 0.05;

/** Options of {@link TruncatedNormal}. */
export interface TruncatedNormalOptions {
  /** Mean, a finite number. Default 0. */
  mean?: number;
  /**
   * Standard deviation of the normal *before* truncation, a finite number >= 0. Default 0.05.
   * The samples' own standard deviation is 0.8796 * stddev. An explicit 0 is kept.
   */
  stddev?: number;
  /** Integer seed: the same values on every call. Default: a new stream of the global generator per call. */
  seed?: number | null;
}

/**
 * Draws every element from N(mean, stddev^2) and draws again any value more than 2 stddev from the
 * mean, so every value lies in [mean - 2 stddev, mean + 2 stddev].
 *
 * Not variance-corrected, as in Keras, tf.keras, TF.js and JAX: the standard deviation of the result
 * is 0.87962566 * stddev (its variance 0.77374 * stddev^2). To get an exact target variance use
 * `VarianceScaling` with `distribution: 'truncated_normal'`, which divides by that factor.
 *
 * Shapes: any shape -> the same shape.
 *
 * Accepted names: `'truncated_normal'`, `'TruncatedNormal'`, `'truncatedNormal'`.
 * Config: `{ mean, stddev, seed }`.
 *
 * @throws ValueError when mean is not finite, stddev is negative or not finite, or the seed is not an integer.
 *
 * Reference: Keras 3 `keras/src/initializers/random_initializers.py` (`TruncatedNormal`).
 * @example new TruncatedNormal({ stddev: 0.1, seed: 1 }).apply([100]) // every |w| <= 0.2
 */
export class TruncatedNormal extends RandomInitializer {
  static override readonly className = 'TruncatedNormal';
  static override readonly configKeys = ['mean', 'stddev', 'seed'] as const;

  readonly mean: number;
  readonly stddev: number;

  constructor(options: TruncatedNormalOptions = {}) {
    super(options);
    this.mean = readFiniteNumber(TruncatedNormal.className, 'mean', options.mean, DEFAULT_MEAN);
    this.stddev = readNonNegative(TruncatedNormal.className, 'stddev', options.stddev, DEFAULT_STDDEV);
  }

  /** Largest distance of a sample from the mean: 2 * stddev (the truncation bound of Keras and TF). */
  get bound(): number {
    return TRUNCATION_BOUND * this.stddev;
  }

  protected fill(data: TypedArray): void {
    this.rng().fillTruncatedNormal(data, this.mean, this.stddev);
  }

  getConfig(): InitializerConfig {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed };
  }
}
