/**
 * Weight regularizers (Keras 3): L1, L2 and L1L2 penalties that `fit` adds to the loss and logs
 * apart as `regularization_loss`. Pass them to a layer as `kernelRegularizer` / `biasRegularizer`.
 */
export { Regularizer, checkFactor, type SerializedRegularizer } from './regularizer.js';
export { L1, type L1Options } from './l1.js';
export { L2, type L2Options } from './l2.js';
export { L1L2, type L1L2Options } from './l1_l2.js';
export { REGULARIZER_NAMES, deserialize, get, serialize, type RegularizerIdentifier, type RegularizerName } from './get.js';
