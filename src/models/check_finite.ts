/**
 * The input check of `fit`, `evaluate` and `predict`: one pass over x and y before the first step,
 * so a NaN or Infinity in the data (a missing value read as NaN, a division by a zero std) is
 * refused with its sample and feature instead of training silently to a NaN loss.
 *
 * Cost: one read of each array per call (about 50 ms for MNIST's 47 million pixels), against the
 * epochs of training that a NaN would waste. Keras and TF.js do not check; their NaN loss appears
 * later, without saying where it came from.
 */
import { DataError } from '../core/errors.js';
import { formatShape, sizeOf } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { firstNonFiniteIndex } from '../core/finite.js';

/** `[12][3]` for element `flat` of a tensor of `shape`. */
function multiIndex(flat: number, shape: readonly number[]): string {
  const parts: number[] = [];
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    parts.unshift(rest % shape[d]);
    rest = Math.floor(rest / shape[d]);
  }
  return parts.map((p) => `[${p}]`).join('');
}

/**
 * Throws unless every element of `t` is finite.
 * @param owner - the caller as the message names it (`'Sequential.fit'`).
 * @param what - the argument (`'x'`, `'y'`, `'validationData x'`).
 * @throws DataError naming the value, the sample (first index), the feature (the flat index within
 *   the sample, and the full index for images) and how to fix the data.
 */
export function checkFiniteData(owner: string, what: string, t: Tensor): void {
  const i = firstNonFiniteIndex(t.data);
  if (i < 0) return;
  const value = t.data[i];
  const rowSize = t.rank === 0 ? 1 : sizeOf(t.shape.slice(1));
  const sample = Math.floor(i / Math.max(rowSize, 1));
  const feature = i - sample * rowSize;
  const where = t.rank <= 1 ? `sample ${sample}` : `sample ${sample}, feature ${feature}${t.rank > 2 ? ` (${what}${multiIndex(i, t.shape)})` : ''}`;
  let count = 0;
  for (let j = i; j < t.data.length; j++) if (t.data[j] - t.data[j] !== 0) count++;
  throw new DataError(
    `${owner}: ${what} holds ${value} at ${where} (${count === 1 ? 'the only non-finite value' : `the first of ${count} non-finite values`} in ${what} of shape ${formatShape(t.shape)}). ` +
      'Inputs and targets must be finite numbers: drop the samples with missing values, or fill them in (e.g. with the feature\'s mean over the training set), ' +
      'and check for divisions by zero (a constant feature standardized by its std of 0).',
  );
}
