// Host-compiled: the layout builders of elementwise_layout.h (pure index arithmetic, no CUDA).
#include "kernels/cuda/elementwise_layout.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace duet::cuda {
namespace {

// Dims with per-operand strides, before collapsing (any rank).
struct Walk {
  int operands = 0;
  absl::InlinedVector<int64_t, 8> dims;
  absl::InlinedVector<int64_t, 8> strides[kMaxOperands];
};

absl::InlinedVector<int64_t, 8> RowMajor(absl::Span<const int64_t> dims) {
  absl::InlinedVector<int64_t, 8> s(dims.size(), 1);
  for (int d = static_cast<int>(dims.size()) - 2; d >= 0; --d) s[d] = s[d + 1] * dims[d + 1];
  return s;
}

absl::StatusOr<StridedLayout> Collapse(const Walk& w) {
  StridedLayout l;
  l.num_elements = 1;
  for (int64_t d : w.dims) l.num_elements *= d;
  absl::InlinedVector<int64_t, 8> dims, strides[kMaxOperands];
  for (size_t d = 0; d < w.dims.size(); ++d) {
    if (w.dims[d] == 1) continue;  // moves nothing
    bool merge = !dims.empty();
    for (int k = 0; k < w.operands && merge; ++k)
      merge = strides[k].back() == w.strides[k][d] * w.dims[d];
    if (merge) {
      dims.back() *= w.dims[d];
      for (int k = 0; k < w.operands; ++k) strides[k].back() = w.strides[k][d];
      continue;
    }
    dims.push_back(w.dims[d]);
    for (int k = 0; k < w.operands; ++k) strides[k].push_back(w.strides[k][d]);
  }
  if (dims.empty()) {  // a single element
    dims.push_back(1);
    for (int k = 0; k < w.operands; ++k) strides[k].push_back(0);
  }
  if (dims.size() > static_cast<size_t>(kMaxRank))
    return absl::UnimplementedError(absl::StrCat("the GPU kernels index at most ", kMaxRank,
                                                 " dims after collapsing; this layout has ",
                                                 dims.size()));
  l.rank = static_cast<int>(dims.size());
  for (int d = 0; d < l.rank; ++d) {
    l.dims[d] = dims[d];
    for (int k = 0; k < w.operands; ++k) l.strides[k][d] = strides[k][d];
  }
  return l;
}

}  // namespace

absl::StatusOr<StridedLayout> BroadcastLayout(const Shape& out,
                                              std::initializer_list<const Shape*> inputs) {
  Walk w;
  w.operands = static_cast<int>(inputs.size());
  if (w.operands > kMaxOperands) return absl::InternalError("too many elementwise operands");
  const int rank = out.rank();
  w.dims.assign(out.begin(), out.end());
  int k = 0;
  for (const Shape* in : inputs) {
    const int offset = rank - in->rank();
    if (offset < 0)
      return absl::InternalError(absl::StrCat(
          "input shape ", in->to_string(), " has a higher rank than the output ", out.to_string()));
    absl::InlinedVector<int64_t, 8> in_dims(in->begin(), in->end());
    absl::InlinedVector<int64_t, 8> row = RowMajor(in_dims);
    w.strides[k].assign(rank, 0);
    for (int d = 0; d < in->rank(); ++d) {
      const int64_t dim = (*in)[d];
      if (dim != 1 && dim != out[d + offset])
        return absl::InternalError(absl::StrCat("input shape ", in->to_string(),
                                                " does not broadcast to ", out.to_string()));
      w.strides[k][d + offset] = dim == 1 ? 0 : row[d];
    }
    ++k;
  }
  return Collapse(w);
}

StridedLayout ContiguousLayout(int64_t n, int num_inputs) {
  StridedLayout l;
  l.rank = 1;
  l.num_elements = n;
  l.dims[0] = n;
  for (int k = 0; k < num_inputs && k < kMaxOperands; ++k) l.strides[k][0] = 1;
  return l;
}

absl::StatusOr<StridedLayout> PermuteLayout(const Shape& in, absl::Span<const int64_t> perm) {
  if (static_cast<int>(perm.size()) != in.rank())
    return absl::InternalError("permutation rank differs from the input's");
  absl::InlinedVector<int64_t, 8> in_dims(in.begin(), in.end());
  absl::InlinedVector<int64_t, 8> row = RowMajor(in_dims);
  Walk w;
  w.operands = 1;
  for (int64_t p : perm) {
    if (p < 0 || p >= in.rank()) return absl::InternalError("permutation index out of range");
    w.dims.push_back(in_dims[p]);
    w.strides[0].push_back(row[p]);
  }
  return Collapse(w);
}

absl::StatusOr<StridedLayout> ViewLayout(absl::Span<const int64_t> dims,
                                         absl::Span<const int64_t> strides) {
  if (dims.size() != strides.size()) return absl::InternalError("dims and strides differ");
  Walk w;
  w.operands = 1;
  w.dims.assign(dims.begin(), dims.end());
  w.strides[0].assign(strides.begin(), strides.end());
  return Collapse(w);
}

absl::StatusOr<ReduceLayout> MakeReduceLayout(const Shape& in, const std::vector<bool>& reduced) {
  if (static_cast<int>(reduced.size()) != in.rank())
    return absl::InternalError("reduction mask rank differs from the input's");
  // Collapse as kernels/cpu/reduce_loops.cc does: drop size-1 dims, merge same-kind neighbours.
  absl::InlinedVector<int64_t, 8> dims;
  absl::InlinedVector<bool, 8> kinds;
  ReduceLayout l;
  for (int d = 0; d < in.rank(); ++d) {
    if (reduced[d]) l.count *= in[d];
    if (in[d] == 1) continue;
    if (!dims.empty() && kinds.back() == reduced[d]) {
      dims.back() *= in[d];
    } else {
      dims.push_back(in[d]);
      kinds.push_back(reduced[d]);
    }
  }
  absl::InlinedVector<int64_t, 8> row = RowMajor(dims);
  for (size_t d = 0; d < dims.size(); ++d) {
    int& rank = kinds[d] ? l.reduced_rank : l.kept_rank;
    if (rank == kMaxRank)
      return absl::UnimplementedError(absl::StrCat("the GPU reduction indexes at most ", kMaxRank,
                                                   " kept and ", kMaxRank, " reduced dims"));
    (kinds[d] ? l.reduced_dims : l.kept_dims)[rank] = dims[d];
    (kinds[d] ? l.reduced_strides : l.kept_strides)[rank] = row[d];
    ++rank;
    if (!kinds[d]) l.num_outputs *= dims[d];
  }
  return l;
}

}  // namespace duet::cuda
