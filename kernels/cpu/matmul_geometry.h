// MatmulGeometry: a batched matmul's sizes after transposes and NumPy batch broadcasting,
// shared by the plain loops and the oneDNN wrapper. Only for validated, concrete shapes.
// Example: MakeMatmulGeometry({2, 1, 3, 4}, {5, 4, 2}, false, false)
//   -> batch (2, 5), a_batch (2, 1), b_batch (1, 5), m 3, k 4, n 2
#pragma once

#include <cstdint>

#include "runtime/shape.h"

namespace duet::cpu {

struct MatmulGeometry {
  int64_t m = 0, n = 0, k = 0;
  bool transpose_a = false, transpose_b = false;
  Shape batch;             // the output's batch dims
  Shape a_batch, b_batch;  // the inputs' batch dims, left-padded with 1s to batch.rank()
  int64_t batch_size = 1;  // product of `batch`

  int64_t macs() const { return batch_size * m * n * k; }
};

MatmulGeometry MakeMatmulGeometry(const Shape& a, const Shape& b, bool transpose_a,
                                  bool transpose_b);

}  // namespace duet::cpu
