#include "optimizers.h"

#include <cmath>

#include "parallel.h"

namespace deepwell {

/** Elements per thread below which an update stays on one thread (~10 us of work). */
constexpr long UPDATE_GRAIN = 1L << 15;

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define DEEPWELL_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define DEEPWELL_CLONES
#endif

DEEPWELL_CLONES
static void adam_range(float* __restrict w, const float* __restrict g, float* __restrict m,
                       float* __restrict v, long i0, long i1, double alpha, double c1, double c2, double eps) {
  for (long i = i0; i < i1; i++) {
    const double gi = g[i];
    const float mi = static_cast<float>(m[i] + (gi - m[i]) * c1);
    const float vi = static_cast<float>(v[i] + (gi * gi - v[i]) * c2);
    m[i] = mi;
    v[i] = vi;
    w[i] = static_cast<float>(w[i] - (alpha * mi) / (std::sqrt(static_cast<double>(vi)) + eps));
  }
}

void adam_update(float* w, const float* g, float* m, float* v, long n, double alpha, double beta1,
                 double beta2, double epsilon) {
  const double c1 = 1 - beta1;
  const double c2 = 1 - beta2;
  parallel_range(n, UPDATE_GRAIN, [&](long i0, long i1) { adam_range(w, g, m, v, i0, i1, alpha, c1, c2, epsilon); });
}

DEEPWELL_CLONES
static void sgd_range(float* __restrict w, const float* __restrict g, float* __restrict vel, long i0,
                      long i1, double lr, double mu, bool nesterov) {
  if (vel == nullptr) {
    for (long i = i0; i < i1; i++) w[i] = static_cast<float>(w[i] - lr * g[i]);
  } else if (nesterov) {
    for (long i = i0; i < i1; i++) {
      const float vi = static_cast<float>(mu * vel[i] - lr * g[i]);
      vel[i] = vi;
      w[i] = static_cast<float>(w[i] + (mu * vi - lr * g[i]));
    }
  } else {
    for (long i = i0; i < i1; i++) {
      const float vi = static_cast<float>(mu * vel[i] - lr * g[i]);
      vel[i] = vi;
      w[i] = static_cast<float>(w[i] + static_cast<double>(vi));
    }
  }
}

void sgd_update(float* w, const float* g, float* velocity, long n, double lr, double momentum, bool nesterov) {
  parallel_range(n, UPDATE_GRAIN, [&](long i0, long i1) { sgd_range(w, g, velocity, i0, i1, lr, momentum, nesterov); });
}

}  // namespace deepwell
