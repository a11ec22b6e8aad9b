/**
 * What Dense, Conv1D/Conv2D and DepthwiseConv2D share about their kernel and bias: the regularizer
 * penalties added to the training loss, and the projection onto constraints after an optimizer step
 * (Keras 3 applies both to the kernel and the bias the same way in each of these layers).
 */
import { noGrad } from '../autodiff/node.js';
import type { Tensor, Variable } from '../core/tensor.js';
import type { Constraint } from '../constraints/constraint.js';
import type { Regularizer } from '../regularizers/regularizer.js';

/** One weight with its regularizer and constraint (null when not set). */
export interface ConstrainedWeight {
  weight: Variable | null;
  regularizer: Regularizer | null;
  constraint: Constraint | null;
}

/** regularizer(weight) for each weight that has both (scalar tensors that record gradients). */
export function weightPenalties(weights: readonly ConstrainedWeight[]): Tensor[] {
  const out: Tensor[] = [];
  for (const { weight, regularizer } of weights) if (regularizer !== null && weight !== null) out.push(regularizer.apply(weight));
  return out;
}

/** Projects each trainable weight onto its constraint (frozen weights stay untouched). */
export function applyWeightConstraints(weights: readonly ConstrainedWeight[]): void {
  noGrad(() => {
    for (const { weight, constraint } of weights) if (constraint !== null && weight?.trainable === true) weight.assign(constraint.apply(weight));
  });
}
