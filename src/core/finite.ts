/** Finding NaN and infinite values in arrays (shared by the input checks and the non-finite monitor). */

/** Index of the first NaN or infinite element, or -1. */
export function firstNonFiniteIndex(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // v - v is 0 for every finite v and NaN for NaN and +-Infinity: one subtraction and one compare.
    if (v - v !== 0) return i;
  }
  return -1;
}
