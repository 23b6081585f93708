// Op definitions (CPU kernels: kernels/cpu/compare_kernels.cc) of comparisons, logical ops and
// where.
#include "kernels/compare_ops.h"

#include "kernels/grad_helpers.h"
#include "kernels/infer_helpers.h"
#include "kernels/op_call.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

constexpr DTypeSet kComparable = kNumericDTypes | kBoolDType;

absl::StatusOr<SpecList> InferWhere(const InferContext& ctx) {
  if (ctx.input(1).dtype != ctx.input(2).dtype)
    return OpError(ctx.op, "x and y must share a dtype: ", ctx.input(1).to_string(), " vs ",
                   ctx.input(2).to_string());
  absl::StatusOr<Shape> s = BroadcastShapes(ctx.op, ctx.input(0).shape, ctx.input(1).shape);
  if (!s.ok()) return s.status();
  s = BroadcastShapes(ctx.op, *s, ctx.input(2).shape);
  if (!s.ok()) return s.status();
  return SpecList{TensorSpec(*s, ctx.input(1).dtype)};
}

template <ScalarCompare kCmp>
ScalarList CompareScalar(const ScalarContext& c) {
  return ScalarList{c.b.Compare(kCmp, c.in(0), c.in(1))};
}
template <ScalarBinary kFn>
ScalarList LogicalScalar(const ScalarContext& c) {
  return ScalarList{c.b.Binary(kFn, c.in(0), c.in(1))};
}

#define DUET_COMPARISON(var, name, cmp)                        \
  const OpDef& var = OpBuilder(name)                           \
                         .Inputs({"x", "y"}, kComparable)      \
                         .SameDTypes()                         \
                         .Outputs({"z"})                       \
                         .Traits(kElementwise | kBroadcasting) \
                         .Infer(InferBroadcastToBool)          \
                         .NotDifferentiable()                  \
                         .Scalar(CompareScalar<cmp>)           \
                         .Build()

DUET_COMPARISON(kEqual, "equal", ScalarCompare::kEq);
DUET_COMPARISON(kNotEqual, "not_equal", ScalarCompare::kNe);
DUET_COMPARISON(kLess, "less", ScalarCompare::kLt);
DUET_COMPARISON(kLessEqual, "less_equal", ScalarCompare::kLe);
DUET_COMPARISON(kGreater, "greater", ScalarCompare::kGt);
DUET_COMPARISON(kGreaterEqual, "greater_equal", ScalarCompare::kGe);
#undef DUET_COMPARISON

const OpDef& kLogicalAnd = OpBuilder("logical_and")
                               .Inputs({"x", "y"}, kBoolDType)
                               .Outputs({"z"})
                               .Traits(kElementwise | kBroadcasting | kCommutative)
                               .Infer(InferBroadcast)
                               .Scalar(LogicalScalar<ScalarBinary::kAnd>)
                               .NotDifferentiable()
                               .Build();
const OpDef& kLogicalOr = OpBuilder("logical_or")
                              .Inputs({"x", "y"}, kBoolDType)
                              .Outputs({"z"})
                              .Traits(kElementwise | kBroadcasting | kCommutative)
                              .Infer(InferBroadcast)
                              .Scalar(LogicalScalar<ScalarBinary::kOr>)
                              .NotDifferentiable()
                              .Build();
const OpDef& kLogicalNot = OpBuilder("logical_not")
                               .Inputs({"x"}, kBoolDType)
                               .Outputs({"y"})
                               .Traits(kElementwise)
                               .Infer(InferBroadcast)
                               .Scalar([](const ScalarContext& c) {
                                 return ScalarList{c.b.Unary(ScalarUnary::kNot, c.in(0))};
                               })
                               .NotDifferentiable()
                               .Build();
const OpDef& kWhere =
    OpBuilder("where")
        .Input("cond", kBoolDType)
        .Input("x")
        .Input("y")
        .Outputs({"z"})
        .Traits(kElementwise | kBroadcasting)
        .Infer(InferWhere)
        .KernelDTypeFrom(1)
        .Scalar([](const ScalarContext& c) {
          return ScalarList{c.b.Select(c.in(0), c.in(1), c.in(2))};
        })
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
