// Splits a oneDNN call over its batch on duet's pool (runtime/thread_pool.h): each chunk of
// images runs the primitive for that chunk's batch size on one OpenMP thread, so a late worker
// never holds up the call the way an OpenMP barrier does. A chunk carries at least
// kDnnlChunkFlops of work; small calls, and all calls with one thread, run whole. The first failing
// chunk's status is returned (chunks cannot throw: dnnl::error becomes a status inside).
// Example:
//   int64_t per_chunk = DnnlImagesPerChunk(g.batch, flops_per_image);
//   return DnnlBatchSplit(g.batch, per_chunk, [&](int64_t b0, int64_t b1) {
//     return DnnlConv2DF32Part(g, b0, b1, ...);
//   });
#pragma once

#include <algorithm>
#include <cstdint>
#include <mutex>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "kernels/cpu/window_geometry.h"
#include "runtime/num_threads.h"
#include "runtime/thread_policy.h"
#include "runtime/thread_pool.h"

namespace duet::cpu {

// Work per chunk worth a worker's wake-up and a smaller primitive (about 0.1-0.2 ms).
inline constexpr double kDnnlChunkFlops = 8e6;

// Images per chunk: the whole batch when splitting does not pay or one thread is used. Work is
// in flops (pools: window elements read, chunk_work kDnnlPoolChunkReads).
inline constexpr double kDnnlPoolChunkReads = 4.0 * kGrainPool;

inline int64_t DnnlImagesPerChunk(int64_t batch, double work_per_image,
                                  double chunk_work = kDnnlChunkFlops) {
  int64_t per_chunk =
      std::max<int64_t>(1, static_cast<int64_t>(chunk_work / std::max(work_per_image, 1.0)));
  return per_chunk >= batch || config::num_threads() == 1 ? std::max<int64_t>(batch, 1) : per_chunk;
}

// run(b0, b1) for the chunks [k * per_chunk, min(batch, (k + 1) * per_chunk)), on the pool.
inline absl::Status DnnlBatchSplit(int64_t batch, int64_t per_chunk,
                                   absl::FunctionRef<absl::Status(int64_t, int64_t)> run) {
  if (per_chunk >= batch) return run(0, batch);
  std::mutex mu;
  absl::Status first_error;
  ParallelFor(batch, per_chunk, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; b += per_chunk) {  // one chunk, or all of them when run inline
      absl::Status s = run(b, std::min(b1, b + per_chunk));
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first_error.ok()) first_error = s;
      }
    }
  });
  return first_error;
}

// g restricted to images [b0, b1) (pointers are then offset by b0 images by the caller).
inline Window2D BatchPart(Window2D g, int64_t b0, int64_t b1) {
  g.batch = b1 - b0;
  return g;
}

}  // namespace duet::cpu
