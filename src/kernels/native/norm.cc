// Batch normalization and softmax + crossentropy kernels, and their Node-API bindings (see norm.h).
// x is viewed as [outer, features, inner]; statistics are float64 arrays of `features` values.
// Above 2 x GRAIN_FLOATS elements the passes split across the thread pool without changing any
// bit: the statistics (sums over outer and inner) by features, each feature summed whole by one
// thread in the oracle's order; the elementwise passes (normalize, dx) and softmax + crossentropy
// (each row on its own) by rows, in contiguous chunks.
#include "norm.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "parallel.h"

namespace deepwell {
namespace {

/**
 * Floats a chunk of threaded work touches at least: 32K (10-100 us of work, above the pool's
 * dispatch cost), so passes over fewer than 64K elements stay on the calling thread. As in
 * dense.cc, conv.cc and optimizers.cc.
 */
constexpr long GRAIN_FLOATS = 1L << 15;

/** Units per chunk so that a chunk touches about GRAIN_FLOATS floats, given the floats of one unit. */
long units_per_chunk(long floats_per_unit) { return std::max(1L, GRAIN_FLOATS / std::max(1L, floats_per_unit)); }

/**
 * Calls row(r, r % period) for r in [0, rows) (period > 0), rows of `width` floats split in
 * contiguous chunks across the pool (on the calling thread below 2 chunks).
 */
template <typename F>
void for_rows(long rows, long width, long period, F row) {
  parallel_range(rows, units_per_chunk(width), [&](long r0, long r1) {
    long c = r0 % period;
    for (long r = r0; r < r1; r++) {
      row(r, c);
      if (++c == period) c = 0;
    }
  });
}

/**
 * Features per statistics chunk when inner == 1 (channels-last feature maps, Dense outputs): a row's
 * features are contiguous, so a chunk takes a run of them (16 floats: one cache line) rather than one.
 */
constexpr long FEATURES_PER_LINE = 16;

/**
 * Calls stats(c0, c1) on chunks of the features: each feature whole in one chunk (its sums in the
 * oracle's order, whatever the split), a run of FEATURES_PER_LINE at least when inner == 1.
 */
template <typename F>
void for_feature_chunks(long outer, long features, long inner, F stats) {
  const long grain = units_per_chunk(outer * inner);
  parallel_range(features, inner == 1 ? std::max(grain, FEATURES_PER_LINE) : grain, stats);
}

/**
 * Calls element(base, i, c) for every element of x viewed as [outer, features, inner] (element
 * base + i of feature c): in rows of `inner` values per (o, c), or, when inner == 1, in rows of
 * `features` values per o, which keep the loop over c contiguous and vectorizable.
 */
template <typename F>
void for_elements(long outer, long features, long inner, F element) {
  if (inner == 1) {
    for_rows(outer, features, 1, [&](long o, long) {
      const long base = o * features;
      for (long c = 0; c < features; c++) element(base + c, 0, c);
    });
  } else {
    for_rows(outer * features, inner, features, [&](long r, long c) {
      const long base = r * inner;
      for (long i = 0; i < inner; i++) element(base, i, c);
    });
  }
}

void bn_forward(const float* x, long outer, long features, long inner, const float* gamma, const float* beta,
                double epsilon, bool training, double* mean, double* variance, double* inv_std, float* y) {
  if (training) {
    const double count = static_cast<double>(outer * inner);
    for_feature_chunks(outer, features, inner, [&](long c0, long c1) {
      for (long c = c0; c < c1; c++) mean[c] = variance[c] = 0.0;
      for (long o = 0; o < outer; o++) {
        if (inner == 1) {  // the same additions as below: a one-value row's sum is that value
          const float* row = x + o * features;
          for (long c = c0; c < c1; c++) mean[c] += row[c];
          continue;
        }
        for (long c = c0; c < c1; c++) {
          const float* row = x + (o * features + c) * inner;
          double s = 0.0;
          for (long i = 0; i < inner; i++) s += row[i];
          mean[c] += s;
        }
      }
      for (long c = c0; c < c1; c++) mean[c] /= count;
      for (long o = 0; o < outer; o++) {
        if (inner == 1) {
          const float* row = x + o * features;
          for (long c = c0; c < c1; c++) {
            const double d = row[c] - mean[c];
            variance[c] += d * d;
          }
          continue;
        }
        for (long c = c0; c < c1; c++) {
          const float* row = x + (o * features + c) * inner;
          const double m = mean[c];
          double s = 0.0;
          for (long i = 0; i < inner; i++) {
            const double d = row[i] - m;
            s += d * d;
          }
          variance[c] += s;
        }
      }
      for (long c = c0; c < c1; c++) variance[c] /= count;
    });
  }
  std::vector<double> scale(static_cast<size_t>(features)), shift(static_cast<size_t>(features));
  for (long c = 0; c < features; c++) {
    inv_std[c] = 1.0 / std::sqrt(variance[c] + epsilon);
    scale[c] = (gamma != nullptr ? static_cast<double>(gamma[c]) : 1.0) * inv_std[c];
    shift[c] = beta != nullptr ? static_cast<double>(beta[c]) : 0.0;
  }
  const double* sc = scale.data();
  const double* sh = shift.data();
  for_elements(outer, features, inner, [&](long base, long i, long c) {
    y[base + i] = static_cast<float>((x[base + i] - mean[c]) * sc[c] + sh[c]);
  });
}

void bn_backward(const float* x, const float* dy, long outer, long features, long inner, const float* gamma,
                 const double* mean, const double* inv_std, bool training, float* dx, double* sum_dy, double* sum_dy_xhat) {
  for_feature_chunks(outer, features, inner, [&](long c0, long c1) {
    for (long c = c0; c < c1; c++) sum_dy[c] = sum_dy_xhat[c] = 0.0;
    for (long o = 0; o < outer; o++) {
      if (inner == 1) {  // the same additions as below: a one-value row's sums are its terms
        const long base = o * features;
        for (long c = c0; c < c1; c++) {
          const double g = dy[base + c];
          sum_dy[c] += g;
          sum_dy_xhat[c] += g * (x[base + c] - mean[c]) * inv_std[c];
        }
        continue;
      }
      for (long c = c0; c < c1; c++) {
        const long base = (o * features + c) * inner;
        const double m = mean[c];
        const double s = inv_std[c];
        double a = 0.0, b = 0.0;
        for (long i = 0; i < inner; i++) {
          const double g = dy[base + i];
          a += g;
          b += g * (x[base + i] - m) * s;
        }
        sum_dy[c] += a;
        sum_dy_xhat[c] += b;
      }
    }
  });
  if (dx == nullptr) return;
  const double count = static_cast<double>(outer * inner);
  std::vector<double> k(static_cast<size_t>(features)), mean_dy(static_cast<size_t>(features)), mean_dy_xhat(static_cast<size_t>(features));
  for (long c = 0; c < features; c++) {
    k[c] = (gamma != nullptr ? static_cast<double>(gamma[c]) : 1.0) * inv_std[c];
    mean_dy[c] = sum_dy[c] / count;
    mean_dy_xhat[c] = sum_dy_xhat[c] / count;
  }
  const double *kc = k.data(), *mdy = mean_dy.data(), *mdx = mean_dy_xhat.data();
  if (training) {
    for_elements(outer, features, inner, [&](long base, long i, long c) {
      dx[base + i] = static_cast<float>(kc[c] * (dy[base + i] - mdy[c] - (x[base + i] - mean[c]) * inv_std[c] * mdx[c]));
    });
  } else {
    for_elements(outer, features, inner, [&](long base, long i, long c) { dx[base + i] = static_cast<float>(kc[c] * dy[base + i]); });
  }
}

void softmax_xent(const float* z, const float* t, long rows, long classes, float* loss, float* dz, double* lse) {
  for_rows(rows, classes, 1, [&](long r, long) {
    const float* zr = z + r * classes;
    const float* tr = t + r * classes;
    double m = -INFINITY;
    for (long c = 0; c < classes; c++) if (zr[c] > m) m = zr[c];
    double s = 0.0;
    for (long c = 0; c < classes; c++) s += std::exp(zr[c] - m);
    const double log_s = std::log(s);
    double acc = 0.0, total = 0.0;
    for (long c = 0; c < classes; c++) {
      acc += tr[c] * ((zr[c] - m) - log_s);
      total += tr[c];
    }
    loss[r] = static_cast<float>(-acc);
    lse[r] = m + log_s;
    if (dz != nullptr) {
      float* dr = dz + r * classes;
      for (long c = 0; c < classes; c++) dr[c] = static_cast<float>((std::exp(zr[c] - m) / s) * total - tr[c]);
    }
  });
}

/** Index of the first NaN or infinity (exponent bits all ones), or -1; the scan vectorizes. */
long first_non_finite(const float* x, long n) {
  constexpr long BLOCK = 1024;
  for (long start = 0; start < n; start += BLOCK) {
    const long end = start + BLOCK < n ? start + BLOCK : n;
    unsigned bad = 0;
    for (long i = start; i < end; i++) {
      unsigned bits;
      std::memcpy(&bits, x + i, sizeof bits);
      bad |= static_cast<unsigned>((bits & 0x7f800000u) == 0x7f800000u);
    }
    if (bad != 0) {
      for (long i = start; i < end; i++) if (!std::isfinite(x[i])) return i;
    }
  }
  return -1;
}

// ---- Node-API glue: argument checks (a native write out of bounds would corrupt memory) ----

bool fail(napi_env env, const std::string& message) {
  napi_throw_range_error(env, nullptr, message.c_str());
  return false;
}

/** The data of a typed array of `type` with at least `need` elements; null/undefined gives nullptr when `nullable`. */
template <typename T>
bool array_arg(napi_env env, napi_value v, napi_typedarray_type type, size_t need, bool nullable, T** out, const char* name) {
  napi_valuetype vt;
  napi_typeof(env, v, &vt);
  if (nullable && (vt == napi_null || vt == napi_undefined)) {
    *out = nullptr;
    return true;
  }
  bool is_typed = false;
  napi_is_typedarray(env, v, &is_typed);
  napi_typedarray_type got;
  size_t length = 0;
  void* data = nullptr;
  if (!is_typed || napi_get_typedarray_info(env, v, &got, &length, &data, nullptr, nullptr) != napi_ok || got != type) {
    return fail(env, std::string(name) + " must be a " + (type == napi_float32_array ? "Float32Array" : "Float64Array"));
  }
  if (length < need) return fail(env, std::string(name) + " has " + std::to_string(length) + " elements, expected at least " + std::to_string(need));
  *out = static_cast<T*>(data);
  return true;
}

bool count_arg(napi_env env, napi_value v, long* out, const char* name) {
  double d = -1;
  napi_get_value_double(env, v, &d);
  if (!(d >= 0) || d != std::floor(d) || d > 2147483647.0) return fail(env, std::string(name) + " must be an integer in [0, 2^31)");
  *out = static_cast<long>(d);
  return true;
}

bool args(napi_env env, napi_callback_info info, size_t want, napi_value* argv, const char* usage) {
  size_t argc = want;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  return argc >= want || fail(env, usage);
}

/** batchNormForward(x, outer, features, inner, gamma, beta, epsilon, training, mean, variance, invStd, y). */
napi_value BatchNormForward(napi_env env, napi_callback_info info) {
  napi_value a[12];
  if (!args(env, info, 12, a, "batchNormForward: expected 12 arguments")) return nullptr;
  long outer, features, inner;
  double epsilon = 0;
  bool training = false;
  float *x, *gamma, *beta, *y;
  double *mean, *variance, *inv_std;
  if (!count_arg(env, a[1], &outer, "outer") || !count_arg(env, a[2], &features, "features") || !count_arg(env, a[3], &inner, "inner")) return nullptr;
  const size_t n = static_cast<size_t>(outer * features * inner);
  const size_t f = static_cast<size_t>(features);
  napi_get_value_double(env, a[6], &epsilon);
  napi_get_value_bool(env, a[7], &training);
  if (!array_arg(env, a[0], napi_float32_array, n, false, &x, "x") || !array_arg(env, a[4], napi_float32_array, f, true, &gamma, "gamma")
      || !array_arg(env, a[5], napi_float32_array, f, true, &beta, "beta") || !array_arg(env, a[8], napi_float64_array, f, false, &mean, "mean")
      || !array_arg(env, a[9], napi_float64_array, f, false, &variance, "variance")
      || !array_arg(env, a[10], napi_float64_array, f, false, &inv_std, "invStd") || !array_arg(env, a[11], napi_float32_array, n, false, &y, "y")) {
    return nullptr;
  }
  bn_forward(x, outer, features, inner, gamma, beta, epsilon, training, mean, variance, inv_std, y);
  return nullptr;
}

/** batchNormBackward(x, dy, outer, features, inner, gamma, mean, invStd, training, dx, sumDy, sumDyXhat). */
napi_value BatchNormBackward(napi_env env, napi_callback_info info) {
  napi_value a[12];
  if (!args(env, info, 12, a, "batchNormBackward: expected 12 arguments")) return nullptr;
  long outer, features, inner;
  bool training = false;
  float *x, *dy, *gamma, *dx;
  double *mean, *inv_std, *sum_dy, *sum_dy_xhat;
  if (!count_arg(env, a[2], &outer, "outer") || !count_arg(env, a[3], &features, "features") || !count_arg(env, a[4], &inner, "inner")) return nullptr;
  const size_t n = static_cast<size_t>(outer * features * inner);
  const size_t f = static_cast<size_t>(features);
  napi_get_value_bool(env, a[8], &training);
  if (!array_arg(env, a[0], napi_float32_array, n, false, &x, "x") || !array_arg(env, a[1], napi_float32_array, n, false, &dy, "dy")
      || !array_arg(env, a[5], napi_float32_array, f, true, &gamma, "gamma") || !array_arg(env, a[6], napi_float64_array, f, false, &mean, "mean")
      || !array_arg(env, a[7], napi_float64_array, f, false, &inv_std, "invStd") || !array_arg(env, a[9], napi_float32_array, n, true, &dx, "dx")
      || !array_arg(env, a[10], napi_float64_array, f, false, &sum_dy, "sumDy")
      || !array_arg(env, a[11], napi_float64_array, f, false, &sum_dy_xhat, "sumDyXhat")) {
    return nullptr;
  }
  bn_backward(x, dy, outer, features, inner, gamma, mean, inv_std, training, dx, sum_dy, sum_dy_xhat);
  return nullptr;
}

/** softmaxCrossentropy(logits, targets, rows, classes, loss, dLogits, logSumExp). */
napi_value SoftmaxCrossentropy(napi_env env, napi_callback_info info) {
  napi_value a[7];
  if (!args(env, info, 7, a, "softmaxCrossentropy: expected 7 arguments")) return nullptr;
  long rows, classes;
  float *z, *t, *loss, *dz;
  double* lse;
  if (!count_arg(env, a[2], &rows, "rows") || !count_arg(env, a[3], &classes, "classes")) return nullptr;
  const size_t n = static_cast<size_t>(rows * classes);
  const size_t r = static_cast<size_t>(rows);
  if (!array_arg(env, a[0], napi_float32_array, n, false, &z, "logits") || !array_arg(env, a[1], napi_float32_array, n, false, &t, "targets")
      || !array_arg(env, a[4], napi_float32_array, r, false, &loss, "loss") || !array_arg(env, a[5], napi_float32_array, n, true, &dz, "dLogits")
      || !array_arg(env, a[6], napi_float64_array, r, false, &lse, "logSumExp")) {
    return nullptr;
  }
  softmax_xent(z, t, rows, classes, loss, dz, lse);
  return nullptr;
}

/** firstNonFinite(x): index of the first NaN or infinite element of a Float32Array, or -1. */
napi_value FirstNonFinite(napi_env env, napi_callback_info info) {
  napi_value a[1];
  if (!args(env, info, 1, a, "firstNonFinite: expected 1 argument")) return nullptr;
  float* x;
  size_t length = 0;
  napi_get_typedarray_info(env, a[0], nullptr, &length, nullptr, nullptr, nullptr);
  if (!array_arg(env, a[0], napi_float32_array, 0, false, &x, "x")) return nullptr;
  napi_value out;
  napi_create_double(env, static_cast<double>(first_non_finite(x, static_cast<long>(length))), &out);
  return out;
}

void add_function(napi_env env, napi_value exports, const char* name, napi_callback fn) {
  napi_value f;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, nullptr, &f);
  napi_set_named_property(env, exports, name, f);
}

}  // namespace

void register_norm_kernels(napi_env env, napi_value exports) {
  add_function(env, exports, "batchNormForward", BatchNormForward);
  add_function(env, exports, "batchNormBackward", BatchNormBackward);
  add_function(env, exports, "softmaxCrossentropy", SoftmaxCrossentropy);
  add_function(env, exports, "firstNonFinite", FirstNonFinite);
}

}  // namespace deepwell
