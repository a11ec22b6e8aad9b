/**
 * The regularizer penalties and constraint projections of a layer's weights: what `Layer` applies to
 * each weight `addWeight` gave a regularizer or a constraint (Dense, Conv1D/Conv2D and
 * DepthwiseConv2D for their kernel and bias; Keras 3 treats every such weight the same way).
 */
import { noGrad } from '../autodiff/node.js';
import type { Tensor, Variable } from '../core/tensor.js';
import type { Constraint } from '../constraints/constraint.js';
import type { Regularizer } from '../regularizers/regularizer.js';

/** One weight with its regularizer and constraint (null when not set). */
export interface ConstrainedWeight {
  weight: Variable;
  regularizer: Regularizer | null;
  constraint: Constraint | null;
}

/** regularizer(weight) for each weight that has one (scalar tensors that record gradients). */
export function weightPenalties(weights: readonly ConstrainedWeight[]): Tensor[] {
  const out: Tensor[] = [];
  for (const { weight, regularizer } of weights) if (regularizer !== null) out.push(regularizer.apply(weight));
  return out;
}

/** Projects each trainable weight onto its constraint (frozen weights stay untouched). */
export function applyWeightConstraints(weights: readonly ConstrainedWeight[]): void {
  if (weights.length === 0) return;
  noGrad(() => {
    for (const { weight, constraint } of weights) if (constraint !== null && weight.trainable) weight.assign(constraint.apply(weight));
  });
}
