/**
 * PyTorch's initialization conventions (`torch.nn.init`) for users who come from it:
 * `calculateGain`, and the Xavier and Kaiming initializers with PyTorch's formulas, its gain
 * table and its *untruncated* normal.
 *
 * The one thing to get right when moving between the two frameworks is the kernel layout:
 *
 * | layer | PyTorch weight | deepwell / Keras kernel |
 * |---|---|---|
 * | Linear / Dense, in -> out | `[out, in]` (used as x W^T) | `[in, out]` (used as x W) |
 * | Conv2d, C_in -> C_out, k_h x k_w | `[C_out, C_in, k_h, k_w]` | `[k_h, k_w, C_in, C_out]` |
 *
 * Worked example, Linear(256 -> 128): PyTorch's weight is `[128, 256]` and its
 * `_calculate_fan_in_and_fan_out` reads fan_in = shape[1] = 256; deepwell's Dense kernel is
 * `[256, 128]` and Keras's rule reads fan_in = shape[0] = 256. The same layer has the same fans when
 * the `layout` option matches the array: `layout: 'keras'` (the default) for deepwell kernels,
 * `layout: 'pytorch'` for arrays in PyTorch's order (e.g. weights you will hand to PyTorch). Applying
 * PyTorch's rule to a deepwell kernel would swap fan_in and fan_out, which changes every fan_in-based
 * initializer on a non-square kernel (kaiming on [256, 128] would use 128 instead of 256).
 *
 * The four classes here serialize under their own class names (`XavierUniform`, `XavierNormal`,
 * `KaimingUniform`, `KaimingNormal`), which deepwell reads back but Keras and TF.js do not know.
 * For files that Keras must read use the Keras equivalents: `GlorotUniform` is
 * `XavierUniform({ gain: 1 })` and `HeUniform` is `KaimingUniform({ nonlinearity: 'relu' })`
 * exactly; `GlorotNormal`/`HeNormal` have the same variance as `XavierNormal`/`KaimingNormal` but
 * are truncated at +-2 sigma (variance-corrected).
 *
 * The four classes are presets of `VarianceScaling` (as Keras and JAX define theirs), through one base
 * (`PytorchInitializer`) that adds the layout and the gain: Xavier is `VarianceScaling` with
 * scale gain^2 and mode 'fan_avg', Kaiming with scale calculateGain(nonlinearity, a)^2 and mode
 * 'fan_in' or 'fan_out', and PyTorch's untruncated normal is the 'untruncated_normal' distribution.
 * They share `calculateGain` and the layout rule, so they live in this one module rather than one
 * file each: the PyTorch conventions read in one place.
 *
 * Reference: PyTorch `torch/nn/init.py` (`calculate_gain`, `_calculate_fan_in_and_fan_out`,
 * `xavier_uniform_`, `xavier_normal_`, `kaiming_uniform_`, `kaiming_normal_`), read at
 * cyyever/pytorch 0011014f6f (a current fork of main).
 */
import type { TypedArray } from '../core/dtype.js';
import { ValueError, checkOptionKeys, invalidNameMessage, nearestName } from '../core/errors.js';
import { type Shape, checkShape, formatShape } from '../core/shape.js';
import { type Fans, computeFans } from './compute_fans.js';
import type { InitializerConfig } from './initializer.js';
import { readFiniteNumber, readNonNegative, showValue } from './options.js';
import { VarianceScaling, type VarianceScalingStats } from './variance_scaling.js';

// ---------------------------------------------------------------------------------------------
// calculateGain

/** The nonlinearities of PyTorch's gain table (`torch.nn.init._NonlinearityType`), in its order. */
export const PYTORCH_NONLINEARITIES = [
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv_transpose1d',
  'conv_transpose2d',
  'conv_transpose3d',
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'selu',
] as const;
/** A nonlinearity name of PyTorch's gain table, e.g. `'relu'` or `'leaky_relu'`. */
export type Nonlinearity = (typeof PYTORCH_NONLINEARITIES)[number];

/** calculate_gain's negative slope of leaky_relu when no param is given (PyTorch's `nn.LeakyReLU` default). */
const DEFAULT_LEAKY_RELU_SLOPE = 0.01;
/** Gain of tanh in PyTorch's table: 5/3, an empirical factor that makes up for tanh shrinking its inputs. */
const TANH_GAIN = 5 / 3;
/** Gain of ReLU: sqrt(2), since ReLU zeroes half of its inputs and halves the second moment (He et al. 2015). */
const RELU_GAIN = Math.SQRT2;
/** Gain of SELU in PyTorch's table: 3/4, "found empirically" (pytorch/pytorch PR #50664). */
const SELU_GAIN = 3 / 4;

