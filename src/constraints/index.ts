/**
 * Weight constraints (Keras 3): MaxNorm, MinMaxNorm, UnitNorm and NonNeg, projections applied after each
 * optimizer step. Pass them to a layer as `kernelConstraint` / `biasConstraint`.
 */
export { CONSTRAINT_EPSILON, Constraint, checkAxis, type SerializedConstraint } from './constraint.js';
export { MaxNorm, type MaxNormOptions } from './max_norm.js';
export { MinMaxNorm, type MinMaxNormOptions } from './min_max_norm.js';
export { UnitNorm, type UnitNormOptions } from './unit_norm.js';
export { NonNeg } from './non_neg.js';
export { CONSTRAINT_NAMES, deserialize, get, serialize, type ConstraintIdentifier, type ConstraintName } from './get.js';
