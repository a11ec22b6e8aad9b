import type { TypedArray } from '../core/dtype.js';
import { ValueError, invalidNameMessage } from '../core/errors.js';
import { TRUNCATION_BOUND } from '../core/random.js';
import type { Shape } from '../core/shape.js';
import { type Fans, computeFans } from './compute_fans.js';
import type { InitializerConfig } from './initializer.js';
import { readAxes, showValue } from './options.js';
import { RandomInitializer } from './random_initializer.js';

/** Fan modes: which fan `n` the variance is divided by (Keras 3 spellings). */
export const VARIANCE_SCALING_MODES = ['fan_in', 'fan_out', 'fan_avg'] as const;
/** A fan mode in Keras spelling: `'fan_in'`, `'fan_out'` or `'fan_avg'`. */
export type VarianceScalingMode = (typeof VARIANCE_SCALING_MODES)[number];

/** TF.js camelCase spellings of the modes, accepted as aliases. */
const MODE_ALIASES = { fanIn: 'fan_in', fanOut: 'fan_out', fanAvg: 'fan_avg' } as const satisfies Record<string, VarianceScalingMode>;
/** A mode as a user may write it: Keras snake_case or TF.js camelCase. */
export type VarianceScalingModeInput = VarianceScalingMode | keyof typeof MODE_ALIASES;

/** Distributions (Keras 3 spellings). */
export const VARIANCE_SCALING_DISTRIBUTIONS = ['truncated_normal', 'untruncated_normal', 'uniform'] as const;
/** A distribution in Keras spelling: `'truncated_normal'`, `'untruncated_normal'` or `'uniform'`. */
export type VarianceScalingDistribution = (typeof VARIANCE_SCALING_DISTRIBUTIONS)[number];

/**
 * Aliases of the distributions: Keras's `'normal'` means truncated_normal (Keras 3, tf.keras, Keras 2;
 * JAX's 'normal' is untruncated, TF.js's is truncated but uncorrected); TF.js camelCase spellings.
 */
const DISTRIBUTION_ALIASES = {
  normal: 'truncated_normal',
  truncatedNormal: 'truncated_normal',
  untruncatedNormal: 'untruncated_normal',
} as const satisfies Record<string, VarianceScalingDistribution>;
/** A distribution as a user may write it: Keras snake_case, `'normal'`, or TF.js camelCase. */
export type VarianceScalingDistributionInput = VarianceScalingDistribution | keyof typeof DISTRIBUTION_ALIASES;

/**
 * Standard deviation of N(0, 1) truncated to (-2, 2): scipy.stats.truncnorm.std(a=-2, b=2)
 * = sqrt(1 - 4 phi(2) / (2 Phi(2) - 1)). Dividing the normal's sigma by it restores the requested
 * standard deviation after truncation. Keras 3, tf.keras and JAX write the same 17-digit literal.
 */
export const TRUNCATED_NORMAL_STDDEV_FACTOR = 0.87962566103423978;

/** U(-L, L) has variance L^2 / 3, so the limit for variance v is L = sqrt(3 v). */
const UNIFORM_VARIANCE_DIVISOR = 3;

/** Keras divides by max(1, n): a fan of 0 (zero-size dimension) behaves like 1 instead of dividing by 0. */
const MIN_FAN = 1;

/** Defaults of `VarianceScaling` (Keras 3 `VarianceScaling.__init__`). */
const DEFAULT_SCALE = 1;
const DEFAULT_MODE: VarianceScalingMode = 'fan_in';
const DEFAULT_DISTRIBUTION: VarianceScalingDistribution = 'truncated_normal';

/** Options of {@link VarianceScaling}. */
export interface VarianceScalingOptions {
  /** Variance multiplier, a finite number > 0. Default 1. Glorot and LeCun use 1, He uses 2. */
  scale?: number;
  /** `'fan_in'` (default), `'fan_out'` or `'fan_avg'`; TF.js spellings `fanIn`, `fanOut`, `fanAvg` are accepted. Case-sensitive. */
  mode?: VarianceScalingModeInput;
  /**
   * `'truncated_normal'` (default), `'untruncated_normal'` or `'uniform'`; `'normal'` is an alias of
   * `'truncated_normal'` (Keras), and TF.js's `truncatedNormal`/`untruncatedNormal` are accepted.
   * Case-insensitive for the snake_case names, as Keras 3 lower-cases it.
   */
  distribution?: VarianceScalingDistributionInput;
  /** Integer seed: the same values on every call. Default: a new stream of the global generator per call. */
  seed?: number | null;
  /** Axes whose product is fanIn; used only together with `outputAxes` (Keras >= 3.15). */
  inputAxes?: readonly number[] | null;
  /** Axes whose product is fanOut; used only together with `inputAxes` (Keras >= 3.15). */
  outputAxes?: readonly number[] | null;
}

