// ONNX neural-network ops: MatMul, Gemm, Conv (groups, 1-D/2-D), MaxPool, AveragePool, global
// pools, Softmax/LogSoftmax/Hardmax. ONNX is NCHW with OIHW weights and explicit pads; duet
// is NHWC/HWIO with SAME/VALID, so inputs are transposed, padded explicitly (max pooling pads
// with -inf) and run "VALID"; excluded-padding averages divide by the pooled ones-mask.
#include <limits>

#include "absl/strings/str_cat.h"
#include "api/onnx/import_registry.h"
#include "api/onnx/ops.h"
#include "api/onnx/window.h"

namespace duet::onnx::internal {
namespace {

ImportResult ImportMatMul(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(2));
  Tensor a = n.in(0), b = n.in(1);
  const bool va = a.rank() == 1, vb = b.rank() == 1;
  if (va) a = expand_dims(a, 0);
  if (vb) b = expand_dims(b, 1);
  Tensor y = matmul(a, b);
  if (va) y = squeeze(y, {-2});
  if (vb) y = squeeze(y, {-1});
  return Outputs(y);
}
DUET_ONNX_IMPORT(MatMul, ImportMatMul);

ImportResult ImportGemm(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(2));
  Tensor y = matmul(n.in(0), n.in(1), n.attr_int("transA", 0) != 0, n.attr_int("transB", 0) != 0);
  float alpha = n.attr_float("alpha", 1.f), beta = n.attr_float("beta", 1.f);
  if (alpha != 1.f) y = y * alpha;
  if (n.has(2)) y = y + (beta != 1.f ? n.in(2) * beta : n.in(2));
  return Outputs(y);
}
DUET_ONNX_IMPORT(Gemm, ImportGemm);

// The NHWC input padded per `w` with `value` (0 or -inf).
Tensor PadSpatial(const Tensor& x, const Window& w, double value) {
  if (!w.any_pad()) return x;
  std::vector<int64_t> p = {0, 0, w.pad_begin[0], w.pad_end[0], w.pad_begin[1], w.pad_end[1], 0, 0};
  Tensor y = pad(x, p);
  if (value != 0) y = where(pad(ones(x.shape(), DType::kBool), p), y, value);
  return y;
}

// A 1-D window (rank-3 input) as 2-D with a unit H.
absl::StatusOr<Window> Window2D(const NodeContext& n, const Tensor& x,
                                std::vector<int64_t> kernel) {
  if (x.rank() != 3 && x.rank() != 4)
    return absl::UnimplementedError(
        "only 1-D and 2-D windows (rank 3 or 4 input) are supported, got " + x.spec().to_string());
  const std::vector<int64_t> dims = x.shape().dims();
  std::vector<int64_t> spatial(dims.begin() + 2, dims.end());
  if (kernel.empty()) kernel = n.attr_ints("kernel_shape");
  ASSIGN_OR_RETURN(Window w, ResolveWindow(n, spatial, kernel));
  if (x.rank() == 3)
    for (auto* v : {&w.kernel, &w.strides, &w.dilations}) v->insert(v->begin(), 1);
  if (x.rank() == 3)
    for (auto* v : {&w.pad_begin, &w.pad_end}) v->insert(v->begin(), 0);
  return w;
}

std::array<int, 2> Pair(const std::vector<int64_t>& v) {
  return {static_cast<int>(v[0]), static_cast<int>(v[1])};
}

ImportResult ImportConv(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(2));
  const Tensor& x = n.in(0);
  const Tensor& wt = n.in(1);
  if (wt.rank() != x.rank()) return absl::InvalidArgumentError("weights and input ranks differ");
  const std::vector<int64_t> wdims = wt.shape().dims();
  std::vector<int64_t> kernel(wdims.begin() + 2, wdims.end());
  ASSIGN_OR_RETURN(Window w, Window2D(n, x, kernel));
  const int64_t group = n.attr_int("group", 1);
  Tensor xin = PadSpatial(ToNhwc(x), w, 0);
  Tensor filt = wt.rank() == 3 ? expand_dims(wt, 2) : wt;
  filt = transpose(filt, {2, 3, 1, 0});  // OIHW -> HWIO
  const int64_t cin = xin.shape()[3], cout = filt.shape()[3];
  if (group < 1 || cin % group || cout % group || filt.shape()[2] * group != cin)
    return absl::InvalidArgumentError(absl::StrCat("group ", group, " does not fit input ",
                                                   x.spec().to_string(), " and weights ",
                                                   wt.spec().to_string()));
  std::vector<Tensor> parts;
  const int64_t gi = cin / group, go = cout / group;
  for (int64_t g = 0; g < group; ++g) {
    Tensor xg = group == 1 ? xin : slice(xin, {0, 0, 0, g * gi}, {-1, -1, -1, gi});
    Tensor fg = group == 1 ? filt : slice(filt, {0, 0, 0, g * go}, {-1, -1, -1, go});
    parts.push_back(conv2d(xg, fg, Pair(w.strides), "VALID", Pair(w.dilations)));
  }
  Tensor y = group == 1 ? parts[0] : concat(parts, 3);
  if (n.has(2)) y = y + n.in(2);  // bias over the last (channel) dim
  return Outputs(FromNhwc(y, x.rank()));
}
DUET_ONNX_IMPORT(Conv, ImportConv);

