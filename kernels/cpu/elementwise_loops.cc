#include "kernels/cpu/elementwise_loops.h"

namespace duet::cpu {

absl::InlinedVector<int64_t, 6> BroadcastStrides(const Shape& in, const Shape& out_shape) {
  int rank = out_shape.rank(), offset = rank - in.rank();
  absl::InlinedVector<int64_t, 6> strides(rank, 0);
  int64_t s = 1;
  for (int i = in.rank() - 1; i >= 0; --i) {
    strides[i + offset] = in[i] == 1 ? 0 : s;
    s *= in[i];
  }
  return strides;
}

bool IsTrailingBlock(const Shape& in, const Shape& out_shape) {
  int lead = 0;
  while (lead < in.rank() && in[lead] == 1) ++lead;
  const int kept = in.rank() - lead, offset = out_shape.rank() - kept;
  if (offset < 0) return false;
  for (int i = 0; i < kept; ++i)
    if (in[lead + i] != out_shape[offset + i]) return false;
  return true;
}

}  // namespace duet::cpu
