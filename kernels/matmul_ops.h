// matmul: batched matrix product with NumPy batch broadcasting (TF's tf.linalg.matmul).
// Both inputs have rank >= 2; transpose_a/transpose_b swap an input's last two dims; the
// batch dims (all but the last two) broadcast; both inputs share a dtype (float32, float64,
// int32, int64). float32 products above a small size run on a cached oneDNN primitive,
// everything else on plain loops.
// Example: matmul(constant({{2.f}}), constant({{2.f}}))          -> [[4]]
//          matmul(ones({2, 1, 3, 4}), ones({5, 4, 2})).shape()   -> (2, 5, 3, 2)
#pragma once

#include "runtime/tensor.h"

namespace duet {

Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a = false, bool transpose_b = false,
              const Loc& loc = Loc::current());

}  // namespace duet
