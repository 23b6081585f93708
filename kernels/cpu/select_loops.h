// The `where` loop: out = cond ? x : y with NumPy broadcasting over all three, any of the 7
// dtypes for x/y (cond is bool), dispatched at run time per ISA target.
// Example: Where(cond, x, y, out);  // out has the broadcast shape and x's dtype
#pragma once

#include "runtime/tensor.h"

namespace duet::cpu {

void Where(const Tensor& cond, const Tensor& x, const Tensor& y, Tensor& out);

}  // namespace duet::cpu
