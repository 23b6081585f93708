// Shape ops: ops that move data without arithmetic (reshape, transpose, expand_dims, squeeze,
// concat, stack, slice, pad, gather) plus scatter_add (gather's gradient) and one_hot. They work
// on every dtype because kernels copy bytes by element size (scatter_add adds: float32/64,
// int32/64). reshape/expand_dims/squeeze are zero-copy views of their input; the others copy.
// Negative axes count from the end; semantics follow TensorFlow. Example:
//   Tensor x = constant({{1, 2, 3}, {4, 5, 6}});
//   reshape(x, {-1, 2});            // (3, 2), shares x's buffer
//   transpose(x);                   // (3, 2): [[1 4] [2 5] [3 6]]
//   slice(x, {0, 1}, {-1, 1});      // (2, 1): [[2] [5]]
//   concat({x, x}, -1);             // (2, 6)
//   pad(x, {0, 1, 2, 0});           // (3, 5): one zero row below, two zero columns on the left
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/tensor.h"

namespace duet {

// One dim of `shape` may be -1 (inferred); the element count must match.
Tensor reshape(const Tensor& x, const Shape& shape, const Loc& loc = Loc::current());
// `perm` must be a permutation of [0, rank); empty reverses the dims.
Tensor transpose(const Tensor& x, std::vector<int> perm = {}, const Loc& loc = Loc::current());
// Inserts a size-1 dim at `axis` in [-rank-1, rank].
Tensor expand_dims(const Tensor& x, int axis, const Loc& loc = Loc::current());
// Removes the given size-1 dims (all size-1 dims if empty); a dim that is not 1 is an error.
Tensor squeeze(const Tensor& x, std::vector<int> axes = {}, const Loc& loc = Loc::current());
// Joins tensors along an existing axis; the other dims and the dtypes must match.
Tensor concat(const std::vector<Tensor>& xs, int axis, const Loc& loc = Loc::current());
// Joins same-shaped tensors along a new axis in [-rank-1, rank].
Tensor stack(const std::vector<Tensor>& xs, int axis, const Loc& loc = Loc::current());
// TF's slice: begin[i] in [0, dim], size[i] = -1 means "to the end".
Tensor slice(const Tensor& x, std::vector<int64_t> begin, std::vector<int64_t> size,
             const Loc& loc = Loc::current());
// Constant zero padding; `paddings` = [before_0, after_0, before_1, after_1, ...], all >= 0.
// slice's gradient (and pad's gradient is a slice).
Tensor pad(const Tensor& x, std::vector<int64_t> paddings, const Loc& loc = Loc::current());
// Rows of `params` along `axis` picked by int32/int64 `indices`; output shape is
// params.shape[:axis] + indices.shape + params.shape[axis+1:]. An index outside [0, dim) is an
// error.
Tensor gather(const Tensor& params, const Tensor& indices, int axis = 0,
              const Loc& loc = Loc::current());
// gather's gradient: zeros shaped like updates with the indices' dims (at `axis`) replaced by
// one dim of `dim_size`, plus each updates slice added into row indices[...] (repeats sum).
// An index outside [0, dim_size) is an error. float32/float64/int32/int64.
// Example: scatter_add(constant({{1.f, 2.f}, {3.f, 4.f}}), constant({2, 2}), 0, 3)  // [[0 0] [0 0]
// [4 6]]
Tensor scatter_add(const Tensor& updates, const Tensor& indices, int axis, int64_t dim_size,
                   const Loc& loc = Loc::current());
// scatter_add with dim_size = like.shape[axis] at run time (like's values are unused): gather's
// gradient when that dim is unknown while tracing, e.g. a while loop's per-iteration stack.
Tensor scatter_add_like(const Tensor& updates, const Tensor& indices, const Tensor& like, int axis,
                        const Loc& loc = Loc::current());
// float32 one-hot rows of length `depth` for int32/int64 `indices` (out-of-range -> all zeros).
Tensor one_hot(const Tensor& indices, int depth, const Loc& loc = Loc::current());

}  // namespace duet
