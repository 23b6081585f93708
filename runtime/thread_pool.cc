#include "runtime/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/num_threads.h"

namespace duet {
namespace {

// The job state is one 64-bit word: epoch (24 bits) | chunk count (20) | next chunk (20).
// Claiming a chunk is a CAS on it, so a worker holding a stale word from an earlier job can
// never take a chunk of the current one.
constexpr int kIndexBits = 20;
constexpr uint64_t kIndexMask = (uint64_t{1} << kIndexBits) - 1;
constexpr int64_t kMaxChunks = static_cast<int64_t>(kIndexMask);
constexpr uint64_t kEpochMask = (uint64_t{1} << 24) - 1;

uint64_t EpochOf(uint64_t s) { return s >> (2 * kIndexBits); }
uint64_t TotalOf(uint64_t s) { return (s >> kIndexBits) & kIndexMask; }
uint64_t NextOf(uint64_t s) { return s & kIndexMask; }
uint64_t Pack(uint64_t epoch, uint64_t total) {
  return (epoch << (2 * kIndexBits)) | (total << kIndexBits);
}

// How long an idle worker spins before it sleeps: eager ops follow each other within a few
// microseconds, and a sleeping worker costs a futex wake-up per op.
constexpr auto kSpinFor = std::chrono::microseconds(50);

thread_local bool tls_in_pool = false;  // a worker, or a caller inside its ParallelFor

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

class Pool {
 public:
  static Pool& Get() {
    static Pool* pool = new Pool();  // leaked: workers may outlive static destruction
    return *pool;
  }

  // Runs the job on this thread and up to threads - 1 workers; false when another thread's job
  // holds the pool (the caller then runs inline).
  bool Run(int64_t n, int64_t chunk, int64_t chunks, int threads,
           absl::FunctionRef<void(int64_t, int64_t)> fn) {
    std::unique_lock<std::mutex> submit(submit_mu_, std::try_to_lock);
    if (!submit.owns_lock()) return false;
    EnsureWorkers(threads - 1);
    fn_ = &fn;
    n_ = n;
    chunk_ = chunk;
    done_.store(0, std::memory_order_relaxed);
    participants_.store(threads - 1, std::memory_order_relaxed);
    uint64_t epoch = (EpochOf(state_.load(std::memory_order_relaxed)) + 1) & kEpochMask;
    state_.store(Pack(epoch, static_cast<uint64_t>(chunks)), std::memory_order_release);
    {
      std::lock_guard<std::mutex> lock(sleep_mu_);
      if (sleepers_ > 0) wake_.notify_all();
    }
    RunChunks(epoch, /*worker=*/false);
    for (int spins = 0; done_.load(std::memory_order_acquire) != chunks; ++spins) {
      if (spins < 4096)
        CpuRelax();
      else
        std::this_thread::yield();  // a worker was descheduled inside its chunk
    }
    parallel_jobs_.fetch_add(1, std::memory_order_relaxed);
    return true;
  }

  ThreadPoolStats Stats() const {
    return {parallel_jobs_.load(std::memory_order_relaxed),
            worker_chunks_.load(std::memory_order_relaxed)};
  }

 private:
  void EnsureWorkers(int count) {
    while (static_cast<int>(num_workers_) < count) {
      std::thread(&Pool::WorkerLoop, this, num_workers_).detach();
      ++num_workers_;
    }
  }

  // Claims and runs chunks of job `epoch` until none is left.
  void RunChunks(uint64_t epoch, bool worker) {
    uint64_t s = state_.load(std::memory_order_acquire);
    for (;;) {
      if (EpochOf(s) != epoch || NextOf(s) >= TotalOf(s)) return;
      if (!state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel,
                                        std::memory_order_acquire))
        continue;
      int64_t begin = static_cast<int64_t>(NextOf(s)) * chunk_;
      (*fn_)(begin, std::min(n_, begin + chunk_));
      if (worker) worker_chunks_.fetch_add(1, std::memory_order_relaxed);
      done_.fetch_add(1, std::memory_order_release);
      s = state_.load(std::memory_order_acquire);
    }
  }

  void WorkerLoop(int index) {
    tls_in_pool = true;
    uint64_t seen = EpochOf(state_.load(std::memory_order_acquire));
    for (;;) {
      uint64_t epoch = WaitForJob(seen);
      seen = epoch;
      if (index < participants_.load(std::memory_order_relaxed)) RunChunks(epoch, /*worker=*/true);
    }
  }

  // Spins briefly, then sleeps, until a job newer than `seen` is published; returns its epoch.
  uint64_t WaitForJob(uint64_t seen) {
    auto until = std::chrono::steady_clock::now() + kSpinFor;
    for (int spins = 0;; ++spins) {
      uint64_t epoch = EpochOf(state_.load(std::memory_order_acquire));
      if (epoch != seen) return epoch;
      if ((spins & 63) == 63 && std::chrono::steady_clock::now() > until) break;
      CpuRelax();
    }
    std::unique_lock<std::mutex> lock(sleep_mu_);
    ++sleepers_;
    uint64_t epoch;
    wake_.wait(lock,
               [&] { return (epoch = EpochOf(state_.load(std::memory_order_acquire))) != seen; });
    --sleepers_;
    return epoch;
  }

  std::mutex submit_mu_;  // one job at a time
  int num_workers_ = 0;   // guarded by submit_mu_
  std::atomic<uint64_t> state_{0};
  // The current job: written by its caller before it publishes state_, read by workers only
  // after claiming one of its chunks (the job cannot finish before they are done reading).
  const absl::FunctionRef<void(int64_t, int64_t)>* fn_ = nullptr;
  int64_t n_ = 0, chunk_ = 1;
  std::atomic<int64_t> done_{0};
  std::atomic<int> participants_{0};

  std::mutex sleep_mu_;
  std::condition_variable wake_;
  int sleepers_ = 0;

  std::atomic<int64_t> parallel_jobs_{0}, worker_chunks_{0};
};

}  // namespace

void ParallelFor(int64_t n, int64_t grain, absl::FunctionRef<void(int64_t, int64_t)> fn) {
  if (n <= 0) return;
  grain = std::max<int64_t>(grain, 1);
  int threads = config::num_threads();
  if (threads <= 1 || n <= grain || tls_in_pool) {
    fn(0, n);
    return;
  }
  int64_t chunks = (n + grain - 1) / grain;
  int64_t chunk = grain;
  if (chunks > kMaxChunks) {
    chunk = (n + kMaxChunks - 1) / kMaxChunks;
    chunks = (n + chunk - 1) / chunk;
  }
  threads = static_cast<int>(std::min<int64_t>(threads, chunks));
  tls_in_pool = true;
  bool ran = Pool::Get().Run(n, chunk, chunks, threads, fn);
  tls_in_pool = false;
  if (!ran) fn(0, n);
}

ThreadPoolStats GetThreadPoolStats() { return Pool::Get().Stats(); }

}  // namespace duet
