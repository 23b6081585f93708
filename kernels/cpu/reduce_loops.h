// CPU loops for reductions (sum/mean/max/min over an axis set) and argmax, compiled at -O3.
// The input's dims are first collapsed: size-1 dims dropped and neighbours that are both
// reduced or both kept merged, so "innermost axis", "all axes" and "outer axis" each become
// one or two flat loops. An innermost reduced run is summed in blocks of 256 over 8
// independent lanes (vectorizable), blocks combined pairwise; an innermost kept run
// accumulates whole rows into per-output accumulators. float32 sums accumulate in double.
// Callers validate dtypes and axes (kernels/reduce_ops.cc).
// Example: Reduce(ReduceKind::kSum, x, CollapseForReduce(x.shape(), mask), out);
#pragma once

#include <cstdint>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "runtime/tensor.h"

namespace duet::cpu {

// The collapsed view of a reduction: row-major dims, whether each is reduced, and how many
// input elements feed each output (the product of the original reduced dims).
struct ReduceLayout {
  absl::InlinedVector<int64_t, 6> dims;
  absl::InlinedVector<bool, 6> reduced;
  int64_t count = 1;
};
ReduceLayout CollapseForReduce(const Shape& shape, const std::vector<bool>& reduced);

// sum/mean: int32 sums in int64, int64 sums wrap; integer means truncate toward zero; an empty
// float mean is NaN. max/min propagate NaN and need count > 0 (or an empty output).
enum class ReduceKind { kSum, kMean, kMax, kMin };
// x: float32/float64/int32/int64; out: x's dtype, the kept dims' element count.
void Reduce(ReduceKind kind, const Tensor& x, const ReduceLayout& layout, Tensor& out);

// out (int64) = the first index along `axis` of the maximum of x (float32/64, int32/64); a NaN
// beats everything, as in NumPy. x's `axis` must be non-empty unless out is empty.
void ArgMax(const Tensor& x, int axis, Tensor& out);

}  // namespace duet::cpu