/**
 * Activations outside PyTorch's table, mapped to the entry to suggest. Edit distance alone would
 * suggest 'selu' for 'gelu' and 'elu', which would be bad advice (3/4 instead of about sqrt(2)).
 */
const NONLINEARITY_SUGGESTIONS: Readonly<Record<string, Nonlinearity>> = {
  gelu: 'relu',
  elu: 'relu',
  silu: 'relu',
  swish: 'relu',
  prelu: 'leaky_relu',
  relu6: 'relu',
  mish: 'relu',
  identity: 'linear',
  softmax: 'linear',
  logistic: 'sigmoid',
  leakyRelu: 'leaky_relu',
  leakyReLU: 'leaky_relu',
};

function unsupportedNonlinearity(value: unknown): ValueError {
  const list = PYTORCH_NONLINEARITIES.map((n) => `'${n}'`).join(', ');
  let hint = '';
  if (typeof value === 'string') {
    const mapped = Object.hasOwn(NONLINEARITY_SUGGESTIONS, value) ? NONLINEARITY_SUGGESTIONS[value] : undefined;
    const near = mapped ?? nearestName(value, PYTORCH_NONLINEARITIES);
    if (mapped === 'relu') {
      hint = ` PyTorch's table has no entry for '${value}'; for ReLU-like activations the usual choice is He's gain sqrt(2). Did you mean 'relu'?`;
    } else if (near !== undefined) {
      hint = ` Did you mean '${near}'?`;
    }
  }
  return new ValueError(`Unsupported nonlinearity: received ${showValue(value)}; expected one of ${list}.${hint}`);
}

/**
 * The recommended gain for a nonlinearity: the factor by which to scale the standard deviation of
 * the weights so that signals keep their scale through the layer. PyTorch's table:
 *
 * | nonlinearity | gain |
 * |---|---|
 * | `'linear'`, `'conv1d'`, `'conv2d'`, `'conv3d'`, `'conv_transpose1d'`, `'conv_transpose2d'`, `'conv_transpose3d'`, `'sigmoid'` | 1 |
 * | `'tanh'` | 5/3 = 1.6666666667 |
 * | `'relu'` | sqrt(2) = 1.4142135624 |
 * | `'leaky_relu'` | sqrt(2 / (1 + slope^2)), slope = `param`, default 0.01 -> 1.4141428570 |
 * | `'selu'` | 3/4 (empirical, PyTorch PR #50664) |
 *
 * Names are case-sensitive, as in PyTorch. `param` is read only for `'leaky_relu'` (ignored
 * otherwise, as in PyTorch). deepwell's `leaky_relu` activation has slope 0.2 (Keras), not
 * PyTorch's 0.01: pass it, `calculateGain('leaky_relu', 0.2)` = 1.3867504906.
 *
 * PyTorch's warning: for a self-normalizing (SELU) network use `'linear'` (variance 1/N, LeCun),
 * not `'selu'`, whose 3/4 trades the self-normalizing fixed point for gradient stability.
 *
 * @param nonlinearity - a name of the table above.
 * @param param - leaky_relu's negative slope, a finite number; `undefined`/`null` means 0.01.
 * @throws ValueError for a name outside the table (with the valid names and a suggestion: 'gelu',
 *   'elu' and 'swish' get 'relu'), or a leaky_relu param that is not a finite number.
 *
 * Reference: PyTorch `torch/nn/init.py` (`calculate_gain`).
 * @example calculateGain('relu') // 1.4142135623730951
 * @example calculateGain('leaky_relu', Math.sqrt(5)) // sqrt(1/3) = 0.5773502692 (PyTorch's default Linear init)
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number | null): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return TANH_GAIN;
    case 'relu':
      return RELU_GAIN;
    case 'leaky_relu': {
      let slope = DEFAULT_LEAKY_RELU_SLOPE;
      if (param !== undefined && param !== null) {
        if (typeof param !== 'number' || !Number.isFinite(param)) {
          throw new ValueError(
            `calculateGain('leaky_relu'): negative slope received ${showValue(param)}; expected a finite number ` +
              `(e.g. 0.01, PyTorch's default, or 0.2, deepwell's leaky_relu), or nothing for 0.01.`,
          );
        }
        slope = param;
      }
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return SELU_GAIN;
    default:
      nonlinearity satisfies never;
      throw unsupportedNonlinearity(nonlinearity);
  }
}

function readNonlinearity(value: unknown): Nonlinearity {
  if (typeof value === 'string' && (PYTORCH_NONLINEARITIES as readonly string[]).includes(value)) return value as Nonlinearity;
  throw unsupportedNonlinearity(value);
}

// ---------------------------------------------------------------------------------------------
// Fans by layout

/** Kernel layouts: `'keras'` `[in, out]` / `[...spatial, in, out]` (deepwell), `'pytorch'` `[out, in, ...kernel]`. */
export const FAN_LAYOUTS = ['keras', 'pytorch'] as const;
/** Which axes of a weight are inputs and outputs: deepwell/Keras or PyTorch order. */
export type FanLayout = (typeof FAN_LAYOUTS)[number];

