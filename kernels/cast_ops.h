// cast: converts a tensor to another dtype, between any two of the 7 dtypes. float -> int
// truncates toward zero; NaN becomes 0 and out-of-range values saturate to the int's limits;
// int -> narrower int wraps; anything -> bool is `!= 0` (so NaN -> true); float16/bfloat16
// go through float32. Casting to the same dtype returns the input's buffer (no copy).
// Example: cast(constant({-1.7f, 2.9f}), DType::kInt32) -> [-1 2] int32
#pragma once

#include "runtime/tensor.h"

namespace duet {

Tensor cast(const Tensor& x, DType dtype, const Loc& loc = Loc::current());

}  // namespace duet
