// Registrations and CPU kernels of comparisons, logical ops and where.
#include "kernels/compare_ops.h"

#include <bit>
#include <type_traits>

#include "kernels/cpu/elementwise_loops.h"
#include "kernels/grad_helpers.h"
#include "kernels/infer_helpers.h"
#include "kernels/op_call.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

constexpr auto kComparable = {DType::kFloat32, DType::kFloat64, DType::kInt32, DType::kInt64, DType::kBool};

struct EqFn { template <class T> bool operator()(T a, T b) const { return a == b; } };
struct NeFn { template <class T> bool operator()(T a, T b) const { return a != b; } };
struct LtFn { template <class T> bool operator()(T a, T b) const { return a < b; } };
struct LeFn { template <class T> bool operator()(T a, T b) const { return a <= b; } };
struct GtFn { template <class T> bool operator()(T a, T b) const { return a > b; } };
struct GeFn { template <class T> bool operator()(T a, T b) const { return a >= b; } };
struct AndFn { bool operator()(bool a, bool b) const { return a && b; } };
struct OrFn { bool operator()(bool a, bool b) const { return a || b; } };

template <class Fn>
absl::Status CompareKernel(KernelContext& ctx) {
  const Tensor& a = ctx.inputs[0];
  const Tensor& b = ctx.inputs[1];
  Tensor& out = ctx.outputs[0];
  switch (a.dtype()) {
    case DType::kFloat32: cpu::BinaryMap<float, bool>(a, b, out, Fn{}); break;
    case DType::kFloat64: cpu::BinaryMap<double, bool>(a, b, out, Fn{}); break;
    case DType::kInt32: cpu::BinaryMap<int32_t, bool>(a, b, out, Fn{}); break;
    case DType::kInt64: cpu::BinaryMap<int64_t, bool>(a, b, out, Fn{}); break;
    case DType::kBool: cpu::BinaryMap<bool, bool>(a, b, out, Fn{}); break;
    default: return OpError(ctx.op, "no kernel for ", DTypeName(a.dtype()));
  }
  return absl::OkStatus();
}

template <class Fn>
absl::Status LogicalKernel(KernelContext& ctx) {
  cpu::BinaryMap<bool, bool>(ctx.inputs[0], ctx.inputs[1], ctx.outputs[0], Fn{});
  return absl::OkStatus();
}

absl::StatusOr<SpecList> InferLogical(const InferContext& ctx) {
  for (int i = 0; i < static_cast<int>(ctx.inputs.size()); ++i)
    if (absl::Status s = CheckDType(ctx, i, {DType::kBool}); !s.ok()) return s;
  return InferBroadcast(ctx);
}

absl::Status NotKernel(KernelContext& ctx) {
  cpu::UnaryMap<bool, bool>(ctx.inputs[0], ctx.outputs[0], [](bool v) { return !v; });
  return absl::OkStatus();
}

absl::StatusOr<SpecList> InferWhere(const InferContext& ctx) {
  if (absl::Status s = CheckDType(ctx, 0, {DType::kBool}); !s.ok()) return s;
  if (ctx.input(1).dtype != ctx.input(2).dtype)
    return OpError(ctx.op, "x and y must share a dtype: ", ctx.input(1).to_string(), " vs ", ctx.input(2).to_string());
  absl::StatusOr<Shape> s = BroadcastShapes(ctx.op, ctx.input(0).shape, ctx.input(1).shape);
  if (!s.ok()) return s.status();
  s = BroadcastShapes(ctx.op, *s, ctx.input(2).shape);
  if (!s.ok()) return s.status();
  return SpecList{TensorSpec(*s, ctx.input(1).dtype)};
}

// Branch-free select on the bits: masks are random (a relu's gradient), and branches on them
// mispredict half the time; this form also vectorizes.
template <class T>
T Select(bool c, T x, T y) {
  using U = std::conditional_t<sizeof(T) == 1, uint8_t,
            std::conditional_t<sizeof(T) == 2, uint16_t, std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>>;
  const U mask = static_cast<U>(U{0} - static_cast<U>(c));
  return std::bit_cast<T>(static_cast<U>((std::bit_cast<U>(x) & mask) | (std::bit_cast<U>(y) & static_cast<U>(~mask))));
}

