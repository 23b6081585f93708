// Reductions: reduce_sum, reduce_mean, reduce_max, reduce_min over a set of axes, and argmax.
// `axes` may be negative (counted from the end); empty reduces every axis; a repeated or
// out-of-range axis is an error naming the shape. keepdims leaves size-1 dims in place.
// dtypes: float32/float64/int32/int64. reduce_mean on integers truncates toward zero (like TF).
// Over a zero-size reduced dim reduce_sum gives 0 and reduce_mean NaN (floats; an error for
// integers); reduce_max/min/argmax are errors. NaNs propagate through max/min; argmax returns
// int64, the first index of the maximum, and a NaN counts as the maximum (like NumPy).
// Example:
//   Tensor x = constant({{1.f, 5.f}, {3.f, 2.f}});
//   reduce_sum(x);                 // 11 (scalar)
//   reduce_max(x, {-1}, true);     // [[5] [3]], shape (2, 1)
//   argmax(x, 0);                  // [1 0] int64
#pragma once

#include <vector>

#include "runtime/tensor.h"

namespace duet {

Tensor reduce_sum(const Tensor& x, std::vector<int> axes = {}, bool keepdims = false,
                  const Loc& loc = Loc::current());
Tensor reduce_mean(const Tensor& x, std::vector<int> axes = {}, bool keepdims = false,
                   const Loc& loc = Loc::current());
Tensor reduce_max(const Tensor& x, std::vector<int> axes = {}, bool keepdims = false,
                  const Loc& loc = Loc::current());
Tensor reduce_min(const Tensor& x, std::vector<int> axes = {}, bool keepdims = false,
                  const Loc& loc = Loc::current());
Tensor argmax(const Tensor& x, int axis, const Loc& loc = Loc::current());

}  // namespace duet
