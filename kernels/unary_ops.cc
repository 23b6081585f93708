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

// Gradient rules: x = input, y = output, dy = incoming gradient.
#define DUET_UNARY(var, name, infer, dtypes, rule)                          \
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
                         .Build()

DUET_UNARY(kNeg, "neg", InferSameAsInput, kNumeric, neg(dy));
DUET_UNARY(kAbs, "abs", InferSameAsInput, kNumeric,
           where(greater(x, 0), dy, where(less(x, 0), neg(dy), 0)));
DUET_UNARY(kSquare, "square", InferSameAsInput, kNumeric, mul(dy, mul(x, 2)));
DUET_UNARY(kRelu, "relu", InferSameAsInput, kNumeric, relu_grad(dy, x));
DUET_UNARY(kExp, "exp", InferSameAsInput, kFloats, mul(dy, y));
DUET_UNARY(kLog, "log", InferSameAsInput, kFloats, div(dy, x));
DUET_UNARY(kLog1p, "log1p", InferSameAsInput, kFloats, div(dy, add(x, 1)));
DUET_UNARY(kSqrt, "sqrt", InferSameAsInput, kFloats, div(mul(dy, 0.5), y));
DUET_UNARY(kRsqrt, "rsqrt", InferSameAsInput, kFloats, mul(dy, mul(-0.5, mul(y, mul(y, y)))));
DUET_UNARY(kTanh, "tanh", InferSameAsInput, kFloats, mul(dy, sub(1, mul(y, y))));
DUET_UNARY(kSigmoid, "sigmoid", InferSameAsInput, kFloats, mul(dy, mul(y, sub(1, y))));
DUET_UNARY(kSoftplus, "softplus", InferSameAsInput, kFloats, mul(dy, sigmoid(x)));
DUET_UNARY(kSin, "sin", InferSameAsInput, kFloats, mul(dy, cos(x)));
DUET_UNARY(kCos, "cos", InferSameAsInput, kFloats, neg(mul(dy, sin(x))));
#undef DUET_UNARY

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
        .Doc("dy where x > 0, else 0 (the gradient of relu at x)")
        .Build();

const OpDef& kFloor = OpBuilder("floor")
                          .Inputs({"x"}, kFloats)
                          .Outputs({"y"})
                          .Traits(kElementwise)
                          .Infer(InferSameAsInput)
                          .NotDifferentiable()
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
        .Build();
const OpDef& kStopGradient = OpBuilder("stop_gradient")
                                 .Inputs({"x"})
                                 .Outputs({"y"})
                                 .Traits(kElementwise | kShapeOnly)
                                 .Infer(InferSameAsInput)
                                 .KernelAllocatesOutputs()
                                 .NotDifferentiable()
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