/** What `VarianceScaling` will draw for one shape: the numbers of the formula, for tests and diagnostics. */
export interface VarianceScalingStats {
  readonly fanIn: number;
  readonly fanOut: number;
  /** The fan of the mode: fanIn, fanOut or (fanIn + fanOut) / 2 (before the max(1, n) guard). */
  readonly n: number;
  /** Target variance of every element: scale / max(1, n). */
  readonly variance: number;
  /** Target standard deviation: sqrt(variance). */
  readonly stddev: number;
  /** Uniform only: samples lie in [-limit, limit), limit = sqrt(3 variance). */
  readonly limit?: number;
  /** Normal distributions only: sigma given to the normal sampler (stddev / 0.8796... when truncated). */
  readonly samplingStddev?: number;
  /** Truncated normal only: every |w| <= bound = 2 samplingStddev = 2.2737 stddev. */
  readonly bound?: number;
}

/** Limit L of U[-L, L) with variance v: L = sqrt(3 v). */
function uniformLimit(variance: number): number {
  return Math.sqrt(UNIFORM_VARIANCE_DIVISOR * variance);
}

/** Sigma of the normal that, truncated to +-2 sigma, has variance v: sqrt(v) / 0.8796... */
function truncatedSamplingStddev(variance: number): number {
  return Math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV_FACTOR;
}

function normalizeMode(value: unknown): VarianceScalingMode {
  if (typeof value === 'string') {
    if ((VARIANCE_SCALING_MODES as readonly string[]).includes(value)) return value as VarianceScalingMode;
    if (Object.hasOwn(MODE_ALIASES, value)) return MODE_ALIASES[value as keyof typeof MODE_ALIASES];
  }
  throw new ValueError(invalidNameMessage('VarianceScaling mode', value, VARIANCE_SCALING_MODES));
}

function normalizeDistribution(value: unknown): VarianceScalingDistribution {
  if (typeof value === 'string') {
    const lower = value.toLowerCase(); // Keras 3 lower-cases the distribution before checking it.
    if ((VARIANCE_SCALING_DISTRIBUTIONS as readonly string[]).includes(lower)) return lower as VarianceScalingDistribution;
    for (const key of [value, lower]) {
      if (Object.hasOwn(DISTRIBUTION_ALIASES, key)) return DISTRIBUTION_ALIASES[key as keyof typeof DISTRIBUTION_ALIASES];
    }
  }
  throw new ValueError(invalidNameMessage('VarianceScaling distribution', value, [...VARIANCE_SCALING_DISTRIBUTIONS, 'normal']));
}

function readScale(value: unknown, allowZero: boolean): number {
  if (value === undefined) return DEFAULT_SCALE;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (value === 0 && !allowZero)) {
    throw new ValueError(
      `Invalid VarianceScaling scale: received ${showValue(value)}; expected a finite number > 0 (1 for Glorot and LeCun, 2 for He).`,
    );
  }
  return value;
}

/**
 * Draws weights whose variance is scale / n, where n is a fan of the kernel: the one recipe behind
 * Glorot/Xavier, He/Kaiming and LeCun initialization.
 *
 * ```
 * (fanIn, fanOut) = computeFans(shape)               // Keras 3 rules, see computeFans
 * n = fanIn | fanOut | (fanIn + fanOut) / 2          // by mode
 * v = scale / max(1, n)                              // target variance
 * truncated_normal:   sigma = sqrt(v) / 0.87962566103423978; N(0, sigma^2) redrawn beyond +-2 sigma
 * untruncated_normal: sigma = sqrt(v); N(0, sigma^2)
 * uniform:            L = sqrt(3 v); U[-L, L)
 * ```
 *
 * The realized variance is exactly v for all three distributions (for truncated_normal, up to the
 * 17-digit constant). `describe(shape)` returns these numbers without drawing.
 *
 * Shapes: kernel `[inFeatures, units]` or `[...spatial, inChannels, outChannels]` (Keras layout) ->
 * the same shape.
 *
 * Accepted names: `'variance_scaling'`, `'VarianceScaling'`, `'varianceScaling'`.
 * Config: `{ scale, mode, distribution, seed }` with mode and distribution in Keras spelling
 * (`'normal'` is stored as `'truncated_normal'`, as Keras does), plus `inputAxes`/`outputAxes` when given.
 *
 * Follows Keras 3 (and tf.keras 2.x) exactly. TF.js differs: its `'normal'` is not variance-corrected
 * (variance 0.774 v, tfjs#8594) and its rank 0/1/>=6 fans are sqrt(prod(shape)); a TF.js config read
 * here gets Keras's exact variance.
 *
 * @throws ValueError at construction when mode or distribution is not a valid name (the message gives
 *   the valid names and the nearest one, e.g. "Did you mean 'fan_avg'?"), when scale is not a finite
 *   number > 0, when the seed is not an integer, or when an axes option is not an array of integers.
 * @throws ShapeError from `apply`/`describe` when the shape is invalid or an axis does not fit it.
 *
 * Reference: Keras 3 `keras/src/initializers/random_initializers.py` (`VarianceScaling`);
 * Glorot & Bengio 2010 (AISTATS); He et al. 2015 (arXiv:1502.01852); LeCun et al. 1998 ("Efficient BackProp").
 * @example new VarianceScaling({ scale: 2, mode: 'fan_avg', distribution: 'uniform' }).describe([256, 128]).limit
 *   // sqrt(3 * 2 / 192) = 0.1767766953
 */
