// When duet's kernels use more than one thread: the minimum work per chunk for each op family
// (ParallelFor's grain, in elements) and the rule for oneDNN's OpenMP threads. A chunk must
// outweigh waking a worker (a few microseconds) and claiming it (a CAS), so only large tensors
// are split. oneDNN's OpenMP teams meet at barriers: when the other core is busy a barrier
// waits for a whole scheduler slice (milliseconds), which only very large primitives amortize,
// so oneDNN runs single-threaded below kDnnlParallelMinFlops, and duet splits convolutions
// and pools over the batch on its own pool instead (kernels/cpu/dnnl_batch_split.h).
// Elementwise and transcendental maps stay on the calling thread whatever their size: a worker
// descheduled inside its chunk makes the caller wait for a scheduler slice, and at [1M] they
// take 0.1-1 ms, so 2 threads measured slower than 1 on a loaded machine (sqrt [1M]: 938 vs
// 687 us wall at load 11); their grains below are for fused regions with more work per byte.
// Figures: BENCHMARKS.md.
// Example:
//   ParallelFor(n, kGrainElementwise, [&](int64_t b, int64_t e) { ... });
//   DnnlThreadsScope threads(2.0 * macs);  // kernels/cpu/dnnl_context.h
#pragma once

#include <algorithm>
#include <cstdint>

#include "runtime/num_threads.h"

namespace duet {

inline constexpr int64_t kGrainElementwise = 32 * 1024;  // cheap ops: ~10 us per chunk
inline constexpr int64_t kGrainTranscendental =
    8 * 1024;  // exp, tanh ...: ~4x the work per element
inline constexpr int64_t kGrainReduction = 64 * 1024;
inline constexpr int64_t kGrainSoftmax = 16 * 1024;
inline constexpr int64_t kGrainPool = 16 * 1024;  // output elements (each reads a window)

// Rows per chunk for a family's element grain when each row has `row_elements` elements.
inline int64_t RowGrain(int64_t element_grain, int64_t row_elements) {
  return std::max<int64_t>(1, element_grain / std::max<int64_t>(row_elements, 1));
}

// oneDNN primitives with less work than this run on one OpenMP thread.
inline constexpr double kDnnlParallelMinFlops = 2e9;

// OpenMP threads for a oneDNN call doing `flops` floating-point operations.
inline int DnnlThreads(double flops) {
  return flops >= kDnnlParallelMinFlops ? config::num_threads() : 1;
}

}  // namespace duet
