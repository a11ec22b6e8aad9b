// Elementwise parts in double with the formulas of the TypeScript oracle (src/kernels/ts/unary.ts),
// each value rounded to float once; exp/expm1/tanh come from the C library, so selu, elu, sigmoid
// and tanh may differ from V8's Math functions in the last float bit on rare inputs.
#include "dense.h"

#include <cmath>
#include <cstring>

#include "gemm.h"

namespace deepwell {

/** SELU constants (Klambauer et al. 2017, arXiv:1706.02515), as in src/kernels/ts/unary.ts. */
constexpr double SELU_ALPHA = 1.6732632423543772848170429916717;
constexpr double SELU_SCALE = 1.0507009873554804934193349852946;

bool parse_activation(const char* name, Activation* out) {
  static const struct { const char* name; Activation act; } TABLE[] = {
    {"linear", Activation::linear}, {"relu", Activation::relu}, {"selu", Activation::selu},
    {"elu", Activation::elu}, {"leaky_relu", Activation::leaky_relu}, {"sigmoid", Activation::sigmoid},
    {"tanh", Activation::tanh},
  };
  for (const auto& e : TABLE) {
    if (std::strcmp(name, e.name) == 0) {
      *out = e.act;
      return true;
    }
  }
  return false;
}

static inline double sigmoid(double v) {
  if (v >= 0) return 1 / (1 + std::exp(-v));
  const double e = std::exp(v);
  return e / (1 + e);
}

static void activate(float* y, long n, Activation act, double alpha) {
  switch (act) {
    case Activation::linear: break;
    case Activation::relu:
      // NaN stays NaN (v > 0 and v <= 0 both false), as in the oracle.
      for (long i = 0; i < n; i++) { const float v = y[i]; y[i] = v > 0 ? v : v <= 0 ? 0.0f : v; }
      break;
    case Activation::selu:
      for (long i = 0; i < n; i++) {
        const double v = y[i];
        y[i] = static_cast<float>(v > 0 ? SELU_SCALE * v : SELU_SCALE * SELU_ALPHA * std::expm1(v));
      }
      break;
    case Activation::elu:
      for (long i = 0; i < n; i++) { const double v = y[i]; y[i] = static_cast<float>(v > 0 ? v : alpha * std::expm1(v)); }
      break;
    case Activation::leaky_relu:
      for (long i = 0; i < n; i++) { const double v = y[i]; y[i] = static_cast<float>(v > 0 ? v : alpha * v); }
      break;
    case Activation::sigmoid:
      for (long i = 0; i < n; i++) y[i] = static_cast<float>(sigmoid(y[i]));
      break;
    case Activation::tanh:
      for (long i = 0; i < n; i++) y[i] = static_cast<float>(std::tanh(static_cast<double>(y[i])));
      break;
  }
}

void dense_forward(const float* x, const float* w, const float* b, long rows, long in, long units,
                   Activation act, double alpha, float* y) {
  if (b != nullptr) {
    for (long r = 0; r < rows; r++) std::memcpy(y + r * units, b, static_cast<size_t>(units) * sizeof(float));
  }
  sgemm(false, false, rows, units, in, 1.0f, x, w, b != nullptr ? 1.0f : 0.0f, y);
  activate(y, rows * units, act, alpha);
}

/** dz = dy act'(y), the oracle's unaryBackward with x = null. */
static void derivative(const float* y, const float* dy, float* dz, long n, Activation act, double alpha) {
  switch (act) {
    case Activation::linear: std::memcpy(dz, dy, static_cast<size_t>(n) * sizeof(float)); break;
    case Activation::relu: for (long i = 0; i < n; i++) dz[i] = y[i] > 0 ? dy[i] : 0.0f; break;
    case Activation::sigmoid:
      for (long i = 0; i < n; i++) dz[i] = static_cast<float>(static_cast<double>(dy[i]) * y[i] * (1 - static_cast<double>(y[i])));
      break;
    case Activation::tanh:
      for (long i = 0; i < n; i++) dz[i] = static_cast<float>(dy[i] * (1 - static_cast<double>(y[i]) * y[i]));
      break;
    case Activation::elu:
      for (long i = 0; i < n; i++) dz[i] = y[i] > 0 ? dy[i] : static_cast<float>(dy[i] * (y[i] + alpha));
      break;
    case Activation::selu:
      for (long i = 0; i < n; i++) {
        dz[i] = static_cast<float>(y[i] > 0 ? dy[i] * SELU_SCALE : dy[i] * (y[i] + SELU_SCALE * SELU_ALPHA));
      }
      break;
    case Activation::leaky_relu:
      for (long i = 0; i < n; i++) dz[i] = y[i] > 0 ? dy[i] : static_cast<float>(dy[i] * alpha);
      break;
  }
}

void dense_backward(const float* x, const float* w, const float* y, const float* dy, long rows, long in,
                    long units, Activation act, double alpha, float* dz, float* dx, float* dw, float* db) {
  const float* d = dy;
  if (act != Activation::linear) {
    derivative(y, dy, dz, rows * units, act, alpha);
    d = dz;
  }
  if (dx != nullptr) sgemm(false, true, rows, in, units, 1.0f, d, w, 0.0f, dx);
  if (dw != nullptr) sgemm(true, false, in, units, rows, 1.0f, x, d, 0.0f, dw);
  if (db != nullptr) {
    for (long j = 0; j < units; j++) db[j] = 0.0f;
    for (long r = 0; r < rows; r++) {
      const float* dr = d + r * units;
      for (long j = 0; j < units; j++) db[j] += dr[j];
    }
  }
}

}  // namespace deepwell
