// broadcast_to: NumPy-broadcasts x to a shape (the explicit form of what binary ops do).
// Example: broadcast_to(constant({1, 2}), {3, 2}) -> [[1 2] [1 2] [1 2]]
#pragma once

#include "runtime/tensor.h"

namespace duet {

Tensor broadcast_to(const Tensor& x, const Shape& shape, const Loc& loc = Loc::current());

}  // namespace duet