/**
 * Fan-in and fan-out of a weight of rank >= 2 in the given layout:
 *
 * - `'pytorch'` (PyTorch's `_calculate_fan_in_and_fan_out`, weight `[out, in, ...kernel]`):
 *   rf = prod(shape[2:]); fanIn = shape[1] rf; fanOut = shape[0] rf;
 * - `'keras'` (deepwell kernels `[in, out]` or `[...spatial, in, out]`, see `computeFans`):
 *   rf = prod(shape[:-2]); fanIn = shape[-2] rf; fanOut = shape[-1] rf.
 *
 * For the same layer both give the same numbers: Linear(256 -> 128) is `[128, 256]` in PyTorch and
 * `[256, 128]` in deepwell, fanIn 256 and fanOut 128 either way.
 *
 * Shapes: weight of rank >= 2 -> `{ fanIn, fanOut }`.
 *
 * @throws ValueError when the rank is below 2 (as PyTorch; deepwell's `computeFans` accepts it) or
 *   the layout is not 'keras' or 'pytorch'.
 * @throws ShapeError when the shape is not an array of non-negative integers.
 *
 * Reference: PyTorch `torch/nn/init.py` (`_calculate_fan_in_and_fan_out`).
 * @example calculateFanInAndFanOut([128, 256], 'pytorch') // { fanIn: 256, fanOut: 128 }
 * @example calculateFanInAndFanOut([256, 128], 'keras') // { fanIn: 256, fanOut: 128 }
 * @example calculateFanInAndFanOut([32, 16, 3, 3], 'pytorch') // { fanIn: 144, fanOut: 288 }
 */
export function calculateFanInAndFanOut(shape: Shape, layout: FanLayout): Fans {
  const checkedLayout = readLayout('calculateFanInAndFanOut', layout);
  if (!Array.isArray(shape)) {
    throw new ValueError(`calculateFanInAndFanOut: expected a shape (an array such as [128, 256]), received ${showValue(shape)}.`);
  }
  checkShape(shape, 'weight shape');
  if (shape.length < 2) {
    throw new ValueError(
      `Fan in and fan out can not be computed for a weight of shape ${formatShape(shape)} (rank ${shape.length}): ` +
        `PyTorch's xavier and kaiming initializers need rank >= 2. For a bias use 'zeros'; for a vector kernel use ` +
        `a VarianceScaling initializer (Keras fans: rank 1 [n] -> (n, n)).`,
    );
  }
  if (checkedLayout === 'keras') return computeFans(shape);
  let receptiveField = 1;
  for (let i = 2; i < shape.length; i++) receptiveField *= shape[i];
  return { fanIn: shape[1] * receptiveField, fanOut: shape[0] * receptiveField };
}

function readLayout(owner: string, value: unknown): FanLayout {
  if (value === undefined) return 'keras';
  if (typeof value === 'string' && (FAN_LAYOUTS as readonly string[]).includes(value)) return value as FanLayout;
  throw new ValueError(
    `${invalidNameMessage(`${owner} layout`, value, FAN_LAYOUTS)} ` +
      `Use 'keras' for deepwell kernels [in, out] (the default) and 'pytorch' for weights in PyTorch's order [out, in, ...kernel].`,
  );
}

// ---------------------------------------------------------------------------------------------
// Initializers

