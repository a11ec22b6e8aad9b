// Elementwise parts in double with the formulas of the TypeScript oracle (src/kernels/ts/unary.ts),
// each value rounded to float once; expm1 (selu, elu) is our own vectorizable one, exp and tanh
// (sigmoid, tanh) come from the C library, so results may differ from V8's Math functions in the
// last float bit on rare inputs. The Dense epilogue (activation), the derivative and the bias
// gradient split across the thread pool above 2 x ELEMENTWISE_GRAIN elements, in contiguous chunks:
// each element (each bias column) is computed as on one thread, so the bits do not depend on the
// thread count.
#include "dense.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "gemm.h"
#include "parallel.h"

namespace deepwell {

/**
 * Elements per chunk of a threaded elementwise pass: 32K floats (128 KiB per array) is 10-100 us of
 * work, above the pool's dispatch cost (a few us when the workers spin, tens when they sleep), so a
 * pass runs on the calling thread below 64K elements (parallel_range splits only n >= 2 grains).
 * The same grain as the optimizer updates and the conv kernels.
 */
constexpr long ELEMENTWISE_GRAIN = 1L << 15;

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

/**
 * expm1(v) for v <= 0 in double, branch-free so the compiler vectorizes the loops that call it
 * (the C library's expm1 is scalar and was most of a selu layer's forward time). Relative error
 * below 1e-14, far under the float rounding of the result (2^-24), so the stored floats equal
 * those of the oracle's Math.expm1 except in astronomically rare ties.
 *   -0.5 <= v <= 0: the Taylor series to v^14 / 14! (truncation < 0.5^15 / 15! = 2.3e-17);
 *   v < -0.5:       exp(v) - 1, exp by v = k ln2 + r, |r| <= ln2 / 2, exp(r) by Taylor to r^13 / 13!
 *                   (truncation < 0.35^14 / 14! = 4.6e-18), times 2^k built from its exponent bits;
 *                   v is clamped at -60 (exp(-60) < 1e-26: the result is -1 in float anyway).
 * NaN gives NaN; -0 gives -0, as Math.expm1.
 */
static inline double expm1_nonpositive(double v) {
  const double LN2_HI = 6.93147180369123816490e-01;
  const double LN2_LO = 1.90821492927058770002e-10;
  const double INV_LN2 = 1.44269504088896338700e+00;
  const double c = v < -60.0 ? -60.0 : v;  // NaN passes through and is restored at the end
  // Small |v|: series.
  double s = 1.0 / 87178291200.0;  // 1/14!
  s = s * c + 1.0 / 6227020800.0;
  s = s * c + 1.0 / 479001600.0;
  s = s * c + 1.0 / 39916800.0;
  s = s * c + 1.0 / 3628800.0;
  s = s * c + 1.0 / 362880.0;
  s = s * c + 1.0 / 40320.0;
  s = s * c + 1.0 / 5040.0;
  s = s * c + 1.0 / 720.0;
  s = s * c + 1.0 / 120.0;
  s = s * c + 1.0 / 24.0;
  s = s * c + 1.0 / 6.0;
  s = s * c + 0.5;
  const double small = c + c * c * s;
  // Large |v|: exp(c) - 1.
  const double cc = c == c ? c : 0.0;
  const double k = std::nearbyint(cc * INV_LN2);
  const double r = (cc - k * LN2_HI) - k * LN2_LO;
  double e = 1.0 / 6227020800.0;  // 1/13!
  e = e * r + 1.0 / 479001600.0;
  e = e * r + 1.0 / 39916800.0;
  e = e * r + 1.0 / 3628800.0;
  e = e * r + 1.0 / 362880.0;
  e = e * r + 1.0 / 40320.0;
  e = e * r + 1.0 / 5040.0;
  e = e * r + 1.0 / 720.0;
  e = e * r + 1.0 / 120.0;
  e = e * r + 1.0 / 24.0;
  e = e * r + 1.0 / 6.0;
  e = e * r + 0.5;
  e = e * r + 1.0;
  e = e * r + 1.0;
  // 2^k: k + 1023 lands in the low bits of 2^52 + (k + 1023) (exact for |k| < 2^51); shifting
  // those bits into the exponent field gives 2^k without a float-to-int conversion.
  const double shifted = k + (1023.0 + 4503599627370496.0);
  uint64_t bits;
  std::memcpy(&bits, &shifted, sizeof bits);
  bits <<= 52;
  double scale;
  std::memcpy(&scale, &bits, sizeof scale);
  const double large = e * scale - 1.0;
  const double result = c >= -0.5 ? small : large;
  return v == v && v != 0 ? result : v;  // NaN stays NaN, -0 stays -0
}

static inline double sigmoid(double v) {
  if (v >= 0) return 1 / (1 + std::exp(-v));
  const double e = std::exp(v);
  return e / (1 + e);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define DEEPWELL_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define DEEPWELL_CLONES
#endif

DEEPWELL_CLONES
void activate(float* y, long n, Activation act, double alpha) {
  switch (act) {
    case Activation::linear: break;
    case Activation::relu:
      // NaN stays NaN (v > 0 and v <= 0 both false), as in the oracle.
      for (long i = 0; i < n; i++) { const float v = y[i]; y[i] = v > 0 ? v : v <= 0 ? 0.0f : v; }
      break;
    case Activation::selu:
      for (long i = 0; i < n; i++) {
        const double v = y[i];
        y[i] = static_cast<float>(v > 0 ? SELU_SCALE * v : SELU_SCALE * SELU_ALPHA * expm1_nonpositive(v));
      }
      break;
    case Activation::elu:
      for (long i = 0; i < n; i++) { const double v = y[i]; y[i] = static_cast<float>(v > 0 ? v : alpha * expm1_nonpositive(v)); }
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
  if (act == Activation::linear) return;
  parallel_range(rows * units, ELEMENTWISE_GRAIN, [&](long i0, long i1) { activate(y + i0, i1 - i0, act, alpha); });
}

/**
 * dz = dy act'(y), the oracle's unaryBackward with x = null. dy[i] is loaded before the select (not
 * inside one branch) so the loops vectorize: a branch per element mispredicts half the time on the
 * random signs of pre-activations (10x slower for relu, measured).
 */
DEEPWELL_CLONES
void derivative(const float* y, const float* dy, float* dz, long n, Activation act, double alpha) {
  switch (act) {
    case Activation::linear: std::memcpy(dz, dy, static_cast<size_t>(n) * sizeof(float)); break;
    case Activation::relu: for (long i = 0; i < n; i++) { const float g = dy[i]; dz[i] = y[i] > 0 ? g : 0.0f; } break;
    case Activation::sigmoid:
      for (long i = 0; i < n; i++) dz[i] = static_cast<float>(static_cast<double>(dy[i]) * y[i] * (1 - static_cast<double>(y[i])));
      break;
    case Activation::tanh:
      for (long i = 0; i < n; i++) dz[i] = static_cast<float>(dy[i] * (1 - static_cast<double>(y[i]) * y[i]));
      break;
    case Activation::elu:
      for (long i = 0; i < n; i++) { const float g = dy[i]; dz[i] = y[i] > 0 ? g : static_cast<float>(g * (y[i] + alpha)); }
      break;
    case Activation::selu:
      for (long i = 0; i < n; i++) {
        dz[i] = static_cast<float>(y[i] > 0 ? dy[i] * SELU_SCALE : dy[i] * (y[i] + SELU_SCALE * SELU_ALPHA));
      }
      break;
    case Activation::leaky_relu:
      for (long i = 0; i < n; i++) { const float g = dy[i]; dz[i] = y[i] > 0 ? g : static_cast<float>(g * alpha); }
      break;
  }
}

void dense_backward(const float* x, const float* w, const float* y, const float* dy, long rows, long in,
                    long units, Activation act, double alpha, float* dz, float* dx, float* dw, float* db) {
  const float* d = dy;
  if (act != Activation::linear) {
    parallel_range(rows * units, ELEMENTWISE_GRAIN,
                   [&](long i0, long i1) { derivative(y + i0, dy + i0, dz + i0, i1 - i0, act, alpha); });
    d = dz;
  }
  if (dx != nullptr) sgemm(false, true, rows, in, units, 1.0f, d, w, 0.0f, dx);
  if (dw != nullptr) sgemm(true, false, in, units, rows, 1.0f, x, d, 0.0f, dw);
  if (db != nullptr) {
    // Split over columns only (each column summed over all rows, in row order, by one thread).
    parallel_range(units, std::max(1L, ELEMENTWISE_GRAIN / std::max(1L, rows)), [&](long j0, long j1) {
      for (long j = j0; j < j1; j++) db[j] = 0.0f;
      for (long r = 0; r < rows; r++) {
        const float* dr = d + r * units;
        for (long j = j0; j < j1; j++) db[j] += dr[j];
      }
    });
  }
}

}  // namespace deepwell
