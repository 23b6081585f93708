// Host-side builders of the kernels' index layouts (gpu_elementwise.h's StridedLayout,
// gpu_reduce.h's ReduceLayout) from duet Shapes. Each collapses dims first: size-1 dims are
// dropped and neighbours merged where every operand walks them as one (both broadcast, or
// contiguous across the pair), so most layouts reach the kernels as rank 1 and any rank fits
// in kMaxRank unless more than 6 dims stay distinct (then an Unimplemented error).
// Example: ASSIGN_OR_RETURN(StridedLayout l, BroadcastLayout(out.shape(), {&a.shape(),
// &b.shape()}));
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "kernels/cuda/gpu_elementwise.h"
#include "kernels/cuda/gpu_reduce.h"
#include "runtime/shape.h"

namespace duet::cuda {

// Inputs broadcast NumPy-style to `out` (right-aligned; size-1 and missing dims get stride 0).
absl::StatusOr<StridedLayout> BroadcastLayout(const Shape& out,
                                              std::initializer_list<const Shape*> inputs);
// `n` contiguous elements for `num_inputs` same-shaped inputs (unary ops, casts).
StridedLayout ContiguousLayout(int64_t n, int num_inputs = 1);
// Output dim i is row-major `in`'s dim perm[i] (a transpose).
absl::StatusOr<StridedLayout> PermuteLayout(const Shape& in, absl::Span<const int64_t> perm);
// A gather of one input with arbitrary element strides per output dim (crops of padded
// buffers: the caller offsets the input pointer to the first element).
absl::StatusOr<StridedLayout> ViewLayout(absl::Span<const int64_t> dims,
                                         absl::Span<const int64_t> strides);

// Reducing row-major `in` over the dims flagged in `reduced` (one flag per dim).
absl::StatusOr<ReduceLayout> MakeReduceLayout(const Shape& in, const std::vector<bool>& reduced);

}  // namespace duet::cuda
