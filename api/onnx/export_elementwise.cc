// ONNX mappings of duet's elementwise ops (unary math, binary arithmetic, comparisons, logic,
// where, cast). Where semantics differ they are composed: integer div floors in duet (ONNX
// Div truncates) so it is (a - Mod(a, b)) / b; float floor_mod is a - Floor(a / b) * b.
#include "api/onnx/export_registry.h"
#include "api/onnx/tensor_proto.h"

namespace duet::onnx::internal {
namespace {

template <const char* kOnnx>
absl::Status Same(ExportContext& c) {
  std::vector<std::string> ins;
  for (int i = 0; i < c.num_inputs(); ++i) ins.push_back(c.in(i));
  c.Add(kOnnx, ins, {c.out(0)});
  return absl::OkStatus();
}

#define SAME(op, onnx_op)                \
  constexpr char kOnnx_##op[] = onnx_op; \
  DUET_ONNX_EXPORT(op, Same<kOnnx_##op>)

SAME(add, "Add");
SAME(sub, "Sub");
SAME(mul, "Mul");
SAME(pow, "Pow");
SAME(maximum, "Max");
SAME(minimum, "Min");
SAME(neg, "Neg");
SAME(abs, "Abs");
SAME(relu, "Relu");
SAME(exp, "Exp");
SAME(log, "Log");
SAME(sqrt, "Sqrt");
SAME(tanh, "Tanh");
SAME(sigmoid, "Sigmoid");
SAME(softplus, "Softplus");
SAME(sin, "Sin");
SAME(cos, "Cos");
SAME(floor, "Floor");
SAME(identity, "Identity");
SAME(stop_gradient, "Identity");
SAME(copy_to_device, "Identity");  // an ONNX runtime places tensors itself
SAME(equal, "Equal");
SAME(less, "Less");
SAME(less_equal, "LessOrEqual");
SAME(greater, "Greater");
SAME(greater_equal, "GreaterOrEqual");
SAME(logical_and, "And");
SAME(logical_or, "Or");
SAME(logical_not, "Not");
SAME(where, "Where");
#undef SAME

DUET_ONNX_EXPORT(square, [](ExportContext& c) {
  c.Add("Mul", {c.in(0), c.in(0)}, {c.out(0)});
  return absl::OkStatus();
});
DUET_ONNX_EXPORT(rsqrt, [](ExportContext& c) {
  std::string s = c.Temp();
  c.Add("Sqrt", {c.in(0)}, {s});
  c.Add("Reciprocal", {s}, {c.out(0)});
  return absl::OkStatus();
});
DUET_ONNX_EXPORT(log1p, [](ExportContext& c) {
  std::string s = c.Temp();
  c.Add("Add", {c.in(0), c.Scalar(1, c.in_spec(0).dtype)}, {s});
  c.Add("Log", {s}, {c.out(0)});
  return absl::OkStatus();
});
DUET_ONNX_EXPORT(not_equal, [](ExportContext& c) {
  std::string e = c.Temp();
  c.Add("Equal", {c.in(0), c.in(1)}, {e});
  c.Add("Not", {e}, {c.out(0)});
  return absl::OkStatus();
});
DUET_ONNX_EXPORT(div, [](ExportContext& c) {
  if (!IsInteger(c.in_spec(0).dtype)) {
    c.Add("Div", {c.in(0), c.in(1)}, {c.out(0)});
    return absl::OkStatus();
  }
  std::string r = c.Temp(), d = c.Temp();
  SetAttr(c.Add("Mod", {c.in(0), c.in(1)}, {r}), "fmod", int64_t{0});
  c.Add("Sub", {c.in(0), r}, {d});
  c.Add("Div", {d, c.in(1)}, {c.out(0)});
  return absl::OkStatus();
});
DUET_ONNX_EXPORT(floor_mod, [](ExportContext& c) {
  if (IsInteger(c.in_spec(0).dtype)) {
    SetAttr(c.Add("Mod", {c.in(0), c.in(1)}, {c.out(0)}), "fmod", int64_t{0});
    return absl::OkStatus();
  }
  std::string q = c.Temp(), f = c.Temp(), m = c.Temp();
  c.Add("Div", {c.in(0), c.in(1)}, {q});
  c.Add("Floor", {q}, {f});
  c.Add("Mul", {f, c.in(1)}, {m});
  c.Add("Sub", {c.in(0), m}, {c.out(0)});
  return absl::OkStatus();
});
DUET_ONNX_EXPORT(cast, [](ExportContext& c) {
  SetAttr(c.Add("Cast", {c.in(0)}, {c.out(0)}), "to", int64_t{DTypeToOnnx(c.out_spec(0).dtype)});
  return absl::OkStatus();
});

DUET_ONNX_NO_EXPORT(random_normal,
                    "ONNX RandomNormal draws other numbers than duet's Philox stream");
DUET_ONNX_NO_EXPORT(random_uniform,
                    "ONNX RandomUniform draws other numbers than duet's Philox stream");
DUET_ONNX_NO_EXPORT(print, "a host side effect: ONNX has no print");
DUET_ONNX_NO_EXPORT(fused_matmul,
                    "made by the executor's lowering (export runs the unfused graph)");
DUET_ONNX_NO_EXPORT(fused_conv2d,
                    "made by the executor's lowering (export runs the unfused graph)");
DUET_ONNX_NO_EXPORT(relu_grad, "relu's gradient op (backward passes are not exported)");

}  // namespace
}  // namespace duet::onnx::internal
