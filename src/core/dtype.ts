/** Element types of tensors: float32 for training, float64 for gradient checks. */
export const DTYPES = ['float32', 'float64'] as const;
export type DType = (typeof DTYPES)[number];

/** The typed array that stores a tensor of each dtype. */
export type TypedArray = Float32Array | Float64Array;

/** Allocates a zero-filled typed array of `size` elements of `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/** The dtype of a typed array. */
export function dtypeOf(a: TypedArray): DType {
  return a instanceof Float64Array ? 'float64' : 'float32';
}
