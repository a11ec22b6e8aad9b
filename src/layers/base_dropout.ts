/**
 * The part every dropout layer shares (Dropout, AlphaDropout and their MC variants): the options
 * `rate`, `noiseShape`, `seed`, their checks, the layer's own random stream, and the keep mask.
 * Subclasses implement only `call` (what to do with the mask).
 */
import { ShapeError, ValueError, keysOf } from '../core/errors.js';
import { Rng, type RngState, checkSeed, getGlobalRng } from '../core/random.js';
import { formatShape, sizeOf } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { allocate } from '../core/dtype.js';
import { LAYER_OPTION_KEYS, Layer, type LayerOptions, type SymbolicShape } from './layer.js';

export interface DropoutOptions extends LayerOptions {
  /** Fraction of the elements to drop, in [0, 1). */
  rate: number;
  /** Shape of the mask, one entry per input axis (null = the input's dim); default the input's shape. */
  noiseShape?: readonly (number | null)[] | null;
  /** Integer seed of the layer's random stream; default: a stream derived from the global generator. */
  seed?: number | null;
}

/** Checks a dropout rate: a number in [0, 1). */
export function checkRate(className: string, rate: unknown): number {
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new ValueError(`${className}: rate must be a number in [0, 1) (the fraction of elements dropped), received ${String(rate)}. ` +
      `A rate of 1 would drop everything and scale the rest by 1/(1 - rate) = Infinity; remove the layer or use a smaller rate.`);
  }
  return rate;
}

/** The layer's random stream: `new Rng(seed)`, or a fresh stream derived from the global generator. */
export function dropoutRng(seed: number | null): Rng {
  if (seed !== null) return new Rng(checkSeed(seed));
  const global = getGlobalRng();
  return global.derive(global.nextUint32());
}

/** Checks a noise-shape option: null, or an array of positive integers and nulls. */
export function checkNoiseShape(className: string, noiseShape: unknown): (number | null)[] | null {
  if (noiseShape === null || noiseShape === undefined) return null;
  if (!Array.isArray(noiseShape) || !noiseShape.every((d) => d === null || (Number.isInteger(d) && d > 0))) {
    throw new ValueError(`${className}: noiseShape must be an array of positive integers or nulls (one per input axis), received ${JSON.stringify(noiseShape)}.`);
  }
  return [...(noiseShape as (number | null)[])];
}

/** The concrete mask shape for input `x`. @throws ShapeError when the noise shape does not fit. */
export function concreteNoiseShape(className: string, name: string, x: Tensor, noiseShape: readonly (number | null)[] | null): number[] {
  if (noiseShape === null) return [...x.shape];
  const shape = noiseShape.map((d, i) => d ?? x.shape[i]);
  if (shape.length !== x.rank || shape.some((d, i) => d !== 1 && d !== x.shape[i])) {
    throw new ShapeError(`${className} "${name}": noiseShape [${noiseShape.map(String).join(', ')}] does not fit input ${formatShape(x.shape)}; each entry must be null, 1 or the input's dim.`);
  }
  return shape;
}

/** A 0/1 mask of `shape` in x's dtype: 1 where a uniform draw u >= rate (probability 1 - rate). */
export function keepMask(rng: Rng, x: Tensor, shape: readonly number[], rate: number): Tensor {
  const u = new Float32Array(sizeOf(shape));
  rng.fillUniform(u, 0, 1);
  const keep = allocate(x.dtype, u.length);
  for (let i = 0; i < u.length; i++) keep[i] = u[i] >= rate ? 1 : 0;
  return new Tensor(keep, shape);
}

export abstract class BaseDropout extends Layer {
  static override readonly optionKeys: readonly string[] = [
    ...LAYER_OPTION_KEYS,
    ...keysOf<Omit<DropoutOptions, keyof LayerOptions>>({ rate: true, noiseShape: true, seed: true }),
  ];
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;
  /** The layer's own random stream. */
  protected rng: Rng;

  /**
   * `new Cls(0.5)`, `new Cls(0.5, { seed: 42 })` or `new Cls({ rate: 0.5, seed: 42 })`.
   * @throws ValueError for an invalid rate, noise shape or seed, an unknown option key, or a rate
   *   given both as the first argument and in the options.
   */
  constructor(rateOrOptions: number | DropoutOptions, options: Omit<DropoutOptions, 'rate'> = {}) {
    const cls = new.target.className;
    if (typeof rateOrOptions !== 'number' && (rateOrOptions === null || typeof rateOrOptions !== 'object')) {
      throw new ValueError(`${cls}: expected a rate (a number in [0, 1)) or an options object { rate, ... }, received ${typeof rateOrOptions} ${JSON.stringify(rateOrOptions)}.`);
    }
    if (typeof rateOrOptions === 'number' && options !== null && typeof options === 'object' && Object.hasOwn(options, 'rate')) {
      throw new ValueError(`${cls}: rate given twice, as the first argument (${rateOrOptions}) and in the options; give it once.`);
    }
    if (typeof rateOrOptions !== 'number' && options !== null && typeof options === 'object' && Object.keys(options).length > 0) {
      throw new ValueError(`${cls}: options given twice; use new ${cls}(rate, options) or new ${cls}({ rate, ...options }).`);
    }
    const opts: DropoutOptions = typeof rateOrOptions === 'number' ? { ...options, rate: rateOrOptions } : rateOrOptions;
    super(opts);
    this.rate = checkRate(cls, opts.rate);
    this.noiseShape = checkNoiseShape(cls, opts.noiseShape);
    this.seed = opts.seed === undefined || opts.seed === null ? null : checkSeed(opts.seed, `${cls} seed`);
    this.rng = dropoutRng(this.seed);
  }

  /** A fresh 0/1 keep mask for input `x` (probability 1 - rate of a 1). */
  protected keepMask(x: Tensor): Tensor {
    return keepMask(this.rng, x, concreteNoiseShape(this.className, this.name, x, this.noiseShape), this.rate);
  }

  override getRngState(): RngState {
    return this.rng.getState();
  }

  /** @throws ValueError when the state is not an `RngState`. */
  override setRngState(state: RngState): void {
    this.rng = Rng.fromState(state);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape === null ? null : [...this.noiseShape], seed: this.seed };
  }
}
