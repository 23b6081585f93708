// Building blocks for gradient rules, written with public ops so rules stay differentiable.
// Example: rule for add: {SumToShape(dz, x.shape()), SumToShape(dz, y.shape())}.
#pragma once

#include "runtime/op_def.h"

namespace duet {

// Sums a broadcast gradient back to `shape` (the inverse of NumPy broadcasting).
Tensor SumToShape(const Tensor& g, const Shape& shape);
// The same for every input of a broadcasting op.
inline Tensor SumToInput(const GradContext& ctx, const Tensor& g, int input) {
  return SumToShape(g, ctx.inputs[input].shape());
}
// Zeros/ones shaped like t, also for a traced t with unknown (-1) dims (then t * 0 [+ 1], so a
// NaN or inf element of t gives NaN there).
Tensor ZerosLike(const Tensor& t);
Tensor OnesLike(const Tensor& t);

}  // namespace duet
