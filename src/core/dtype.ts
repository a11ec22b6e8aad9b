/** Element types of tensors: float32 for training, float64 for gradient checks. */
import { POOL_MIN_LENGTH, activePool } from './buffer_pool.js';

export const DTYPES = ['float32', 'float64'] as const;
export type DType = (typeof DTYPES)[number];

/** The typed array that stores a tensor of each dtype. */
export type TypedArray = Float32Array | Float64Array;

/**
 * Allocates a zero-filled typed array of `size` elements of `dtype`; inside a training step (an
 * active `BufferPool`, see buffer_pool.ts) it is a recycled array of the previous step.
 */
export function allocate(dtype: DType, size: number): TypedArray {
  const pool = activePool();
  if (pool !== null && size >= POOL_MIN_LENGTH) return pool.take(dtype, size, true);
  return allocateLongLived(dtype, size);
}

/**
 * As `allocate`, but inside a training step the content is left as the previous step wrote it:
 * only for outputs that the kernel called next overwrites entirely (GEMM with beta 0, fused Dense).
 */
export function allocateUninitialized(dtype: DType, size: number): TypedArray {
  const pool = activePool();
  if (pool !== null && size >= POOL_MIN_LENGTH) return pool.take(dtype, size, false);
  return allocateLongLived(dtype, size);
}

/**
 * A fresh zero-filled array that never comes from a step's pool: for arrays that outlive the step
 * they are made in (the scratch slots of kernels/scratch.ts, optimizer state). Taken from the pool,
 * such an array would be handed out again after the next `recycle()` while its holder still uses
 * it: two owners of one array (a convolution's output overwritten by another layer's gradient).
 */
export function allocateLongLived(dtype: DType, size: number): TypedArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/** The dtype of a typed array. */
export function dtypeOf(a: TypedArray): DType {
  return a instanceof Float64Array ? 'float64' : 'float32';
}
