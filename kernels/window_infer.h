// Shape validation shared by the sliding-window ops (conv2d, max_pool2d, avg_pool2d) and their
// gradient ops (conv2d_backprop_input/filter, the pool grads): TF padding names, positive
// (height, width) pairs, NHWC/HWIO ranks and output sizes, so a forward op and its gradient
// report the same problem with the same words. The window arithmetic itself is
// cpu/window_geometry.h.
// Example:
//   absl::StatusOr<Shape> y = Conv2DOutputShape(ctx.op, x, f, strides, padding, dilations);
//   if (!y.ok()) return y.status();
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/op_def.h"

namespace duet {

// conv2d's output (N, OH, OW, O) for input `x` (NHWC) and filters `f` (HWIO), or the error
// naming what is wrong (ranks, channels, strides, padding, dilations, an empty VALID output).
// Unknown (-1) dims stay unknown.
absl::StatusOr<Shape> Conv2DOutputShape(const OpDef& op, const Shape& x, const Shape& f,
                                        const std::vector<int64_t>& strides,
                                        const std::string& padding,
                                        const std::vector<int64_t>& dilations);

// A pool's output (N, OH, OW, C) for input `x` (NHWC), or the error.
absl::StatusOr<Shape> Pool2DOutputShape(const OpDef& op, const Shape& x,
                                        const std::vector<int64_t>& ksize,
                                        const std::vector<int64_t>& strides,
                                        const std::string& padding);

// A shape passed as an attr (a gradient op's input_shape / filter_shape): rank 4 and dims >= 0,
// or -1 (unknown) only while some input's shape is unknown too (tracing), since an eager
// output must have a known size.
absl::Status CheckShapeAttr(const InferContext& ctx, const char* name, const char* layout,
                            const Shape& s);

// Whether two shapes have the same rank and agree wherever both dims are known.
bool ShapesCompatible(const Shape& a, const Shape& b);

}  // namespace duet
