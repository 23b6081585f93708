// ONNX mappings of duet's shape ops and reductions. Static operands (shapes, axes, pads) become
// int64 initializers (opset 13 takes them as inputs). duet's pads interleave [before, after]
// per dim, ONNX's list all befores then all afters; slice's size -1 is "to the end".
#include <limits>

#include "api/onnx/export_registry.h"

namespace duet::onnx::internal {
namespace {

absl::Status Reshape(ExportContext& c) {
  const Shape& s = c.attr<Shape>("shape");
  std::vector<int64_t> dims = s.dims();
  SetAttr(c.Add("Reshape", {c.in(0), c.Ints(dims)}, {c.out(0)}), "allowzero", int64_t{1});
  return absl::OkStatus();
}
DUET_ONNX_EXPORT(reshape, Reshape);

absl::Status BroadcastTo(ExportContext& c) {
  c.Add("Expand", {c.in(0), c.Ints(c.attr<Shape>("shape").dims())}, {c.out(0)});
  return absl::OkStatus();
}
DUET_ONNX_EXPORT(broadcast_to, BroadcastTo);

absl::Status Transpose(ExportContext& c) {
  std::vector<int64_t> perm = c.attr<Ints>("perm");
  const int r = c.in_spec(0).shape.rank();
  if (perm.empty())
    for (int d = r - 1; d >= 0; --d) perm.push_back(d);
  SetAttr(c.Add("Transpose", {c.in(0)}, {c.out(0)}), "perm", perm);
  return absl::OkStatus();
}
DUET_ONNX_EXPORT(transpose, Transpose);

absl::Status ExpandDims(ExportContext& c) {
  c.Add("Unsqueeze", {c.in(0), c.Ints({c.attr<int64_t>("axis")})}, {c.out(0)});
  return absl::OkStatus();
}
DUET_ONNX_EXPORT(expand_dims, ExpandDims);

absl::Status Squeeze(ExportContext& c) {
  std::vector<int64_t> axes = c.attr<Ints>("axes");
  if (axes.empty()) {
    const Shape& s = c.in_spec(0).shape;
    for (int d = 0; d < s.rank(); ++d)
      if (s[d] == 1) axes.push_back(d);
  }
  c.Add("Squeeze", {c.in(0), c.Ints(axes)}, {c.out(0)});
  return absl::OkStatus();
}
DUET_ONNX_EXPORT(squeeze, Squeeze);

std::vector<std::string> AllInputs(const ExportContext& c) {
  std::vector<std::string> ins;
  for (int i = 0; i < c.num_inputs(); ++i) ins.push_back(c.in(i));
  return ins;
}

absl::Status Concat(ExportContext& c) {
  SetAttr(c.Add("Concat", AllInputs(c), {c.out(0)}), "axis", c.attr<int64_t>("axis"));
  return absl::OkStatus();
}
DUET_ONNX_EXPORT(concat, Concat);

absl::Status Stack(ExportContext& c) {
  std::vector<std::string> parts;
  for (int i = 0; i < c.num_inputs(); ++i) {
    parts.push_back(c.Temp());
    c.Add("Unsqueeze", {c.in(i), c.Ints({c.attr<int64_t>("axis")})}, {parts.back()});
  }
  SetAttr(c.Add("Concat", parts, {c.out(0)}), "axis", c.attr<int64_t>("axis"));
  return absl::OkStatus();
}
DUET_ONNX_EXPORT(stack, Stack);

absl::Status Slice(ExportContext& c) {
  const std::vector<int64_t>& begin = c.attr<Ints>("begin");
  const std::vector<int64_t>& size = c.attr<Ints>("size");
  std::vector<int64_t> ends, axes;
  for (size_t d = 0; d < begin.size(); ++d) {
    ends.push_back(size[d] < 0 ? std::numeric_limits<int64_t>::max() : begin[d] + size[d]);
    axes.push_back(static_cast<int64_t>(d));
  }
  c.Add("Slice", {c.in(0), c.Ints(begin), c.Ints(ends), c.Ints(axes)}, {c.out(0)});
  return absl::OkStatus();
}
DUET_ONNX_EXPORT(slice, Slice);

absl::Status Pad(ExportContext& c) {
  const std::vector<int64_t>& p = c.attr<Ints>("paddings");
  std::vector<int64_t> pads(p.size());
  const size_t r = p.size() / 2;
  for (size_t d = 0; d < r; ++d) {
    pads[d] = p[2 * d];
    pads[d + r] = p[2 * d + 1];
  }
  c.Add("Pad", {c.in(0), c.Ints(pads)}, {c.out(0)});
  return absl::OkStatus();
}
DUET_ONNX_EXPORT(pad, Pad);

absl::Status Gather(ExportContext& c) {
  SetAttr(c.Add("Gather", {c.in(0), c.in(1)}, {c.out(0)}), "axis", c.attr<int64_t>("axis"));
  return absl::OkStatus();
}
DUET_ONNX_EXPORT(gather, Gather);

absl::Status OneHot(ExportContext& c) {
  Tensor values = Tensor::Empty(TensorSpec(Shape{2}, DType::kFloat32));
  values.mutable_data<float>()[0] = 0.f;
  values.mutable_data<float>()[1] = 1.f;
  std::string depth = c.Ints({c.attr<int64_t>("depth")});
  SetAttr(c.Add("OneHot", {c.in(0), depth, c.Const(values)}, {c.out(0)}), "axis", int64_t{-1});
  return absl::OkStatus();
}
DUET_ONNX_EXPORT(one_hot, OneHot);

DUET_ONNX_NO_EXPORT(
    scatter_add, "gather's gradient op (ScatterElements with add needs opset 16 and full indices)");
DUET_ONNX_NO_EXPORT(scatter_add_like, "gather's gradient op for traced -1 dims, like scatter_add");

// Reductions: ReduceSum takes axes as an input from opset 13, the others as an attribute.
template <const char* kOnnx>
absl::Status Reduce(ExportContext& c) {
  const std::vector<int64_t>& axes = c.attr<Ints>("axes");
  const bool sum = std::string_view(kOnnx) == "ReduceSum";
  std::vector<std::string> ins = {c.in(0)};
  if (sum && !axes.empty()) ins.push_back(c.Ints(axes));
  auto* n = c.Add(kOnnx, ins, {c.out(0)});
  if (!sum && !axes.empty()) SetAttr(n, "axes", axes);
  SetAttr(n, "keepdims", int64_t{c.attr<bool>("keepdims")});
  return absl::OkStatus();
}
constexpr char kReduceSum[] = "ReduceSum", kReduceMean[] = "ReduceMean", kReduceMax[] = "ReduceMax",
               kReduceMin[] = "ReduceMin";
DUET_ONNX_EXPORT(reduce_sum, Reduce<kReduceSum>);
DUET_ONNX_EXPORT(reduce_mean, Reduce<kReduceMean>);
DUET_ONNX_EXPORT(reduce_max, Reduce<kReduceMax>);
DUET_ONNX_EXPORT(reduce_min, Reduce<kReduceMin>);

absl::Status ArgMax(ExportContext& c) {
  auto* n = c.Add("ArgMax", {c.in(0)}, {c.out(0)});
  SetAttr(n, "axis", c.attr<int64_t>("axis"));
  SetAttr(n, "keepdims", int64_t{0});
  return absl::OkStatus();
}
DUET_ONNX_EXPORT(argmax, ArgMax);

}  // namespace
}  // namespace duet::onnx::internal
