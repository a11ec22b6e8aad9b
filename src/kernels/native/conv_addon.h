// Registers the convolution kernels (conv_addon.cc) on the addon's exports.
#pragma once

#include <node_api.h>

namespace deepwell {

/** Adds im2col, col2im, pool2d, pool2dBackward, biasActivation and biasActivationBackward to `exports`. */
void register_conv_kernels(napi_env env, napi_value exports);

}  // namespace deepwell
