/** The one place where broadcasting is undone for gradients. */
import type { TypedArray } from '../core/dtype.js';
import { type Shape, sizeOf } from '../core/shape.js';
import { kernels } from '../kernels/index.js';

/**
 * Sums a gradient of the broadcast shape `gShape` down to `inShape`: over leading axes that
 * `inShape` lacks and over axes where `inShape` has size 1 (the adjoint of broadcasting).
 */
export function unbroadcast(g: TypedArray, gShape: Shape, inShape: Shape): TypedArray {
  if (g.length === sizeOf(inShape) && gShape.length === inShape.length) return g;
  const lead = gShape.length - inShape.length;
  const axes: number[] = [];
  for (let i = 0; i < gShape.length; i++) {
    if (i < lead || (inShape[i - lead] === 1 && gShape[i] !== 1)) axes.push(i);
  }
  return kernels.reduce('sum', g, gShape, axes);
}

/** Broadcasts `data` of shape `from` to shape `to` (the adjoint of a sum). */
export function broadcastTo(data: TypedArray, from: Shape, to: Shape): TypedArray {
  const zero = data instanceof Float64Array ? new Float64Array(1) : new Float32Array(1);
  return kernels.binary('add', data, from, zero, [], to);
}