/** Fan modes of Kaiming initialization (PyTorch has no fan_avg). */
export const KAIMING_MODES = ['fan_in', 'fan_out'] as const;
/** `'fan_in'` keeps the variance of activations in the forward pass, `'fan_out'` of gradients in the backward pass. */
export type KaimingMode = (typeof KAIMING_MODES)[number];

function readKaimingMode(owner: string, value: unknown): KaimingMode {
  if (value === undefined) return 'fan_in';
  if (typeof value === 'string') {
    // PyTorch lower-cases the mode; the TF.js spellings fanIn/fanOut are accepted as elsewhere in deepwell.
    const lower = value.toLowerCase();
    const normalized = lower === 'fanin' ? 'fan_in' : lower === 'fanout' ? 'fan_out' : lower;
    if ((KAIMING_MODES as readonly string[]).includes(normalized)) return normalized as KaimingMode;
    if (normalized === 'fan_avg' || normalized === 'fanavg') {
      throw new ValueError(
        `Invalid ${owner} mode: received '${value}'; expected one of 'fan_in', 'fan_out'. PyTorch's kaiming has no 'fan_avg': ` +
          `use xavierUniform/xavierNormal (2 / (fanIn + fanOut)) or VarianceScaling({ mode: 'fan_avg' }).`,
      );
    }
  }
  throw new ValueError(invalidNameMessage(`${owner} mode`, value, KAIMING_MODES));
}

/** What a PyTorch-convention initializer will draw for one shape: VarianceScaling's numbers and the gain. */
export interface PytorchInitializerStats extends VarianceScalingStats {
  /** The gain: the option (Xavier), or `calculateGain(nonlinearity, a)` (Kaiming); stddev = gain / sqrt(n). */
  readonly gain: number;
}

/** U(-L, L) has standard deviation L / sqrt(3): the bound for a given std is sqrt(3) std (PyTorch's comment). */
const UNIFORM_BOUND_PER_STD = Math.sqrt(3);

/** A fan of 0 only occurs for a zero-size weight, which is left empty; the guard keeps `describe` finite. */
const MIN_FAN = 1;

/** Default Xavier gain (PyTorch `xavier_uniform_(tensor, gain=1.0)`). */
const DEFAULT_XAVIER_GAIN = 1;
/** Default Kaiming negative slope (PyTorch `kaiming_uniform_(tensor, a=0)`): with leaky_relu, gain sqrt(2). */
const DEFAULT_KAIMING_A = 0;
/** Default Kaiming nonlinearity (PyTorch's default). */
const DEFAULT_KAIMING_NONLINEARITY: Nonlinearity = 'leaky_relu';

/** The fixed part of a PyTorch preset: its gain (scale = gain^2), fan mode and distribution. */
interface PytorchRecipe {
  readonly gain: number;
  readonly mode: 'fan_in' | 'fan_out' | 'fan_avg';
  readonly distribution: 'uniform' | 'untruncated_normal';
}

/**
 * Base of the four PyTorch-convention initializers: a `VarianceScaling` with scale gain^2 whose fans
 * are read in the `layout` option (PyTorch's rule needs rank >= 2). A zero-size weight is left empty
 * (PyTorch: no-op) without drawing; a gain of 0 (Xavier) gives zeros, as in PyTorch.
 */
export abstract class PytorchInitializer extends VarianceScaling {
  protected static override readonly allowsZeroScale = true;
  /** Which axes are inputs and outputs: `'keras'` (deepwell kernels, default) or `'pytorch'`. */
  readonly layout: FanLayout;
  /** Multiplier of the standard deviation: std = gain / sqrt(fan of the mode). */
  readonly gain: number;

  /** @param options - the user's options, already checked against the class's `configKeys`. */
  protected constructor(options: { readonly seed?: number | null; readonly layout?: unknown }, recipe: PytorchRecipe) {
    super({ scale: recipe.gain * recipe.gain, mode: recipe.mode, distribution: recipe.distribution, seed: options.seed });
    this.gain = recipe.gain;
    this.layout = readLayout(new.target.className, options.layout);
  }

  /** The fans of `shape` in this initializer's layout. @throws ValueError for rank < 2. */
  protected override fans(shape: Shape): Fans {
    return calculateFanInAndFanOut(shape, this.layout);
  }

