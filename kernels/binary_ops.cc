// Op definitions (CPU kernels: kernels/cpu/binary_kernels.cc) of the broadcasting binary arithmetic
// ops.
#include "kernels/binary_ops.h"

#include "kernels/compare_ops.h"
#include "kernels/grad_helpers.h"
#include "kernels/infer_helpers.h"
#include "kernels/op_call.h"
#include "kernels/unary_ops.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

constexpr uint32_t kBinaryTraits = kElementwise | kBroadcasting;

template <ScalarBinary kFn>
ScalarList BinaryScalar(const ScalarContext& c) {
  return ScalarList{c.b.Binary(kFn, c.in(0), c.in(1))};
}
// As the CPU kernel: the remainder takes the divisor's sign.
ScalarList FloorModScalar(const ScalarContext& c) {
  ScalarBuilder& b = c.b;
  const ScalarValue x = c.in(0), y = c.in(1), zero = b.Like(0, x);
  const ScalarValue r = b.Binary(ScalarBinary::kRem, x, y);
  const ScalarValue signs_differ =
      b.Compare(ScalarCompare::kNe, b.Compare(ScalarCompare::kLt, r, zero),
                b.Compare(ScalarCompare::kLt, y, zero));
  const ScalarValue fix =
      b.Binary(ScalarBinary::kAnd, b.Compare(ScalarCompare::kNe, r, zero), signs_differ);
  return ScalarList{b.Select(fix, b.Add(r, y), r)};
}

const OpDef& kAdd = OpBuilder("add")
                        .Inputs({"x", "y"}, kNumericDTypes)
                        .SameDTypes()
                        .Outputs({"z"})
                        .Traits(kBinaryTraits | kCommutative)
                        .Infer(InferBroadcast)
                        .Doc("x + y")
                        .Scalar(BinaryScalar<ScalarBinary::kAdd>)
                        .Gradient([](const GradContext& c) {
                          const Tensor& dz = c.output_grads[0];
                          return std::vector<Tensor>{SumToInput(c, dz, 0), SumToInput(c, dz, 1)};
                        })
                        .Build();
const OpDef& kSub =
    OpBuilder("sub")
        .Inputs({"x", "y"}, kNumericDTypes)
        .SameDTypes()
        .Outputs({"z"})
        .Traits(kBinaryTraits)
        .Infer(InferBroadcast)
        .Doc("x - y")
        .Scalar(BinaryScalar<ScalarBinary::kSub>)
        .Gradient([](const GradContext& c) {
          const Tensor& dz = c.output_grads[0];
          return std::vector<Tensor>{SumToInput(c, dz, 0), SumToInput(c, neg(dz), 1)};
        })
        .Build();
const OpDef& kMul = OpBuilder("mul")
                        .Inputs({"x", "y"}, kNumericDTypes)
                        .SameDTypes()
                        .Outputs({"z"})
                        .Traits(kBinaryTraits | kCommutative)
                        .Infer(InferBroadcast)
                        .Doc("x * y")
                        .Scalar(BinaryScalar<ScalarBinary::kMul>)
                        .Gradient([](const GradContext& c) {
                          const Tensor& dz = c.output_grads[0];
                          return std::vector<Tensor>{SumToInput(c, mul(dz, c.inputs[1]), 0),
                                                     SumToInput(c, mul(dz, c.inputs[0]), 1)};
                        })
                        .Build();
const OpDef& kDiv =
    OpBuilder("div")
        .Inputs({"x", "y"}, kNumericDTypes)
        .SameDTypes()
        .Outputs({"z"})
        .Traits(kBinaryTraits)
        .Infer(InferBroadcast)
        .Doc("x / y (floor division on integers)")
        .Scalar(BinaryScalar<ScalarBinary::kDiv>)
        .Gradient([](const GradContext& c) {
          const Tensor& dz = c.output_grads[0];
          const Tensor& y = c.inputs[1];
          return std::vector<Tensor>{SumToInput(c, div(dz, y), 0),
                                     SumToInput(c, neg(div(mul(dz, c.outputs[0]), y)), 1)};
        })
        .Build();
