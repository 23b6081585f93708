// ParallelFor: duet's own small thread pool (the calling thread plus num_threads() - 1 workers).
// Work is cut into chunks of `grain` indices that threads claim one at a time from a shared
// counter; the caller claims chunks too and only ever waits for chunks a worker has already
// started. A worker that is late (asleep, or descheduled because the other core is busy) thus
// finds nothing left instead of stalling the op: two threads are never much slower than one,
// unlike a static split behind a barrier (OpenMP's), which waits a scheduler slice then.
// Runs inline when n <= grain, num_threads() == 1, inside a worker, or while another thread's
// ParallelFor holds the pool. `fn` must not throw.
// Example:
//   ParallelFor(n, kGrainElementwise, [&](int64_t begin, int64_t end) {
//     for (int64_t i = begin; i < end; ++i) out[i] = a[i] + b[i];
//   });
#pragma once

#include <cstdint>

#include "absl/functional/function_ref.h"

namespace duet {

void ParallelFor(int64_t n, int64_t grain, absl::FunctionRef<void(int64_t begin, int64_t end)> fn);

// Jobs that ran on more than one thread, and chunks workers (not callers) ran, since start-up:
// tests and benchmarks use them to see the pool is used.
struct ThreadPoolStats {
  int64_t parallel_jobs = 0;
  int64_t worker_chunks = 0;
};
ThreadPoolStats GetThreadPoolStats();

}  // namespace duet
