// Op definitions (CPU kernels: kernels/cpu/unary_kernels.cc) of the elementwise unary ops.
#include "kernels/unary_ops.h"

#include "kernels/binary_ops.h"
#include "kernels/compare_ops.h"
#include "kernels/grad_helpers.h"
#include "kernels/infer_helpers.h"
#include "kernels/op_call.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

constexpr DTypeSet kNumeric = kNumericDTypes;
constexpr DTypeSet kFloats = kFloatDTypes;

// Scalar meanings (runtime/scalar_facet.h) that are more than one primitive, written as the
// CPU kernels compute them (kernels/cpu/vmath.cc), so generated code takes the same branches.
ScalarValue Zero(ScalarBuilder& b, ScalarValue x) { return b.Like(0, x); }
ScalarValue Un(ScalarBuilder& b, ScalarUnary fn, ScalarValue x) { return b.Unary(fn, x); }
ScalarValue ExpMinusAbs(ScalarBuilder& b, ScalarValue x) {  // never overflows
  return Un(b, ScalarUnary::kExp, Un(b, ScalarUnary::kNeg, Un(b, ScalarUnary::kAbs, x)));
}
ScalarValue Sigmoid(ScalarBuilder& b, ScalarValue x) {
  ScalarValue e = ExpMinusAbs(b, x);
  ScalarValue r = Un(b, ScalarUnary::kReciprocal, b.Add(b.Like(1, x), e));  // 1 + e in [1, 2]
  return b.Select(b.Compare(ScalarCompare::kGe, x, Zero(b, x)), r, b.Mul(e, r));
}
ScalarValue Softplus(ScalarBuilder& b, ScalarValue x) {
  return b.Add(b.Binary(ScalarBinary::kMax, x, Zero(b, x)),
               Un(b, ScalarUnary::kLog1p, ExpMinusAbs(b, x)));
}
ScalarValue Relu(ScalarBuilder& b, ScalarValue x) {  // NaN -> 0, as x > 0 ? x : 0
  return b.Select(b.Compare(ScalarCompare::kGt, x, Zero(b, x)), x, Zero(b, x));
}

// Gradient rules: x = input, y = output, dy = incoming gradient. `scalar` builds the value with
// builder `b` from the input's value `v`.
#define DUET_UNARY(var, name, infer, dtypes, rule, scalar)                  \
  const OpDef& var = OpBuilder(name)                                        \
                         .Inputs({"x"}, dtypes)                             \
                         .Outputs({"y"})                                    \
                         .Traits(kElementwise)                              \
                         .Infer(infer)                                      \
                         .Gradient([](const GradContext& c) {               \
                           [[maybe_unused]] const Tensor& x = c.inputs[0];  \
                           [[maybe_unused]] const Tensor& y = c.outputs[0]; \
                           const Tensor& dy = c.output_grads[0];            \
                           return std::vector<Tensor>{rule};                \
                         })                                                 \
                         .Scalar([](const ScalarContext& c) {               \
                           ScalarBuilder& b = c.b;                          \
                           const ScalarValue v = c.in(0);                   \
                           return ScalarList{scalar};                       \
                         })                                                 \
                         .Build()
#define DUET_PRIMITIVE(fn) b.Unary(ScalarUnary::fn, v)

DUET_UNARY(kNeg, "neg", InferSameAsInput, kNumeric, neg(dy), DUET_PRIMITIVE(kNeg));
DUET_UNARY(kAbs, "abs", InferSameAsInput, kNumeric,
           where(greater(x, 0), dy, where(less(x, 0), neg(dy), 0)), DUET_PRIMITIVE(kAbs));
DUET_UNARY(kSquare, "square", InferSameAsInput, kNumeric, mul(dy, mul(x, 2)), b.Mul(v, v));
// relu_grad reads y, not x (y > 0 exactly where x > 0): the pre-activation then has no use in
// the backward, and matmul + bias + relu fuse in training graphs too (fuse-epilogue).
DUET_UNARY(kRelu, "relu", InferSameAsInput, kNumeric, relu_grad(dy, y), Relu(b, v));
DUET_UNARY(kExp, "exp", InferSameAsInput, kFloats, mul(dy, y), DUET_PRIMITIVE(kExp));
DUET_UNARY(kLog, "log", InferSameAsInput, kFloats, div(dy, x), DUET_PRIMITIVE(kLog));
DUET_UNARY(kLog1p, "log1p", InferSameAsInput, kFloats, div(dy, add(x, 1)), DUET_PRIMITIVE(kLog1p));
DUET_UNARY(kSqrt, "sqrt", InferSameAsInput, kFloats, div(mul(dy, 0.5), y), DUET_PRIMITIVE(kSqrt));
DUET_UNARY(kRsqrt, "rsqrt", InferSameAsInput, kFloats, mul(dy, mul(-0.5, mul(y, mul(y, y)))),
           DUET_PRIMITIVE(kRsqrt));
DUET_UNARY(kTanh, "tanh", InferSameAsInput, kFloats, mul(dy, sub(1, mul(y, y))),
           DUET_PRIMITIVE(kTanh));
