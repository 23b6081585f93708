// Filling float32/float64 tensors with Philox-based random values (see philox.h). Element i
// depends only on (seed, i): float32 takes one 32-bit word per uniform, float64 two. Normal
// values use Box-Muller on pairs of uniforms, computed in double. No std:: distributions
// (their output is implementation-defined), so a seed gives the same tensor everywhere.
// Example: FillUniform(out, /*seed=*/42, 0.0, 1.0);
#pragma once

#include <cstdint>

#include "runtime/tensor.h"

namespace duet::cpu {

// out[i] in [lo, hi) (all lo when lo == hi); out is float32 or float64, lo/hi finite.
void FillUniform(Tensor& out, uint64_t seed, double lo, double hi);
// out[i] = mean + stddev * z_i with z_i standard normal; out is float32 or float64.
void FillNormal(Tensor& out, uint64_t seed, double mean, double stddev);

}  // namespace duet::cpu
