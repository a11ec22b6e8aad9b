// Convolution helpers and pooling over channels-last maps, in native code (float32): the kernels of
// src/kernels/ts/conv.ts (the oracle) and the fused bias + activation of a convolution's output.
// Each is threaded over units whose outputs are disjoint (output rows, or whole images for the
// scatter-adds), in the oracle's order within a unit, so the bits do not depend on the thread count.
#pragma once

#include "dense.h"

namespace deepwell {

/** The window geometry, as src/core/conv_geometry.ts computes it (Conv2DGeometry). */
struct ConvGeometry {
  long batch, in_h, in_w, in_c, k_h, k_w, stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_left, out_h, out_w;
};

/** Number of values in a ConvGeometry (the order of the fields above). */
constexpr int CONV_GEOMETRY_FIELDS = 14;

/** out [batch outH outW, kH kW inC] = the patches of x [batch, inH, inW, inC], zero in the padding. */
void im2col(const float* x, const ConvGeometry& g, float* out);

/** out [batch, inH, inW, inC] = the adjoint of im2col (sums of the patch entries), overwritten. */
void col2im(const float* cols, const ConvGeometry& g, float* out);

/** Max (is_max) or average pooling per channel; padding taps skipped. out [batch, outH, outW, inC]. */
void pool2d(bool is_max, const float* x, const ConvGeometry& g, float* out);

/** The gradient of pool2d with respect to x (max: to the first maximum of each window). */
void pool2d_backward(bool is_max, const float* x, const float* dy, const ConvGeometry& g, float* out);

/** out [rows, channels] = act(x + bias) (bias per channel, may be null); out may be x. */
void bias_activation(const float* x, const float* bias, long rows, long channels, Activation act, double alpha, float* out);

/**
 * dz = dy act'(y) [rows, channels] (dz may be dy) and db [channels] = sum over rows of dz (may be
 * null): partial sums in double over fixed blocks of rows, added in block order, rounded once.
 */
void bias_activation_backward(const float* y, const float* dy, long rows, long channels, Activation act, double alpha,
                              float* dz, float* db);

}  // namespace deepwell
