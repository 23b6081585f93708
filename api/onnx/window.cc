// Pads per ONNX: out = ceil(in / stride) for SAME_*, the odd pixel at the end (UPPER) or the
// start (LOWER); ceil_mode adds end padding so the last partial window exists.
#include "api/onnx/window.h"

#include "absl/strings/str_cat.h"
#include "api/onnx/ops.h"

namespace duet::onnx::internal {

bool Window::any_pad() const {
  for (size_t i = 0; i < pad_begin.size(); ++i)
    if (pad_begin[i] || pad_end[i]) return true;
  return false;
}

absl::StatusOr<Window> ResolveWindow(const NodeContext& n, const std::vector<int64_t>& spatial,
                                     const std::vector<int64_t>& kernel) {
  const size_t r = spatial.size();
  Window w;
  w.kernel = kernel;
  w.strides = n.attr_ints("strides", std::vector<int64_t>(r, 1));
  w.dilations = n.attr_ints("dilations", std::vector<int64_t>(r, 1));
  std::vector<int64_t> pads = n.attr_ints("pads", std::vector<int64_t>(2 * r, 0));
  if (w.kernel.size() != r || w.strides.size() != r || w.dilations.size() != r ||
      pads.size() != 2 * r)
    return absl::InvalidArgumentError(
        absl::StrCat("kernel_shape/strides/dilations/pads do not match ", r, " spatial dims"));
  std::string auto_pad = n.attr_string("auto_pad", "NOTSET");
  bool ceil_mode = n.attr_int("ceil_mode", 0) != 0;
  for (size_t i = 0; i < r; ++i) {
    if (w.kernel[i] <= 0 || w.strides[i] <= 0 || w.dilations[i] <= 0)
      return absl::InvalidArgumentError("kernel, strides and dilations must be positive");
    const int64_t eff = (w.kernel[i] - 1) * w.dilations[i] + 1;
    int64_t b = pads[i], e = pads[i + r];
    if (auto_pad == "VALID") {
      b = e = 0;
    } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      int64_t out = (spatial[i] + w.strides[i] - 1) / w.strides[i];
      int64_t total = std::max<int64_t>((out - 1) * w.strides[i] + eff - spatial[i], 0);
      b = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
      e = total - b;
    } else if (auto_pad != "NOTSET") {
      return absl::InvalidArgumentError("unknown auto_pad '" + auto_pad + "'");
    }
    if (b < 0 || e < 0) return absl::InvalidArgumentError("negative pads");
    if (ceil_mode) {
      int64_t span = spatial[i] + b + e - eff;
      if (span >= 0) {
        int64_t out = (span + w.strides[i] - 1) / w.strides[i] + 1;
        if ((out - 1) * w.strides[i] >= spatial[i] + b) --out;  // a window must start inside
        e += std::max<int64_t>((out - 1) * w.strides[i] + eff - (spatial[i] + b + e), 0);
      }
    }
    w.pad_begin.push_back(b);
    w.pad_end.push_back(e);
  }
  return w;
}

Tensor ToNhwc(const Tensor& x) {
  if (x.rank() == 3) return transpose(expand_dims(x, 2), {0, 2, 3, 1});
  return transpose(x, {0, 2, 3, 1});
}

Tensor FromNhwc(const Tensor& y, int onnx_rank) {
  Tensor t = transpose(y, {0, 3, 1, 2});
  return onnx_rank == 3 ? squeeze(t, {2}) : t;
}

}  // namespace duet::onnx::internal
