/**
 * Accuracy metrics, computed without gradients, returning the fraction correct in a batch.
 * `resolveAccuracy` picks the variant the way Keras 3 does for `metrics: ['accuracy']`
 * (keras/src/trainers/compile_utils.py `get_metric`): binary when the output has one unit,
 * sparse categorical when the loss is sparse_categorical_crossentropy, else categorical.
 */
import type { TypedArray } from '../core/dtype.js';
import { ValueError, invalidNameMessage } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';

/** The accuracy metrics, by Keras name. */
export const ACCURACY_KINDS = ['binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy'] as const;
export type AccuracyKind = (typeof ACCURACY_KINDS)[number];

function argmaxRow(p: TypedArray, row: number, classes: number): number {
  let best = 0;
  let bestV = -Infinity;
  for (let c = 0; c < classes; c++) {
    const v = p[row * classes + c];
    if (v > bestV) {
      bestV = v;
      best = c;
    }
  }
  return best;
}

/**
 * Number of correct predictions in a batch (the caller divides by the batch size).
 * @throws ValueError for a kind that is not in `ACCURACY_KINDS`.
 */
export function countCorrect(kind: AccuracyKind, yTrue: Tensor, yPred: Tensor, threshold = 0.5): number {
  const classes = yPred.shape[yPred.rank - 1] ?? 1;
  const rows = yPred.size / Math.max(classes, 1);
  let correct = 0;
  switch (kind) {
    case 'sparse_categorical_accuracy':
      for (let r = 0; r < rows; r++) if (argmaxRow(yPred.data, r, classes) === yTrue.data[r]) correct++;
      break;
    case 'categorical_accuracy':
      for (let r = 0; r < rows; r++) if (argmaxRow(yPred.data, r, classes) === argmaxRow(yTrue.data, r, classes)) correct++;
      return correct;
    case 'binary_accuracy':
      for (let i = 0; i < yPred.size; i++) if ((yPred.data[i] > threshold ? 1 : 0) === yTrue.data[i]) correct++;
      return (correct / yPred.size) * rows;
    default:
      kind satisfies never;
      throw new ValueError(invalidNameMessage('accuracy kind', kind, ACCURACY_KINDS));
  }
  return correct;
}

/** The accuracy Keras uses for 'accuracy' given the loss and the number of output units. */
export function resolveAccuracy(lossName: string, outputUnits: number): AccuracyKind {
  if (outputUnits === 1) return 'binary_accuracy';
  if (lossName === 'sparse_categorical_crossentropy') return 'sparse_categorical_accuracy';
  return 'categorical_accuracy';
}
