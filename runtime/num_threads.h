// The number of threads duet's kernels use: duet's pool (ParallelFor) and oneDNN's OpenMP
// threads (capped per call, kernels/cpu/dnnl_context.h). Set by config::set_num_threads or the
// environment variable DUET_NUM_THREADS (read once, at first use); by default the machine's
// hardware threads (capped at 8), which measured best here: see BENCHMARKS.md.
// Example: config::set_num_threads(1);  // every kernel single-threaded from now on
#pragma once

#include "runtime/error.h"

namespace duet {

inline constexpr int kMaxThreads = 256;

// n threads from "DUET_NUM_THREADS"'s value `text`, or an InvalidArgument error naming it.
absl::StatusOr<int> ParseNumThreads(const char* text);

namespace config {

// 1 <= n <= kMaxThreads, else throws "[set_num_threads] ...". Takes effect at the next op.
void set_num_threads(int n, const Loc& loc = Loc::current());
int num_threads();

}  // namespace config
}  // namespace duet
