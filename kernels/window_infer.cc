#include "kernels/window_infer.h"

#include <array>

#include "kernels/cpu/window_geometry.h"
#include "kernels/infer_helpers.h"

namespace duet {
namespace {

absl::Status CheckPositivePair(const OpDef& op, const char* name, const std::vector<int64_t>& v) {
  if (v.size() != 2 || v[0] <= 0 || v[1] <= 0)
    return OpError(op, name, " must be 2 positive integers, got ", AttrToString(v));
  return absl::OkStatus();
}

absl::StatusOr<bool> ParseSamePadding(const OpDef& op, const std::string& padding) {
  if (padding == "SAME") return true;
  if (padding == "VALID") return false;
  return OpError(op, "unknown padding '", padding, "' (expected \"SAME\" or \"VALID\")");
}

absl::Status CheckRank4(const OpDef& op, const char* what, const char* layout, const Shape& s) {
  if (s.rank() != 4)
    return OpError(op, what, " must be rank 4 (", layout, "), got shape ", s.to_string());
  return absl::OkStatus();
}

// Output (height, width) of a window over NHWC `x`, or an error when VALID leaves nothing.
absl::StatusOr<std::array<int64_t, 2>> WindowOutput(const OpDef& op, const Shape& x, int64_t k_h,
                                                    int64_t k_w,
                                                    const std::vector<int64_t>& strides,
                                                    const std::vector<int64_t>& dilations,
                                                    bool same) {
  std::array<int64_t, 2> out;
  const int64_t k[2] = {k_h, k_w};
  const char* names[2] = {"height", "width"};
  for (int i = 0; i < 2; ++i) {
    cpu::WindowDim d = cpu::ComputeWindowDim(x[1 + i], k[i], strides[i], dilations[i], same);
    if (x[1 + i] >= 0 && k[i] >= 0 && d.out <= 0)
      return OpError(op, "VALID padding leaves an empty output: input ", names[i], " ", x[1 + i],
                     " is smaller than the window ", names[i], " ", (k[i] - 1) * dilations[i] + 1,
                     " (input shape ", x.to_string(), ")");
    out[i] = k[i] < 0 ? -1 : d.out;
  }
  return out;
}

}  // namespace

absl::StatusOr<Shape> Conv2DOutputShape(const OpDef& op, const Shape& x, const Shape& f,
                                        const std::vector<int64_t>& strides,
                                        const std::string& padding,
                                        const std::vector<int64_t>& dilations) {
  if (absl::Status s = CheckRank4(op, "input", "NHWC", x); !s.ok()) return s;
  if (absl::Status s = CheckRank4(op, "filters", "HWIO", f); !s.ok()) return s;
  if (absl::Status s = CheckPositivePair(op, "strides", strides); !s.ok()) return s;
  absl::StatusOr<bool> same = ParseSamePadding(op, padding);
  if (!same.ok()) return same.status();
  if (absl::Status s = CheckPositivePair(op, "dilations", dilations); !s.ok()) return s;
  if (f[0] == 0 || f[1] == 0)
    return OpError(op, "filters must have a positive spatial size, got shape ", f.to_string());
  if (x[3] >= 0 && f[2] >= 0 && x[3] != f[2])
    return OpError(op, "input has ", x[3], " channels (shape ", x.to_string(),
                   ") but filters expect ", f[2], " (shape ", f.to_string(), ")");
  absl::StatusOr<std::array<int64_t, 2>> hw =
      WindowOutput(op, x, f[0], f[1], strides, dilations, *same);
  if (!hw.ok()) return hw.status();
  return Shape{x[0], (*hw)[0], (*hw)[1], f[3]};
}

absl::StatusOr<Shape> Pool2DOutputShape(const OpDef& op, const Shape& x,
                                        const std::vector<int64_t>& ksize,
                                        const std::vector<int64_t>& strides,
                                        const std::string& padding) {
  if (absl::Status s = CheckRank4(op, "input", "NHWC", x); !s.ok()) return s;
  if (absl::Status s = CheckPositivePair(op, "ksize", ksize); !s.ok()) return s;
  if (absl::Status s = CheckPositivePair(op, "strides", strides); !s.ok()) return s;
  absl::StatusOr<bool> same = ParseSamePadding(op, padding);
  if (!same.ok()) return same.status();
  absl::StatusOr<std::array<int64_t, 2>> hw =
      WindowOutput(op, x, ksize[0], ksize[1], strides, {1, 1}, *same);
  if (!hw.ok()) return hw.status();
  return Shape{x[0], (*hw)[0], (*hw)[1], x[3]};
}

absl::Status CheckShapeAttr(const InferContext& ctx, const char* name, const char* layout,
                            const Shape& s) {
  if (s.rank() != 4)
    return OpError(ctx.op, name, " must be rank 4 (", layout, "), got ", s.to_string());
  bool inputs_known = true;
  for (const Tensor& t : ctx.inputs) inputs_known = inputs_known && t.shape().fully_defined();
  for (int64_t d : s)
    if (d < -1 || (d == -1 && inputs_known))
      return OpError(ctx.op, name, " must have non-negative dims, got ", s.to_string());
  return absl::OkStatus();
}

bool ShapesCompatible(const Shape& a, const Shape& b) {
  if (a.rank() != b.rank()) return false;
  for (int i = 0; i < a.rank(); ++i)
    if (a[i] >= 0 && b[i] >= 0 && a[i] != b[i]) return false;
  return true;
}

}  // namespace duet
