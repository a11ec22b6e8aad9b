import { ShapeError, checkOptionKeys, keysOf } from '../core/errors.js';
import { type Shape, checkShape, formatShape, normalizeAxes } from '../core/shape.js';

/** Fan-in and fan-out of a weight tensor: the number of inputs and outputs of each unit. */
export interface Fans {
  readonly fanIn: number;
  readonly fanOut: number;
}

/** Axes that say which dimensions of a kernel are inputs and which are outputs. */
export interface FanAxes {
  /** Axes whose product is the fan-in (negative counts from the end). */
  readonly inputAxes?: readonly number[] | null;
  /** Axes whose product is the fan-out (negative counts from the end). */
  readonly outputAxes?: readonly number[] | null;
}

/** The keys of `FanAxes`. */
const FAN_AXES_KEYS = keysOf<FanAxes>({ inputAxes: true, outputAxes: true });

function product(shape: Shape, axes: readonly number[]): number {
  let p = 1;
  for (const a of axes) p *= shape[a];
  return p;
}

/**
 * Fan-in and fan-out of a kernel of the given shape, as Keras 3 computes them
 * (`keras/src/initializers/random_initializers.py`, `compute_fans`), for every rank:
 *
 * - rank 0 `[]`: fanIn = fanOut = 1;
 * - rank 1 `[n]`: fanIn = fanOut = n;
 * - rank 2 `[in, out]` (Dense kernel): fanIn = in, fanOut = out;
 * - rank >= 3 `[...spatial, in, out]` (convolution kernel, channels last): with the receptive field
 *   rf = prod(spatial), fanIn = in * rf and fanOut = out * rf.
 *
 * When both `inputAxes` and `outputAxes` are given (Keras >= 3.15), fanIn and fanOut are the products
 * of the dimensions on those axes instead; when only one of them is given, both are ignored, as in
 * Keras 3.15. A layer whose kernel layout does not follow the rules above (e.g. an einsum kernel
 * `[in, heads, headDim]`) passes its axes.
 *
 * Shapes: kernel `[...spatial, in, out]` -> `{ fanIn, fanOut }` (integers; 0 for a zero-size dimension,
 * which `VarianceScaling` treats as 1).
 *
 * Follows Keras 3 (and tf.keras 2.x) layouts; TF.js instead uses sqrt(prod(shape)) for ranks 0, 1 and
 * >= 6, and PyTorch's `[out, in, ...]` layout swaps the two fans.
 *
 * @param shape - the kernel shape (non-negative integers).
 * @param axes - optional `{ inputAxes, outputAxes }`.
 * @throws ShapeError when the shape is invalid or an axis is out of range for its rank.
 * @throws ValueError for a key of `axes` other than inputAxes and outputAxes.
 * @example computeFans([3, 3, 16, 32]) // { fanIn: 144, fanOut: 288 }
 * @example computeFans([512, 8, 64], { inputAxes: [0], outputAxes: [1, 2] }) // { fanIn: 512, fanOut: 512 }
 *
 * Reference: Keras 3 `keras/src/initializers/random_initializers.py` (`compute_fans`).
 */
export function computeFans(shape: Shape, axes: FanAxes = {}): Fans {
  if (!Array.isArray(shape)) {
    throw new ShapeError(`computeFans: expected a shape (an array of dimensions, e.g. [784, 300]), received ${String(shape)}.`);
  }
  checkShape(shape, 'kernel shape');
  checkOptionKeys('computeFans', axes, FAN_AXES_KEYS);
  const { inputAxes, outputAxes } = axes;
  if (inputAxes != null && outputAxes != null) {
    const rank = shape.length;
    const check = (list: readonly number[], which: string): number[] => {
      try {
        return normalizeAxes(list, rank);
      } catch (e) {
        throw new ShapeError(`computeFans: ${which} ${formatShape(list)} do not fit kernel shape ${formatShape(shape)}. ${(e as Error).message}`);
      }
    };
    return { fanIn: product(shape, check(inputAxes, 'inputAxes')), fanOut: product(shape, check(outputAxes, 'outputAxes')) };
  }
  switch (shape.length) {
    case 0:
      return { fanIn: 1, fanOut: 1 };
    case 1:
      return { fanIn: shape[0], fanOut: shape[0] };
    case 2:
      return { fanIn: shape[0], fanOut: shape[1] };
    default: {
      const receptiveField = product(shape, Array.from({ length: shape.length - 2 }, (_, i) => i));
      return { fanIn: shape[shape.length - 2] * receptiveField, fanOut: shape[shape.length - 1] * receptiveField };
    }
  }
}
