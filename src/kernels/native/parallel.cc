#include "parallel.h"

#include <algorithm>
#include <atomic>

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
  const long chunks = (n + grain - 1) / grain;
  const int threads = static_cast<int>(std::min<long>(pool().size(), chunks));
  std::atomic<long> next{0};
  // Chunks are claimed dynamically: a worker that starts late finds less (or nothing) to do.
  pool().run(threads, [&](int, int) {
    for (long c; (c = next.fetch_add(1)) < chunks;) f(c * grain, std::min(n, (c + 1) * grain));
  });
}

}  // namespace deepwell