const OpDef& kPow =
    OpBuilder("pow")
        .Inputs({"x", "y"}, kNumericDTypes)
        .SameDTypes()
        .Outputs({"z"})
        .Traits(kBinaryTraits)
        .Infer(InferBroadcast)
        .Doc("x ** y")
        .Scalar(BinaryScalar<ScalarBinary::kPow>)
        .Gradient([](const GradContext& c) {
          const Tensor& dz = c.output_grads[0];
          const Tensor& x = c.inputs[0];
          const Tensor& y = c.inputs[1];
          Tensor dx = mul(dz, mul(y, pow(x, sub(y, 1))));
          Tensor safe_log = where(greater(x, 0), log(where(greater(x, 0), x, 1)), 0);
          return std::vector<Tensor>{SumToInput(c, dx, 0),
                                     SumToInput(c, mul(dz, mul(c.outputs[0], safe_log)), 1)};
        })
        .Build();
const OpDef& kMaximum = OpBuilder("maximum")
                            .Inputs({"x", "y"}, kNumericDTypes)
                            .SameDTypes()
                            .Outputs({"z"})
                            .Traits(kBinaryTraits | kCommutative)
                            .Infer(InferBroadcast)
                            .Doc("elementwise max (NaN propagates)")
                            .Scalar(BinaryScalar<ScalarBinary::kMax>)
                            .Gradient([](const GradContext& c) {
                              const Tensor& dz = c.output_grads[0];
                              Tensor pick_x = greater_equal(c.inputs[0], c.inputs[1]);
                              return std::vector<Tensor>{SumToInput(c, where(pick_x, dz, 0), 0),
                                                         SumToInput(c, where(pick_x, 0, dz), 1)};
                            })
                            .Build();
const OpDef& kMinimum = OpBuilder("minimum")
                            .Inputs({"x", "y"}, kNumericDTypes)
                            .SameDTypes()
                            .Outputs({"z"})
                            .Traits(kBinaryTraits | kCommutative)
                            .Infer(InferBroadcast)
                            .Doc("elementwise min (NaN propagates)")
                            .Scalar(BinaryScalar<ScalarBinary::kMin>)
                            .Gradient([](const GradContext& c) {
                              const Tensor& dz = c.output_grads[0];
                              Tensor pick_x = less_equal(c.inputs[0], c.inputs[1]);
                              return std::vector<Tensor>{SumToInput(c, where(pick_x, dz, 0), 0),
                                                         SumToInput(c, where(pick_x, 0, dz), 1)};
                            })
                            .Build();
const OpDef& kFloorMod =
    OpBuilder("floor_mod")
        .Inputs({"x", "y"}, kNumericDTypes)
        .SameDTypes()
        .Outputs({"z"})
        .Traits(kBinaryTraits)
        .Infer(InferBroadcast)
        .Doc("x mod y with the divisor's sign")
        .Scalar(FloorModScalar)
        .Gradient([](const GradContext& c) {
          const Tensor& dz = c.output_grads[0];
          return std::vector<Tensor>{
              SumToInput(c, dz, 0),
              SumToInput(c, neg(mul(dz, floor(div(c.inputs[0], c.inputs[1])))), 1)};
        })
        .Build();

}  // namespace

Tensor add(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kAdd, x, y, loc);
}
Tensor sub(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kSub, x, y, loc);
}
Tensor mul(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kMul, x, y, loc);
}
Tensor div(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kDiv, x, y, loc);
}
Tensor pow(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kPow, x, y, loc);
}
Tensor maximum(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kMaximum, x, y, loc);
}
Tensor minimum(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kMinimum, x, y, loc);
}
Tensor floor_mod(const Operand& x, const Operand& y, const Loc& loc) {
  return CallBinary(kFloorMod, x, y, loc);
}

}  // namespace duet
