#include "api/clip.h"

#include "kernels/binary_ops.h"
#include "kernels/reduce_ops.h"
#include "kernels/unary_ops.h"

namespace duet {

Tensor clip_by_value(const Tensor& x, const Operand& lo, const Operand& hi, const Loc& loc) {
  return minimum(maximum(x, lo, loc), hi, loc);
}

Tensor clip_by_norm(const Tensor& x, float norm, const Loc& loc) {
  if (!(norm > 0))
    ThrowError(absl::InvalidArgumentError("[clip_by_norm] norm must be positive, got " +
                                          std::to_string(norm)),
               loc);
  Tensor l2 = sqrt(reduce_sum(square(x, loc), {}, false, loc), loc);
  return div(mul(x, norm, loc), maximum(l2, norm, loc), loc);
}

}  // namespace duet
