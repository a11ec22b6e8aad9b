/**
 * Work buffers reused across calls for intermediates that do not outlive one primitive or one
 * backward rule (the im2col matrix of a convolution and its gradient), so a training step does not
 * allocate (and the garbage collector does not free) megabytes per convolution per step.
 *
 * A buffer is valid until the next `scratch` call with the same dtype and slot: use it, pass it to
 * kernels, and drop it before returning; never return it or store it in a tensor. Each slot keeps
 * the largest size asked for (a few MB for a convnet's im2col at batch 64) until `releaseScratch`.
 * Slots are never arrays of a training step's BufferPool (`allocateLongLived`).
 */
import { type DType, type TypedArray, allocateLongLived } from '../core/dtype.js';

/** The slots in use: the im2col matrix, its gradient, and the gradient before the activation (all live in a conv backward). */
export const SCRATCH_SLOTS = { cols: 0, dcols: 1, dz: 2 } as const;

const buffers = new Map<string, TypedArray>();

/** A buffer of exactly `size` elements of `dtype` (a view of the slot's buffer; contents unspecified). */
export function scratch(dtype: DType, size: number, slot: number): TypedArray {
  const key = `${dtype}/${slot}`;
  let b = buffers.get(key);
  if (b === undefined || b.length < size) {
    b = allocateLongLived(dtype, size); // never a pooled array: the slot keeps it across steps
    buffers.set(key, b);
  }
  return b.length === size ? b : b.subarray(0, size);
}

/** Frees every scratch buffer (they are allocated again on next use). */
export function releaseScratch(): void {
  buffers.clear();
}
