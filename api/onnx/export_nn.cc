// ONNX mappings of duet's NN ops. duet is NHWC/HWIO, ONNX NCHW/OIHW: conv and pools are wrapped
// in Transposes (ONNX Runtime folds them away for constant weights). TF's SAME is ONNX's
// SAME_UPPER; TF's SAME average pooling excludes padding, as count_include_pad=0 does.
#include "api/onnx/export_registry.h"

namespace duet::onnx::internal {
namespace {

const std::vector<int64_t> kToNchw = {0, 3, 1, 2}, kToNhwc = {0, 2, 3, 1};

absl::StatusOr<std::string> AutoPad(const std::string& padding) {
  if (padding == "SAME") return std::string("SAME_UPPER");
  if (padding == "VALID") return std::string("VALID");
  return absl::InvalidArgumentError("unknown padding '" + padding + "'");
}

// NHWC in -> NCHW op -> NHWC out; `make` adds the op from the NCHW input to the NCHW output.
template <class Make>
absl::Status InNchw(ExportContext& c, Make make) {
  std::string x = c.Temp(), y = c.Temp();
  SetAttr(c.Add("Transpose", {c.in(0)}, {x}), "perm", kToNchw);
  RETURN_IF_ERROR(make(x, y));
  SetAttr(c.Add("Transpose", {y}, {c.out(0)}), "perm", kToNhwc);
  return absl::OkStatus();
}

absl::Status Conv2D(ExportContext& c) {
  ASSIGN_OR_RETURN(std::string auto_pad, AutoPad(c.attr<std::string>("padding")));
  return InNchw(c, [&](const std::string& x, const std::string& y) {
    std::string w = c.Temp();
    SetAttr(c.Add("Transpose", {c.in(1)}, {w}), "perm",
            std::vector<int64_t>{3, 2, 0, 1});  // HWIO -> OIHW
    auto* n = c.Add("Conv", {x, w}, {y});
    SetAttr(n, "strides", c.attr<Ints>("strides"));
    SetAttr(n, "dilations", c.attr<Ints>("dilations"));
    SetAttr(n, "auto_pad", auto_pad);
    const Shape& f = c.in_spec(1).shape;
    SetAttr(n, "kernel_shape", std::vector<int64_t>{f[0], f[1]});
    return absl::OkStatus();
  });
}
DUET_ONNX_EXPORT(conv2d, Conv2D);

template <bool kMax>
absl::Status Pool(ExportContext& c) {
  ASSIGN_OR_RETURN(std::string auto_pad, AutoPad(c.attr<std::string>("padding")));
  return InNchw(c, [&](const std::string& x, const std::string& y) {
    auto* n = c.Add(kMax ? "MaxPool" : "AveragePool", {x}, {y});
    SetAttr(n, "kernel_shape", c.attr<Ints>("ksize"));
    SetAttr(n, "strides", c.attr<Ints>("strides"));
    SetAttr(n, "auto_pad", auto_pad);
    if (!kMax) SetAttr(n, "count_include_pad", int64_t{0});
    return absl::OkStatus();
  });
}
DUET_ONNX_EXPORT(max_pool2d, Pool<true>);
DUET_ONNX_EXPORT(avg_pool2d, Pool<false>);

absl::Status Matmul(ExportContext& c) {
  std::string ab[2] = {c.in(0), c.in(1)};
  for (int i = 0; i < 2; ++i) {
    if (!c.attr<bool>(i == 0 ? "transpose_a" : "transpose_b")) continue;
    const int r = c.in_spec(i).shape.rank();
    std::vector<int64_t> perm;
    for (int d = 0; d < r; ++d) perm.push_back(d);
    std::swap(perm[r - 1], perm[r - 2]);
    std::string t = c.Temp();
    SetAttr(c.Add("Transpose", {ab[i]}, {t}), "perm", perm);
    ab[i] = t;
  }
  c.Add("MatMul", {ab[0], ab[1]}, {c.out(0)});
  return absl::OkStatus();
}
DUET_ONNX_EXPORT(matmul, Matmul);

template <const char* kOnnx>
absl::Status Softmax(ExportContext& c) {
  SetAttr(c.Add(kOnnx, {c.in(0)}, {c.out(0)}), "axis", c.attr<int64_t>("axis"));
  return absl::OkStatus();
}
constexpr char kSoftmax[] = "Softmax", kLogSoftmax[] = "LogSoftmax";
DUET_ONNX_EXPORT(softmax, Softmax<kSoftmax>);
DUET_ONNX_EXPORT(log_softmax, Softmax<kLogSoftmax>);

constexpr char kGradOp[] =
    "a gradient op: export the forward function, ONNX graphs are for inference";
DUET_ONNX_NO_EXPORT(conv2d_backprop_input, kGradOp);
DUET_ONNX_NO_EXPORT(conv2d_backprop_filter, kGradOp);
DUET_ONNX_NO_EXPORT(max_pool2d_grad, kGradOp);
DUET_ONNX_NO_EXPORT(max_pool2d_grad_grad, kGradOp);
DUET_ONNX_NO_EXPORT(avg_pool2d_grad, kGradOp);

}  // namespace
}  // namespace duet::onnx::internal
