// A small persistent thread pool: `run(n, job)` calls job(t, n) on the calling thread (t = 0) and
// on the workers that start in time (t = 1..n-1), and returns when the caller's share is done and
// no worker is inside the job. Workers spin briefly for the next job (a GEMM
// step is tens of microseconds; waking a sleeping thread costs about as much), then sleep on a
// condition variable.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace deepwell {

/** Spins before a waiting thread yields or sleeps (about 10-50 microseconds of pause loops). */
constexpr int SPIN_ITERATIONS = 4000;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

class ThreadPool {
 public:
  using Job = std::function<void(int thread, int threads)>;

  ~ThreadPool() { resize(1); }

  /** Threads a job may use (the caller included). */
  int size() const { return static_cast<int>(workers_.size()) + 1; }

  /** Sets the thread count (>= 1): starts or stops workers. Not during a run. */
  void resize(int threads) {
    if (threads < 1) threads = 1;
    if (threads == size()) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
      generation_.fetch_add(1, std::memory_order_acq_rel);
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
    stop_ = false;
    // Each worker starts from the generation current now, so a job posted before it first runs
    // is not missed.
    const unsigned start = generation_.load(std::memory_order_acquire);
    for (int t = 1; t < threads; t++) workers_.emplace_back([this, t, start] { loop(t, start); });
  }

  /**
   * Runs job(t, n) with n = min(threads, size()): t = 0 on the calling thread, the others on the
   * workers that start it in time. A job must share its work dynamically (each thread claims work
   * until none is left), because the caller does not wait for a worker the OS has not scheduled
   * yet: once the caller's own job(0, n) returns, the job is closed, a worker that has not entered
   * it skips it, and run() returns when the workers inside it have left.
   */
  void run(int threads, const Job& job) {
    if (threads > size()) threads = size();
    if (threads <= 1) {
      job(0, 1);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &job;
      active_ = threads;
      closed_ = false;
      generation_.fetch_add(1, std::memory_order_acq_rel);
    }
    wake_.notify_all();
    job(0, threads);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
    }
    for (int i = 0; inside_.load(std::memory_order_acquire) != 0; i++) {
      if (i < SPIN_ITERATIONS) cpu_relax(); else std::this_thread::yield();
    }
  }

 private:
  void loop(int t, unsigned seen) {
    for (;;) {
      for (int i = 0; i < SPIN_ITERATIONS && generation_.load(std::memory_order_acquire) == seen; i++) cpu_relax();
      if (generation_.load(std::memory_order_acquire) == seen) {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
      }
      const Job* job = nullptr;
      int active = 0;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        seen = generation_.load(std::memory_order_acquire);
        if (stop_) return;
        if (!closed_ && t < active_) {
          job = job_;
          active = active_;
          inside_.fetch_add(1, std::memory_order_acq_rel);
        }
      }
      if (job != nullptr) {
        (*job)(t, active);
        inside_.fetch_sub(1, std::memory_order_acq_rel);
      }
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<unsigned> generation_{0};
  /** Workers inside the current job. */
  std::atomic<int> inside_{0};
  const Job* job_ = nullptr;
  int active_ = 0;
  bool closed_ = true;
  bool stop_ = false;
};

}  // namespace deepwell