ImportResult ImportMaxPool(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  const Tensor& x = n.in(0);
  ASSIGN_OR_RETURN(Window w, Window2D(n, x, {}));
  if (w.dilations[0] != 1 || w.dilations[1] != 1)
    return absl::UnimplementedError("dilated pooling is not supported");
  Tensor xin = PadSpatial(ToNhwc(x), w, -std::numeric_limits<double>::infinity());
  return Outputs(FromNhwc(max_pool2d(xin, Pair(w.kernel), Pair(w.strides), "VALID"), x.rank()));
}
DUET_ONNX_IMPORT(MaxPool, ImportMaxPool);

ImportResult ImportAveragePool(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  const Tensor& x = n.in(0);
  ASSIGN_OR_RETURN(Window w, Window2D(n, x, {}));
  if (w.dilations[0] != 1 || w.dilations[1] != 1)
    return absl::UnimplementedError("dilated pooling is not supported");
  Tensor nhwc = ToNhwc(x);
  Tensor y = avg_pool2d(PadSpatial(nhwc, w, 0), Pair(w.kernel), Pair(w.strides), "VALID");
  if (w.any_pad() && !n.attr_int("count_include_pad", 0)) {
    Tensor count = avg_pool2d(PadSpatial(ones(nhwc.shape(), nhwc.dtype()), w, 0), Pair(w.kernel),
                              Pair(w.strides), "VALID");
    y = y / count;
  }
  return Outputs(FromNhwc(y, x.rank()));
}
DUET_ONNX_IMPORT(AveragePool, ImportAveragePool);

std::vector<int> SpatialAxes(const Tensor& x) {
  std::vector<int> axes;
  for (int d = 2; d < x.rank(); ++d) axes.push_back(d);
  return axes;
}
DUET_ONNX_IMPORT(GlobalAveragePool, [](NodeContext& n) -> ImportResult {
  RETURN_IF_ERROR(n.require_inputs(1));
  return Outputs(reduce_mean(n.in(0), SpatialAxes(n.in(0)), true));
});
DUET_ONNX_IMPORT(GlobalMaxPool, [](NodeContext& n) -> ImportResult {
  RETURN_IF_ERROR(n.require_inputs(1));
  return Outputs(reduce_max(n.in(0), SpatialAxes(n.in(0)), true));
});

// Opset < 13 normalizes over the flattened dims [axis, rank) (default axis 1); opset 13 over
// one axis (default -1).
enum class SoftKind { kSoftmax, kLogSoftmax, kHardmax };
Tensor Soft1D(const Tensor& x, int axis, SoftKind kind) {
  switch (kind) {
    case SoftKind::kSoftmax:
      return softmax(x, axis);
    case SoftKind::kLogSoftmax:
      return log_softmax(x, axis);
    case SoftKind::kHardmax:
      break;
  }
  int a = axis < 0 ? axis + x.rank() : axis;
  Tensor oh = cast(one_hot(argmax(x, a), static_cast<int>(x.shape()[a])), x.dtype());
  std::vector<int> perm;
  for (int d = 0; d < x.rank() - 1; ++d) {
    if (d == a) perm.push_back(x.rank() - 1);
    perm.push_back(d);
  }
  if (a == x.rank() - 1) return oh;
  return transpose(oh, perm);
}
ImportResult ImportSoft(NodeContext& n, SoftKind kind) {
  RETURN_IF_ERROR(n.require_inputs(1));
  const Tensor& x = n.in(0);
  if (n.opset() >= 13) return Outputs(Soft1D(x, static_cast<int>(n.attr_int("axis", -1)), kind));
  int64_t axis = n.attr_int("axis", 1);
  if (axis < 0) axis += x.rank();
  if (axis < 0 || axis > x.rank())
    return absl::InvalidArgumentError("axis out of range for " + x.spec().to_string());
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < x.rank(); ++d) (d < axis ? outer : inner) *= x.shape()[d];
  return Outputs(reshape(Soft1D(reshape(x, Shape{outer, inner}), -1, kind), x.shape()));
}
DUET_ONNX_IMPORT(Softmax, [](NodeContext& n) { return ImportSoft(n, SoftKind::kSoftmax); });
DUET_ONNX_IMPORT(LogSoftmax, [](NodeContext& n) { return ImportSoft(n, SoftKind::kLogSoftmax); });
DUET_ONNX_IMPORT(Hardmax, [](NodeContext& n) { return ImportSoft(n, SoftKind::kHardmax); });

}  // namespace
}  // namespace duet::onnx::internal
