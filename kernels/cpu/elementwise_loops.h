// NumPy-broadcasting index walks shared by the elementwise loops: per-input strides (0 on
// broadcast dims) and an odometer over the output that hands each innermost run to a callback.
// The vectorizable maps built on it are per ISA target, in elementwise_loops-inl.h.
// Example: ForEachBroadcast<2>(out.shape(), shapes, [&](int64_t m, const int64_t* offs,
//                                                       const int64_t* st) { ... });
#pragma once

#include <cstdint>

#include "absl/container/inlined_vector.h"
#include "runtime/tensor.h"

namespace duet::cpu {

// Element strides of `in` viewed at `out_shape`'s rank, 0 on broadcast dims.
absl::InlinedVector<int64_t, 6> BroadcastStrides(const Shape& in, const Shape& out_shape);

// True when `in` (its leading 1s dropped) equals the trailing dims of `out_shape`, so it repeats
// whole along the leading dims, as a bias row added to activations does.
bool IsTrailingBlock(const Shape& in, const Shape& out_shape);

// Calls body(offsets...) for every output element in row-major order, where offsets[k] is the
// element offset into operand k. Inner dimension handled by `inner(n, offsets, inner_strides)`.
template <int K, class Inner>
void ForEachBroadcast(const Shape& out_shape, const Shape* const (&in_shapes)[K], Inner inner) {
  int rank = out_shape.rank();
  absl::InlinedVector<int64_t, 6> strides[K];
  for (int k = 0; k < K; ++k) strides[k] = BroadcastStrides(*in_shapes[k], out_shape);
  if (rank == 0) {
    int64_t offs[K] = {}, st[K] = {};
    inner(int64_t{1}, offs, st);
    return;
  }
  int64_t n_inner = out_shape[rank - 1];
  int64_t inner_strides[K];
  for (int k = 0; k < K; ++k) inner_strides[k] = strides[k][rank - 1];
  int64_t outer = n_inner == 0 ? 0 : out_shape.num_elements() / n_inner;
  absl::InlinedVector<int64_t, 6> idx(rank, 0);
  int64_t offs[K] = {};
  for (int64_t o = 0; o < outer; ++o) {
    inner(n_inner, offs, inner_strides);
    for (int d = rank - 2; d >= 0; --d) {  // odometer over the outer dims
      if (++idx[d] < out_shape[d]) {
        for (int k = 0; k < K; ++k) offs[k] += strides[k][d];
        break;
      }
      for (int k = 0; k < K; ++k) offs[k] -= strides[k][d] * (out_shape[d] - 1);
      idx[d] = 0;
    }
  }
}

}  // namespace duet::cpu
