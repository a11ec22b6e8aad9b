/**
 * Checks of the arguments every training and inference loop shares (fit, evaluate, predict, MC
 * dropout): kept below the model classes and the loops so that neither imports the other for them.
 */
import { ShapeError, ValueError } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';

/** @throws ShapeError when x and y do not have the same number of samples. */
export function checkSamples(x: Tensor, y: Tensor): void {
  if (x.rank === 0 || y.rank === 0 || x.shape[0] !== y.shape[0]) {
    throw new ShapeError(`x ${formatShape(x.shape)} and y ${formatShape(y.shape)} must have the same number of samples (first dimension).`);
  }
}

/** @throws ValueError unless the batch size is a positive integer. */
export function checkBatchSize(batchSize: unknown): number {
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize <= 0) {
    throw new ValueError(`batchSize must be a positive integer, received ${String(batchSize)}.`);
  }
  return batchSize;
}