DUET_UNARY(kSigmoid, "sigmoid", InferSameAsInput, kFloats, mul(dy, mul(y, sub(1, y))),
           Sigmoid(b, v));
DUET_UNARY(kSoftplus, "softplus", InferSameAsInput, kFloats, mul(dy, sigmoid(x)), Softplus(b, v));
DUET_UNARY(kSin, "sin", InferSameAsInput, kFloats, mul(dy, cos(x)), DUET_PRIMITIVE(kSin));
DUET_UNARY(kCos, "cos", InferSameAsInput, kFloats, neg(mul(dy, sin(x))), DUET_PRIMITIVE(kCos));
#undef DUET_PRIMITIVE
#undef DUET_UNARY

ScalarList PassThrough(const ScalarContext& c) { return ScalarList{c.in(0)}; }

const OpDef& kReluGrad =
    OpBuilder("relu_grad")
        .Inputs({"dy", "x"}, kNumericDTypes)
        .SameDTypes()
        .Outputs({"dx"})
        .Traits(kElementwise | kBroadcasting)
        .Infer(InferBroadcast)
        .Gradient([](const GradContext& c) {
          return std::vector<Tensor>{SumToInput(c, relu_grad(c.output_grads[0], c.inputs[1]), 0),
                                     Tensor()};
        })
        .Scalar([](const ScalarContext& c) {
          ScalarValue dy = c.in(0), x = c.in(1);
          return ScalarList{
              c.b.Select(c.b.Compare(ScalarCompare::kGt, x, Zero(c.b, x)), dy, Zero(c.b, dy))};
        })
        .Doc("dy where x > 0, else 0 (the gradient of relu at x)")
        .Build();

const OpDef& kFloor = OpBuilder("floor")
                          .Inputs({"x"}, kFloats)
                          .Outputs({"y"})
                          .Traits(kElementwise)
                          .Infer(InferSameAsInput)
                          .NotDifferentiable()
                          .Scalar([](const ScalarContext& c) {
                            return ScalarList{c.b.Unary(ScalarUnary::kFloor, c.in(0))};
                          })
                          .Doc("gradient is zero almost everywhere: none")
                          .Build();

const OpDef& kIdentity =
    OpBuilder("identity")
        .Inputs({"x"})
        .Outputs({"y"})
        .Traits(kElementwise | kShapeOnly)
        .Infer(InferSameAsInput)
        .KernelAllocatesOutputs()
        .Gradient([](const GradContext& c) { return std::vector<Tensor>{c.output_grads[0]}; })
        .Scalar(PassThrough)
        .Build();
const OpDef& kStopGradient = OpBuilder("stop_gradient")
                                 .Inputs({"x"})
                                 .Outputs({"y"})
                                 .Traits(kElementwise | kShapeOnly)
                                 .Infer(InferSameAsInput)
                                 .KernelAllocatesOutputs()
                                 .NotDifferentiable()
                                 .Scalar(PassThrough)
                                 .Doc("identity that blocks gradients")
                                 .Build();

}  // namespace

Tensor neg(const Operand& x, const Loc& loc) { return CallUnary(kNeg, x, loc); }
Tensor abs(const Operand& x, const Loc& loc) { return CallUnary(kAbs, x, loc); }
Tensor square(const Operand& x, const Loc& loc) { return CallUnary(kSquare, x, loc); }
Tensor relu(const Operand& x, const Loc& loc) { return CallUnary(kRelu, x, loc); }
Tensor relu_grad(const Operand& dy, const Operand& x, const Loc& loc) {
  return CallBinary(kReluGrad, dy, x, loc);
}
Tensor exp(const Operand& x, const Loc& loc) { return CallUnary(kExp, x, loc); }
Tensor log(const Operand& x, const Loc& loc) { return CallUnary(kLog, x, loc); }
Tensor log1p(const Operand& x, const Loc& loc) { return CallUnary(kLog1p, x, loc); }
Tensor sqrt(const Operand& x, const Loc& loc) { return CallUnary(kSqrt, x, loc); }
Tensor rsqrt(const Operand& x, const Loc& loc) { return CallUnary(kRsqrt, x, loc); }
Tensor tanh(const Operand& x, const Loc& loc) { return CallUnary(kTanh, x, loc); }
Tensor sigmoid(const Operand& x, const Loc& loc) { return CallUnary(kSigmoid, x, loc); }
Tensor softplus(const Operand& x, const Loc& loc) { return CallUnary(kSoftplus, x, loc); }
Tensor sin(const Operand& x, const Loc& loc) { return CallUnary(kSin, x, loc); }
Tensor cos(const Operand& x, const Loc& loc) { return CallUnary(kCos, x, loc); }
Tensor floor(const Operand& x, const Loc& loc) { return CallUnary(kFloor, x, loc); }
Tensor identity(const Tensor& x, const Loc& loc) { return Call(kIdentity, {x}, {}, loc); }
Tensor stop_gradient(const Tensor& x, const Loc& loc) { return Call(kStopGradient, {x}, {}, loc); }

}  // namespace duet
