#include "parallel.h"

#include <algorithm>

namespace deepwell {

std::mutex& kernel_mutex() {
  static std::mutex m;
  return m;
}

ThreadPool& pool() {
  static ThreadPool p;
  return p;
}

int kernel_threads() {
  std::lock_guard<std::mutex> lock(kernel_mutex());
  return pool().size();
}

void set_kernel_threads(int threads) {
  std::lock_guard<std::mutex> lock(kernel_mutex());
  pool().resize(threads);
}

void parallel_range(long n, long grain, const std::function<void(long, long)>& f) {
  if (n <= 0) return;
  if (n < 2 * grain) {
    f(0, n);
    return;
  }
  std::lock_guard<std::mutex> lock(kernel_mutex());
  const int threads = static_cast<int>(std::min<long>(pool().size(), n / grain));
  pool().run(threads, [&](int t, int count) {
    f(n * t / count, n * (t + 1) / count);
  });
}

}  // namespace deepwell
