/**
 * Dropout (inverted): in training, each element is zeroed with probability `rate` and the survivors
 * are scaled by 1 / (1 - rate), so the expected value of every element is unchanged; in inference
 * the input is returned as is (the same Tensor).
 *
 *   y = x * m / (1 - rate), m ~ Bernoulli(1 - rate) (kept where a uniform draw u >= rate, as Keras)
 *
 * Shapes: any -> same. With `noiseShape`, one mask value is shared along each axis where the noise
 * shape is 1 (e.g. [null, 1, features] drops the same features at every timestep).
 * Options: `rate` in [0, 1) (0 is the identity; 1 would divide by zero and is rejected);
 * `noiseShape` one entry per input axis, each null (the input's dim), the input's dim or 1;
 * `seed` an integer: the layer's own random stream starts from it, so the same seed repeats the same
 * mask sequence. Without a seed the layer takes a stream derived from the global generator at
 * construction (`setSeed(n)` before building the model reproduces it).
 * @throws ValueError for a rate outside [0, 1) or a non-integer seed; ShapeError for a noise shape
 *   that does not fit the input.
 * Reference: Srivastava et al. 2014 (JMLR 15, "Dropout"); Keras 3 keras/src/layers/regularization/dropout.py.
 * (TF.js once leaked tensors per training call, tfjs#7983; deepwell's memory is garbage-collected,
 * so there is nothing to dispose and no leak to guard against.)
 * @example new Dropout({ rate: 0.5, seed: 1 }).apply(ones([1, 1000]), { training: true }) // each element 0 or 2
 */
import { ShapeError, ValueError } from '../core/errors.js';
import { Rng, checkSeed, getGlobalRng } from '../core/random.js';
import { formatShape, sizeOf } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { allocate } from '../core/dtype.js';
import { binary } from '../autodiff/primitives.js';
import { type CallOptions, Layer, type LayerOptions, type SymbolicShape } from './layer.js';

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

export class Dropout extends Layer {
  static override readonly className: string = 'Dropout';
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;
  /** The layer's own random stream. */
  protected readonly rng: Rng;

  /** `new Dropout(0.5)` or `new Dropout({ rate: 0.5, seed: 42 })`. */
  constructor(rateOrOptions: number | DropoutOptions, options: Omit<DropoutOptions, 'rate'> = {}) {
    const opts: DropoutOptions = typeof rateOrOptions === 'number' ? { ...options, rate: rateOrOptions } : rateOrOptions;
    super(opts);
    const cls = (this.constructor as typeof Layer).className;
    this.rate = checkRate(cls, opts.rate);
    this.noiseShape = checkNoiseShape(cls, opts.noiseShape);
    this.seed = opts.seed === undefined || opts.seed === null ? null : checkSeed(opts.seed, `${cls} seed`);
    this.rng = dropoutRng(this.seed);
  }

  /** `new Dropout(config)`. */
  static fromConfig(config: Record<string, unknown>): Dropout {
    return new Dropout(config as unknown as DropoutOptions);
  }

  call(x: Tensor, options: CallOptions = {}): Tensor {
    if (options.training !== true || this.rate === 0) return x;
    const mask = keepMask(this.rng, x, concreteNoiseShape(this.className, this.name, x, this.noiseShape), this.rate);
    const scale = 1 / (1 - this.rate);
    for (let i = 0; i < mask.size; i++) mask.data[i] *= scale;
    return binary('mul', x, mask);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape === null ? null : [...this.noiseShape], seed: this.seed };
  }
}