  /**
   * PyTorch's standard deviation for these fans, in PyTorch's own arithmetic (Xavier
   * `gain * sqrt(2 / (fanIn + fanOut))`, Kaiming `gain / sqrt(fan)`): equal to VarianceScaling's
   * sqrt(scale / n) in exact arithmetic, and kept so that the bounds and the drawn values are
   * PyTorch's formula to the last bit (sqrt(scale / n) differs in the last bit of a double for
   * about half of the shapes).
   */
  protected abstract pytorchStddev(fans: Fans): number;

  /**
   * The fans, gain, variance, standard deviation and (uniform) limit for a weight of `shape`, without
   * drawing; `fill` (VarianceScaling's) draws with these numbers.
   * @throws ValueError when the rank is below 2. @throws ShapeError for an invalid shape.
   */
  override describe(shape: Shape): PytorchInitializerStats {
    const stats = super.describe(shape);
    const stddev = this.pytorchStddev(stats);
    const spread = this.distribution === 'uniform' ? { limit: UNIFORM_BOUND_PER_STD * stddev } : { samplingStddev: stddev };
    return { ...stats, gain: this.gain, stddev, variance: stddev * stddev, ...spread };
  }

  protected override fill(data: TypedArray, shape: Shape): void {
    if (data.length === 0) {
      this.describe(shape); // still checks the rank
      return;
    }
    super.fill(data, shape);
  }
}

/** Options of {@link XavierUniform} and {@link XavierNormal}. */
export interface XavierOptions {
  /** Multiplier of the standard deviation, a finite number >= 0 (e.g. `calculateGain('tanh')`). Default 1. */
  gain?: number;
  /** `'keras'` (default): the weight is a deepwell kernel `[in, out]`; `'pytorch'`: it is `[out, in, ...kernel]`. */
  layout?: FanLayout;
  /** Integer seed: the same values on every call. Default: a new stream of the global generator per call. */
  seed?: number | null;
}

/** Options of {@link KaimingUniform} and {@link KaimingNormal}. */
export interface KaimingOptions {
  /**
   * Negative slope of the rectifier after this layer, a finite number; used only with
   * `nonlinearity: 'leaky_relu'`. Default 0 (so the default gain is sqrt(2), as for ReLU).
   * PyTorch's nn.Linear/nn.Conv default init is `a: Math.sqrt(5)`.
   */
  a?: number;
  /** `'fan_in'` (default, keeps the forward variance) or `'fan_out'` (keeps the backward variance). Case-insensitive, as PyTorch. */
  mode?: KaimingMode;
  /** A name of PyTorch's gain table (see `calculateGain`). Default `'leaky_relu'`. PyTorch recommends 'relu' or 'leaky_relu'. */
  nonlinearity?: Nonlinearity;
  /** `'keras'` (default): the weight is a deepwell kernel `[in, out]`; `'pytorch'`: it is `[out, in, ...kernel]`. */
  layout?: FanLayout;
  /** Integer seed: the same values on every call. Default: a new stream of the global generator per call. */
  seed?: number | null;
}

/** Reads the Xavier options (gain >= 0, explicit 0 kept). */
function readXavierGain(owner: string, value: unknown): number {
  return readNonNegative(owner, 'gain', value, DEFAULT_XAVIER_GAIN);
}

/** The shared options of the two Xavier classes: std = gain * sqrt(2 / (fanIn + fanOut)), VarianceScaling's fan_avg with scale gain^2. */
abstract class Xavier extends PytorchInitializer {
  protected constructor(options: XavierOptions, distribution: PytorchRecipe['distribution']) {
    const owner = new.target.className;
    checkOptionKeys(owner, options, new.target.configKeys);
    super(options, { gain: readXavierGain(owner, options.gain), mode: 'fan_avg', distribution });
  }

  /** std = gain * sqrt(2 / (fanIn + fanOut)). */
  protected pytorchStddev(fans: Fans): number {
    return this.gain * Math.sqrt(2 / Math.max(MIN_FAN, fans.fanIn + fans.fanOut));
  }

  override getConfig(): InitializerConfig {
    return { gain: this.gain, layout: this.layout, seed: this.seed };
  }
}