export class VarianceScaling extends RandomInitializer {
  static override readonly className: string = 'VarianceScaling';
  static override readonly configKeys: readonly string[] = ['scale', 'mode', 'distribution', 'seed', 'inputAxes', 'outputAxes'];
  /** Whether a scale of 0 (all zeros) is accepted: not by Keras; by PyTorch's gain 0 (see pytorch.ts). */
  protected static readonly allowsZeroScale: boolean = false;

  readonly scale: number;
  readonly mode: VarianceScalingMode;
  readonly distribution: VarianceScalingDistribution;
  readonly inputAxes: readonly number[] | null;
  readonly outputAxes: readonly number[] | null;

  constructor(options: VarianceScalingOptions = {}) {
    // Checked against VarianceScaling's keys also when a preset calls this: the preset has already
    // checked its user's options against its own (fewer) keys and adds its fixed recipe.
    super(options, VarianceScaling.configKeys);
    // Keras checks scale, then mode, then distribution.
    this.scale = readScale(options.scale, new.target.allowsZeroScale);
    this.mode = options.mode === undefined ? DEFAULT_MODE : normalizeMode(options.mode);
    this.distribution = options.distribution === undefined ? DEFAULT_DISTRIBUTION : normalizeDistribution(options.distribution);
    this.inputAxes = readAxes(new.target.className, 'inputAxes', options.inputAxes);
    this.outputAxes = readAxes(new.target.className, 'outputAxes', options.outputAxes);
  }

  /**
   * The fans, the target variance and the distribution's parameters for a kernel of `shape`.
   * @throws ShapeError when the shape is invalid or an axis does not fit it.
   * @example new HeNormal().describe([256, 128])
   *   // { fanIn: 256, fanOut: 128, n: 256, variance: 0.0078125, stddev: 0.0883883476, samplingStddev: 0.1004840486, bound: 0.2009680971 }
   */
  describe(shape: Shape): VarianceScalingStats {
    const { fanIn, fanOut } = this.fans(shape);
    let n: number;
    switch (this.mode) {
      case 'fan_in': n = fanIn; break;
      case 'fan_out': n = fanOut; break;
      case 'fan_avg': n = (fanIn + fanOut) / 2; break;
      default: throw new Error(this.mode satisfies never);
    }
    const variance = this.scale / Math.max(MIN_FAN, n);
    const stddev = Math.sqrt(variance);
    switch (this.distribution) {
      case 'uniform':
        return { fanIn, fanOut, n, variance, stddev, limit: uniformLimit(variance) };
      case 'truncated_normal': {
        const samplingStddev = truncatedSamplingStddev(variance);
        return { fanIn, fanOut, n, variance, stddev, samplingStddev, bound: TRUNCATION_BOUND * samplingStddev };
      }
      case 'untruncated_normal':
        return { fanIn, fanOut, n, variance, stddev, samplingStddev: stddev };
      default:
        throw new Error(this.distribution satisfies never);
    }
  }

  /** The fans of `shape` by Keras's rules (`computeFans`, with the axes options); the PyTorch presets read their layout. */
  protected fans(shape: Shape): Fans {
    return computeFans(shape, { inputAxes: this.inputAxes, outputAxes: this.outputAxes });
  }

  /** Draws with the parameters of `describe(shape)` (limit or samplingStddev), so a preset that refines them draws with its numbers. */
  protected fill(data: TypedArray, shape: Shape): void {
    const { limit, samplingStddev } = this.describe(shape);
    const rng = this.rng();
    switch (this.distribution) {
      case 'uniform':
        rng.fillUniform(data, -(limit as number), limit as number);
        break;
      case 'truncated_normal':
        rng.fillTruncatedNormal(data, 0, samplingStddev as number);
        break;
      case 'untruncated_normal':
        rng.fillNormal(data, 0, samplingStddev as number);
        break;
      default:
        throw new Error(this.distribution satisfies never);
    }
  }

  /** The axes options, only when given (so configs stay readable by Keras < 3.15). */
  protected axesConfig(): InitializerConfig {
    const out: InitializerConfig = {};
    if (this.inputAxes !== null) out.inputAxes = [...this.inputAxes];
    if (this.outputAxes !== null) out.outputAxes = [...this.outputAxes];
    return out;
  }

  getConfig(): InitializerConfig {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed, ...this.axesConfig() };
  }
}
