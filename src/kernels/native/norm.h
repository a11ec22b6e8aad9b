// Fused normalization kernels in native code: batch normalization forward and backward, and
// softmax + crossentropy, with the arithmetic of the TypeScript oracles (src/kernels/ts/batch_norm.ts,
// src/kernels/ts/softmax_crossentropy.ts): double sums in the same order, each stored value rounded
// once (built with -ffp-contract=off, so batch normalization gives the oracle's bits).
#pragma once

#include <node_api.h>

namespace deepwell {

/** Adds batchNormForward, batchNormBackward, softmaxCrossentropy and firstNonFinite to the addon's exports. */
void register_norm_kernels(napi_env env, napi_value exports);

}  // namespace deepwell
