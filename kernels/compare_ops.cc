// Registrations and CPU kernels of comparisons, logical ops and where.
#include "kernels/compare_ops.h"

#include "kernels/cpu/binary_loops.h"
#include "kernels/cpu/select_loops.h"
#include "kernels/cpu/unary_loops.h"
#include "kernels/grad_helpers.h"
#include "kernels/infer_helpers.h"
#include "kernels/op_call.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

constexpr auto kComparable = {DType::kFloat32, DType::kFloat64, DType::kInt32, DType::kInt64,
                              DType::kBool};

template <cpu::BinaryOp kOp>
absl::Status BinaryLoopKernel(KernelContext& ctx) {
  if (!cpu::Binary(kOp, ctx.inputs[0], ctx.inputs[1], ctx.outputs[0]))
    return OpError(ctx.op, "no kernel for ", DTypeName(ctx.inputs[0].dtype()));
  return absl::OkStatus();
}

absl::StatusOr<SpecList> InferLogical(const InferContext& ctx) {
  for (int i = 0; i < static_cast<int>(ctx.inputs.size()); ++i)
    if (absl::Status s = CheckDType(ctx, i, {DType::kBool}); !s.ok()) return s;
  return InferBroadcast(ctx);
}

absl::Status NotKernel(KernelContext& ctx) {
  if (!cpu::Unary(cpu::UnaryOp::kLogicalNot, ctx.inputs[0], ctx.outputs[0]))
    return OpError(ctx.op, "no kernel for ", DTypeName(ctx.inputs[0].dtype()));
  return absl::OkStatus();
}

absl::StatusOr<SpecList> InferWhere(const InferContext& ctx) {
  if (absl::Status s = CheckDType(ctx, 0, {DType::kBool}); !s.ok()) return s;
  if (ctx.input(1).dtype != ctx.input(2).dtype)
    return OpError(ctx.op, "x and y must share a dtype: ", ctx.input(1).to_string(), " vs ",
                   ctx.input(2).to_string());
  absl::StatusOr<Shape> s = BroadcastShapes(ctx.op, ctx.input(0).shape, ctx.input(1).shape);
  if (!s.ok()) return s.status();
  s = BroadcastShapes(ctx.op, *s, ctx.input(2).shape);
  if (!s.ok()) return s.status();
  return SpecList{TensorSpec(*s, ctx.input(1).dtype)};
}

absl::Status WhereKernel(KernelContext& ctx) {
  cpu::Where(ctx.inputs[0], ctx.inputs[1], ctx.inputs[2], ctx.outputs[0]);
  return absl::OkStatus();
}

#define DUET_COMPARISON(var, name, op)                                                \
  const OpDef& var = OpBuilder(name)                                                  \
                         .Inputs({"x", "y"})                                          \
                         .Outputs({"z"})                                              \
                         .Traits(kElementwise | kBroadcasting)                        \
                         .Infer(InferBroadcastToBool)                                 \
                         .Kernel(DeviceType::kCPU, kComparable, BinaryLoopKernel<op>) \
                         .NotDifferentiable()                                         \
                         .Build()

DUET_COMPARISON(kEqual, "equal", cpu::BinaryOp::kEqual);
DUET_COMPARISON(kNotEqual, "not_equal", cpu::BinaryOp::kNotEqual);
DUET_COMPARISON(kLess, "less", cpu::BinaryOp::kLess);
DUET_COMPARISON(kLessEqual, "less_equal", cpu::BinaryOp::kLessEqual);
DUET_COMPARISON(kGreater, "greater", cpu::BinaryOp::kGreater);
DUET_COMPARISON(kGreaterEqual, "greater_equal", cpu::BinaryOp::kGreaterEqual);
#undef DUET_COMPARISON

const OpDef& kLogicalAnd =
    OpBuilder("logical_and")
        .Inputs({"x", "y"})
        .Outputs({"z"})
        .Traits(kElementwise | kBroadcasting | kCommutative)
        .Infer(InferLogical)
        .Kernel(DeviceType::kCPU, {DType::kBool}, BinaryLoopKernel<cpu::BinaryOp::kLogicalAnd>)
        .NotDifferentiable()
        .Build();
const OpDef& kLogicalOr =
    OpBuilder("logical_or")
        .Inputs({"x", "y"})
        .Outputs({"z"})
        .Traits(kElementwise | kBroadcasting | kCommutative)
        .Infer(InferLogical)
        .Kernel(DeviceType::kCPU, {DType::kBool}, BinaryLoopKernel<cpu::BinaryOp::kLogicalOr>)
        .NotDifferentiable()
        .Build();
const OpDef& kLogicalNot = OpBuilder("logical_not")
                               .Inputs({"x"})
                               .Outputs({"y"})
                               .Traits(kElementwise)
                               .Infer(InferLogical)
                               .Kernel(DeviceType::kCPU, {DType::kBool}, NotKernel)
                               .NotDifferentiable()
                               .Build();
const OpDef& kWhere =
    OpBuilder("where")
        .Inputs({"cond", "x", "y"})
        .Outputs({"z"})
        .Traits(kElementwise | kBroadcasting)
        .Infer(InferWhere)
        .KernelDTypeFrom(1)
        .Kernel(DeviceType::kCPU,
                {DType::kFloat32, DType::kFloat64, DType::kInt32, DType::kInt64, DType::kBool,
                 DType::kFloat16, DType::kBFloat16},
                WhereKernel)
        .Gradient([](const GradContext& c) {
          const Tensor& dz = c.output_grads[0];
          return std::vector<Tensor>{Tensor(), SumToInput(c, where(c.inputs[0], dz, 0), 1),
                                     SumToInput(c, where(c.inputs[0], 0, dz), 2)};
        })
        .Build();

}  // namespace

Tensor equal(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kEqual, x, y, loc);
}
Tensor not_equal(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kNotEqual, x, y, loc);
}
Tensor less(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kLess, x, y, loc);
}
Tensor less_equal(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kLessEqual, x, y, loc);
}
Tensor greater(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kGreater, x, y, loc);
}
Tensor greater_equal(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kGreaterEqual, x, y, loc);
}
Tensor logical_and(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kLogicalAnd, x, y, loc);
}
Tensor logical_or(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kLogicalOr, x, y, loc);
}
Tensor logical_not(const Operand& x, const Loc& loc) { return CallUnary(kLogicalNot, x, loc); }

Tensor where(const Operand& cond, const Operand& x, const Operand& y, const Loc& loc) {
  Tensor c = ValueOrThrow(cond.ToTensor("where"), loc);
  auto xy = ValueOrThrow(ResolveOperands("where", x, y), loc);
  return Call(kWhere, {c, xy.first, xy.second}, {}, loc);
}

}  // namespace duet
