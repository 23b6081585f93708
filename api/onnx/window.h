// ONNX window geometry (Conv/MaxPool/AveragePool): kernel, strides, dilations and the explicit
// begin/end pads for each spatial dim, resolving auto_pad (SAME_UPPER/SAME_LOWER/VALID) and
// ceil_mode, so the ops run as duet's "VALID" window ops on an explicitly padded input.
// Example: ASSIGN_OR_RETURN(Window w, ResolveWindow(n, {5, 5}, {3, 3}));
#pragma once

#include <cstdint>
#include <vector>

#include "api/onnx/import_registry.h"

namespace duet::onnx::internal {

struct Window {
  std::vector<int64_t> kernel, strides, dilations, pad_begin, pad_end;
  bool any_pad() const;
};

// `spatial` are the input's spatial dims, `kernel` the window (from weights or kernel_shape).
absl::StatusOr<Window> ResolveWindow(const NodeContext& n, const std::vector<int64_t>& spatial,
                                     const std::vector<int64_t>& kernel);

// NC... <-> N...C for 1-D and 2-D windows (1-D gets a unit H so duet's 2-D ops apply).
Tensor ToNhwc(const Tensor& x);
Tensor FromNhwc(const Tensor& y, int onnx_rank);

}  // namespace duet::onnx::internal
