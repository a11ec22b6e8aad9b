// Fused Dense layer kernels: y = activation(x W + b) forward, and its backward pass
// (dz = dy * activation'(y); dx = dz W^T; dW = x^T dz; db = sum over rows of dz) in one call.
#pragma once

namespace deepwell {

/** Activations the native Dense kernels apply (their derivative needs only the output y). */
enum class Activation { linear, relu, selu, elu, leaky_relu, sigmoid, tanh };

/** Parses a Kernels activation name; false when it is not one of `Activation`. */
bool parse_activation(const char* name, Activation* out);

/** y[i] = act(y[i]) for i < n, in place (the oracle's unary on float32, in double). */
void activate(float* y, long n, Activation act, double alpha);

/** dz[i] = dy[i] act'(y[i]) for i < n (the oracle's unaryBackward with x = null); dz may be dy. */
void derivative(const float* y, const float* dy, float* dz, long n, Activation act, double alpha);

/** y [rows, units] = act(x [rows, in] W [in, units] + b [units]); b may be null. */
void dense_forward(const float* x, const float* w, const float* b, long rows, long in, long units,
                   Activation act, double alpha, float* y);

/**
 * Given y and dy [rows, units]: dz = dy act'(y) (into `dz`, or dy itself when linear), then
 * dx [rows, in] = dz W^T, dW [in, units] = x^T dz, db [units] = sum_rows dz (float adds in row
 * order, as the TS reduce). Any of dx, dw, db may be null (not wanted).
 */
void dense_backward(const float* x, const float* w, const float* y, const float* dy, long rows, long in,
                    long units, Activation act, double alpha, float* dz, float* dx, float* dw, float* db);

}  // namespace deepwell