/**
 * Xavier (Glorot) uniform initialization as PyTorch's `xavier_uniform_`:
 * ```
 * std = gain * sqrt(2 / (fanIn + fanOut));  limit = sqrt(3) * std = gain * sqrt(6 / (fanIn + fanOut))
 * w ~ U[-limit, limit)
 * ```
 * With gain 1 it is exactly Keras's `glorot_uniform` (fan_avg is symmetric in the two fans, so the
 * layout does not matter here).
 *
 * Shapes: weight of rank >= 2 (layout per `layout`) -> the same shape.
 *
 * Accepted names: `'xavier_uniform'`, `'XavierUniform'`, `'xavierUniform'`. Config: `{ gain, layout, seed }`.
 *
 * @throws ValueError at construction for a gain that is not a finite number >= 0, a layout other than
 *   'keras'/'pytorch', or a non-integer seed; from `apply`/`describe` for a shape of rank < 2.
 *
 * Reference: Glorot & Bengio 2010 (AISTATS); PyTorch `torch/nn/init.py` (`xavier_uniform_`).
 * @example new XavierUniform({ gain: calculateGain('tanh') }).describe([256, 128]).limit // 5/3 * sqrt(6/384) = 0.2083333333
 */
export class XavierUniform extends Xavier {
  static override readonly className = 'XavierUniform';
  static override readonly configKeys = ['gain', 'layout', 'seed'] as const;

  constructor(options: XavierOptions = {}) {
    super(options, 'uniform');
  }
}

/**
 * Xavier (Glorot) normal initialization as PyTorch's `xavier_normal_`, **untruncated**:
 * ```
 * std = gain * sqrt(2 / (fanIn + fanOut));  w ~ N(0, std^2)
 * ```
 * Same variance as Keras's `glorot_normal` (gain 1), but Keras truncates at +-2 sigma (after dividing
 * sigma by 0.8796) while PyTorch does not: about 4.6% of PyTorch's draws lie beyond 2 std.
 *
 * Shapes: weight of rank >= 2 (layout per `layout`) -> the same shape.
 *
 * Accepted names: `'xavier_normal'`, `'XavierNormal'`, `'xavierNormal'`. Config: `{ gain, layout, seed }`.
 *
 * @throws ValueError at construction for a gain that is not a finite number >= 0, a layout other than
 *   'keras'/'pytorch', or a non-integer seed; from `apply`/`describe` for a shape of rank < 2.
 *
 * Reference: Glorot & Bengio 2010 (AISTATS); PyTorch `torch/nn/init.py` (`xavier_normal_`).
 * @example new XavierNormal().describe([256, 128]).stddev // sqrt(2/384) = 0.0721687836
 */
export class XavierNormal extends Xavier {
  static override readonly className = 'XavierNormal';
  static override readonly configKeys = ['gain', 'layout', 'seed'] as const;

  constructor(options: XavierOptions = {}) {
    super(options, 'untruncated_normal');
  }
}

/** The shared options of the two Kaiming classes: gain = calculateGain(nonlinearity, a); std = gain / sqrt(fan of the mode). */
abstract class Kaiming extends PytorchInitializer {
  readonly a: number;
  declare readonly mode: KaimingMode;
  readonly nonlinearity: Nonlinearity;

  protected constructor(options: KaimingOptions, distribution: PytorchRecipe['distribution']) {
    const owner = new.target.className;
    checkOptionKeys(owner, options, new.target.configKeys);
    const a = readFiniteNumber(owner, 'a', options.a, DEFAULT_KAIMING_A);
    const mode = readKaimingMode(owner, options.mode);
    const nonlinearity = options.nonlinearity === undefined ? DEFAULT_KAIMING_NONLINEARITY : readNonlinearity(options.nonlinearity);
    super(options, { gain: calculateGain(nonlinearity, a), mode, distribution });
    this.a = a;
    this.nonlinearity = nonlinearity;
  }

  /** std = gain / sqrt(fan of the mode). */
  protected pytorchStddev(fans: Fans): number {
    return this.gain / Math.sqrt(Math.max(MIN_FAN, this.mode === 'fan_in' ? fans.fanIn : fans.fanOut));
  }

  override getConfig(): InitializerConfig {
    return { a: this.a, mode: this.mode, nonlinearity: this.nonlinearity, layout: this.layout, seed: this.seed };
  }
}

