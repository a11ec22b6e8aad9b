import { ShapeError } from './errors.js';

/** A tensor shape: row-major dimensions, outermost first. */
export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar `[]`). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a shape, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** Formats a shape the way Keras prints it: `[32, 784]`. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Throws unless every dimension is a non-negative integer. */
export function checkShape(shape: Shape, what = 'shape'): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`Invalid ${what} ${formatShape(shape)}: every dimension must be a non-negative integer.`);
    }
  }
}

/**
 * The broadcast shape of two shapes (NumPy rules: align right; each pair of dims equal or one of them 1).
 * Throws a ShapeError showing both shapes when they do not broadcast.
 */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `Shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast: dimension ${i} is ${da} vs ${db}. ` +
          'Each aligned dimension must be equal or 1.',
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** True when two shapes are equal. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Normalizes possibly negative axes against a rank, checking range; returns sorted unique axes. */
export function normalizeAxes(axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  if (typeof axes !== 'number' && !Array.isArray(axes)) {
    throw new ShapeError(`Invalid axis ${typeof axes === 'string' ? `'${axes}'` : String(axes)}: expected an integer or an array of integers in [${-rank}, ${rank - 1}].`);
  }
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = list.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw new ShapeError(`Invalid axis ${a}: out of range for a tensor of rank ${rank}; expected an integer in [${-rank}, ${rank - 1}].`);
    }
    return a < 0 ? a + rank : a;
  });
  return [...new Set(out)].sort((x, y) => x - y);
}