absl::Status WhereKernel(KernelContext& ctx) {
  VisitDType(ctx.inputs[1].dtype(), [&](auto tag) {
    using T = decltype(tag);
    cpu::TernaryMap<bool, T>(ctx.inputs[0], ctx.inputs[1], ctx.inputs[2], ctx.outputs[0], Select<T>);
  });
  return absl::OkStatus();
}

#define DUET_COMPARISON(var, name, fn)                                                  \
  const OpDef& var = OpBuilder(name).Inputs({"x", "y"}).Outputs({"z"})                  \
      .Traits(kElementwise | kBroadcasting).Infer(InferBroadcastToBool)                 \
      .Kernel(DeviceType::kCPU, kComparable, CompareKernel<fn>).NotDifferentiable().Build()

DUET_COMPARISON(kEqual, "equal", EqFn);
DUET_COMPARISON(kNotEqual, "not_equal", NeFn);
DUET_COMPARISON(kLess, "less", LtFn);
DUET_COMPARISON(kLessEqual, "less_equal", LeFn);
DUET_COMPARISON(kGreater, "greater", GtFn);
DUET_COMPARISON(kGreaterEqual, "greater_equal", GeFn);
#undef DUET_COMPARISON

const OpDef& kLogicalAnd = OpBuilder("logical_and").Inputs({"x", "y"}).Outputs({"z"})
    .Traits(kElementwise | kBroadcasting | kCommutative).Infer(InferLogical)
    .Kernel(DeviceType::kCPU, {DType::kBool}, LogicalKernel<AndFn>).NotDifferentiable().Build();
const OpDef& kLogicalOr = OpBuilder("logical_or").Inputs({"x", "y"}).Outputs({"z"})
    .Traits(kElementwise | kBroadcasting | kCommutative).Infer(InferLogical)
    .Kernel(DeviceType::kCPU, {DType::kBool}, LogicalKernel<OrFn>).NotDifferentiable().Build();
const OpDef& kLogicalNot = OpBuilder("logical_not").Inputs({"x"}).Outputs({"y"})
    .Traits(kElementwise).Infer(InferLogical)
    .Kernel(DeviceType::kCPU, {DType::kBool}, NotKernel).NotDifferentiable().Build();
const OpDef& kWhere = OpBuilder("where").Inputs({"cond", "x", "y"}).Outputs({"z"})
    .Traits(kElementwise | kBroadcasting).Infer(InferWhere).KernelDTypeFrom(1)
    .Kernel(DeviceType::kCPU, {DType::kFloat32, DType::kFloat64, DType::kInt32, DType::kInt64, DType::kBool,
                               DType::kFloat16, DType::kBFloat16}, WhereKernel)
    .Gradient([](const GradContext& c) {
      const Tensor& dz = c.output_grads[0];
      return std::vector<Tensor>{Tensor(), SumToInput(c, where(c.inputs[0], dz, 0), 1), SumToInput(c, where(c.inputs[0], 0, dz), 2)};
    })
    .Build();

}  // namespace

Tensor equal(const Operand& x, const Operand& y, const Loc& loc) { return CallBinary(kEqual, x, y, loc); }
Tensor not_equal(const Operand& x, const Operand& y, const Loc& loc) { return CallBinary(kNotEqual, x, y, loc); }
Tensor less(const Operand& x, const Operand& y, const Loc& loc) { return CallBinary(kLess, x, y, loc); }
Tensor less_equal(const Operand& x, const Operand& y, const Loc& loc) { return CallBinary(kLessEqual, x, y, loc); }
Tensor greater(const Operand& x, const Operand& y, const Loc& loc) { return CallBinary(kGreater, x, y, loc); }
Tensor greater_equal(const Operand& x, const Operand& y, const Loc& loc) { return CallBinary(kGreaterEqual, x, y, loc); }
Tensor logical_and(const Operand& x, const Operand& y, const Loc& loc) { return CallBinary(kLogicalAnd, x, y, loc); }
Tensor logical_or(const Operand& x, const Operand& y, const Loc& loc) { return CallBinary(kLogicalOr, x, y, loc); }
Tensor logical_not(const Operand& x, const Loc& loc) { return CallUnary(kLogicalNot, x, loc); }

Tensor where(const Operand& cond, const Operand& x, const Operand& y, const Loc& loc) {
  Tensor c = ValueOrThrow(cond.ToTensor("where"), loc);
  auto xy = ValueOrThrow(ResolveOperands("where", x, y), loc);
  return Call(kWhere, {c, xy.first, xy.second}, {}, loc);
}

}  // namespace duet