/**
 * Kaiming (He) uniform initialization as PyTorch's `kaiming_uniform_`:
 * ```
 * gain = calculateGain(nonlinearity, a);  std = gain / sqrt(fan);  bound = sqrt(3) * std
 * fan = fanIn (mode 'fan_in') or fanOut (mode 'fan_out');  w ~ U[-bound, bound)
 * ```
 * Defaults (a 0, 'fan_in', 'leaky_relu'): gain sqrt(2), exactly Keras's `he_uniform`.
 * PyTorch's default init of nn.Linear and nn.Conv*d is `KaimingUniform({ a: Math.sqrt(5) })`:
 * gain sqrt(1/3), bound 1/sqrt(fanIn), variance 1/(3 fanIn).
 *
 * Shapes: weight of rank >= 2 (layout per `layout`) -> the same shape. On a non-square weight the
 * layout matters: Linear(256 -> 128) is `[256, 128]` with layout 'keras' (deepwell's Dense kernel)
 * or `[128, 256]` with layout 'pytorch'; both give fanIn 256 and bound 0.0625 with a = sqrt(5).
 *
 * Accepted names: `'kaiming_uniform'`, `'KaimingUniform'`, `'kaimingUniform'`.
 * Config: `{ a, mode, nonlinearity, layout, seed }`.
 *
 * @throws ValueError at construction for an `a` that is not finite, a mode other than fan_in/fan_out
 *   (fan_avg gets a hint), a nonlinearity outside PyTorch's table (with a suggestion), a layout other
 *   than 'keras'/'pytorch', or a non-integer seed; from `apply`/`describe` for a shape of rank < 2.
 *
 * Reference: He et al. 2015, "Delving Deep into Rectifiers" (arXiv:1502.01852); PyTorch
 * `torch/nn/init.py` (`kaiming_uniform_`), `torch/nn/modules/linear.py` (`reset_parameters`).
 * @example new KaimingUniform({ a: Math.sqrt(5), layout: 'pytorch' }).describe([128, 256]).limit // 0.0625
 */
export class KaimingUniform extends Kaiming {
  static override readonly className = 'KaimingUniform';
  static override readonly configKeys = ['a', 'mode', 'nonlinearity', 'layout', 'seed'] as const;

  constructor(options: KaimingOptions = {}) {
    super(options, 'uniform');
  }
}

/**
 * Kaiming (He) normal initialization as PyTorch's `kaiming_normal_`, **untruncated**:
 * ```
 * gain = calculateGain(nonlinearity, a);  std = gain / sqrt(fan);  w ~ N(0, std^2)
 * fan = fanIn (mode 'fan_in') or fanOut (mode 'fan_out')
 * ```
 * Defaults (a 0, 'fan_in', 'leaky_relu'): std sqrt(2 / fanIn), the variance of Keras's `he_normal`,
 * but not truncated (Keras and JAX's kaiming_normal truncate at +-2 sigma and correct the variance).
 *
 * Shapes: weight of rank >= 2 (layout per `layout`) -> the same shape.
 *
 * Accepted names: `'kaiming_normal'`, `'KaimingNormal'`, `'kaimingNormal'`.
 * Config: `{ a, mode, nonlinearity, layout, seed }`.
 *
 * @throws ValueError as {@link KaimingUniform}.
 *
 * Reference: He et al. 2015, "Delving Deep into Rectifiers" (arXiv:1502.01852); PyTorch
 * `torch/nn/init.py` (`kaiming_normal_`).
 * @example new KaimingNormal({ nonlinearity: 'relu' }).describe([256, 128]).stddev // sqrt(2/256) = 0.0883883476
 */
export class KaimingNormal extends Kaiming {
  static override readonly className = 'KaimingNormal';
  static override readonly configKeys = ['a', 'mode', 'nonlinearity', 'layout', 'seed'] as const;

  constructor(options: KaimingOptions = {}) {
    super(options, 'untruncated_normal');
  }
}

/** `new XavierUniform(options)`: PyTorch's `xavier_uniform_` as an initializer. */
export function xavierUniform(options: XavierOptions = {}): XavierUniform {
  return new XavierUniform(options);
}

/** `new XavierNormal(options)`: PyTorch's `xavier_normal_` (untruncated) as an initializer. */
export function xavierNormal(options: XavierOptions = {}): XavierNormal {
  return new XavierNormal(options);
}

/** `new KaimingUniform(options)`: PyTorch's `kaiming_uniform_` as an initializer. */
export function kaimingUniform(options: KaimingOptions = {}): KaimingUniform {
  return new KaimingUniform(options);
}

/** `new KaimingNormal(options)`: PyTorch's `kaiming_normal_` (untruncated) as an initializer. */
export function kaimingNormal(options: KaimingOptions = {}): KaimingNormal {
  return new KaimingNormal(options);
}
