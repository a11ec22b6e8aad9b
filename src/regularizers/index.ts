/**
 * Weight regularizers (Keras 3): L1, L2 and L1L2 penalties that `fit` adds to the loss and logs
 * apart as `regularization_loss`. Pass them to a layer as `kernelRegularizer` / `biasRegularizer`.
 */
export { Regularizer, checkFactor, type SerializedRegularizer } from './regularizer.js';
export { L1, type L1Options } from './l1.js';
export { L2, type L2Options } from './l2.js';
export { L1L2, type L1L2Options } from './l1_l2.js';
export { REGULARIZER_NAMES, deserialize, get, serialize, type RegularizerIdentifier, type RegularizerName } from './get.js';

import { L1 } from './l1.js';
import { L2 } from './l2.js';
import { L1L2 } from './l1_l2.js';

/** `regularizers.l1(0.01)`, as Keras's `keras.regularizers.l1(0.01)`: a new L1 with that factor. */
export const l1 = (factor = 0.01): L1 => new L1({ l1: factor });
/** `regularizers.l2(0.01)`, as Keras's `keras.regularizers.l2(0.01)` (the book's form): a new L2. */
export const l2 = (factor = 0.01): L2 => new L2({ l2: factor });
/** `regularizers.l1L2({ l1, l2 })`, as Keras's `l1_l2(l1=0.01, l2=0.01)`. */
export const l1L2 = (factors: { l1?: number; l2?: number } = {}): L1L2 => new L1L2({ l1: factors.l1 ?? 0.01, l2: factors.l2 ?? 0.01 });
