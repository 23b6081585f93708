// Reduction helpers shared by the reduce ops' shape functions and their kernels.
// Example: ASSIGN_OR_RETURN(std::vector<bool> mask, ReducedMask(op, shape, axes));
#pragma once

#include <vector>

#include "absl/strings/str_join.h"
#include "kernels/cpu/reduce_loops.h"
#include "kernels/infer_helpers.h"

namespace duet {

// Whether an empty reduction (a zero-size reduced dim) has no value: max/min never do, and an
// integer mean would divide by zero. Sums are 0 and float means NaN.
inline bool NeedsElements(cpu::ReduceKind kind, DType dtype) {
  return kind == cpu::ReduceKind::kMax || kind == cpu::ReduceKind::kMin ||
         (kind == cpu::ReduceKind::kMean && IsInteger(dtype));
}

// Which dims `axes` reduces (all when empty); repeated or out-of-range axes are errors.
inline absl::StatusOr<std::vector<bool>> ReducedMask(const OpDef& op, const Shape& shape,
                                                     const std::vector<int64_t>& axes) {
  std::vector<bool> mask(shape.rank(), axes.empty());
  for (int64_t a : axes) {
    absl::StatusOr<int> axis = NormalizeAxis(op, a, shape.rank(), shape);
    if (!axis.ok()) return axis.status();
    if (mask[*axis])
      return OpError(op, "duplicate axis ", a, " in axes [", absl::StrJoin(axes, ", "),
                     "] for shape ", shape.to_string());
    mask[*axis] = true;
  }
  return mask;
}

}  // namespace duet
