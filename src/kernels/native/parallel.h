// The addon's one thread pool and the lock that serializes its users (GEMM, elementwise passes).
#pragma once

#include <functional>
#include <mutex>

#include "thread_pool.h"

namespace deepwell {

/** Held by every kernel that uses the pool or the shared packing buffers. */
std::mutex& kernel_mutex();

/** The pool (resize only with kernel_mutex held). */
ThreadPool& pool();

/** Threads the kernels may use (>= 1). */
int kernel_threads();
void set_kernel_threads(int threads);

/**
 * Calls f(begin, end) over [0, n) in chunks of `grain`: on the calling thread when n < 2 * grain,
 * else claimed dynamically by the threads of the pool. For elementwise passes (each element independent, so the
 * result does not depend on the split).
 */
void parallel_range(long n, long grain, const std::function<void(long, long)>& f);

}  // namespace deepwell
