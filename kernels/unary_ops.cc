// Registrations and CPU kernels of the elementwise unary ops.
#include "kernels/unary_ops.h"

#include "kernels/binary_ops.h"
#include "kernels/compare_ops.h"
#include "kernels/cpu/binary_loops.h"
#include "kernels/cpu/unary_loops.h"
#include "kernels/grad_helpers.h"
#include "kernels/infer_helpers.h"
#include "kernels/op_call.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

constexpr auto kNumeric = {DType::kFloat32, DType::kFloat64, DType::kInt32, DType::kInt64};
constexpr auto kFloats = {DType::kFloat32, DType::kFloat64};

template <cpu::UnaryOp kOp>
absl::Status UnaryKernel(KernelContext& ctx) {
  if (!cpu::Unary(kOp, ctx.inputs[0], ctx.outputs[0]))
    return OpError(ctx.op, "no kernel for ", DTypeName(ctx.inputs[0].dtype()));
  return absl::OkStatus();
}

absl::StatusOr<SpecList> InferNumeric(const InferContext& ctx) {
  if (absl::Status s = CheckDType(ctx, 0, kNumeric); !s.ok()) return s;
  return SpecList{ctx.input(0)};
}

// identity/stop_gradient share the input's buffer (tensors are immutable, so no copy is
// needed) but return a new handle: the tape tells values apart by handle.
absl::Status AliasKernel(KernelContext& ctx) {
  ctx.outputs[0] = Tensor::View(ctx.inputs[0], ctx.inputs[0].shape());
  return absl::OkStatus();
}

// Gradient rules: x = input, y = output, dy = incoming gradient.
#define DUET_UNARY(var, name, op, infer, dtypes, rule)                      \
  const OpDef& var = OpBuilder(name)                                        \
                         .Inputs({"x"})                                     \
                         .Outputs({"y"})                                    \
                         .Traits(kElementwise)                              \
                         .Infer(infer)                                      \
                         .Kernel(DeviceType::kCPU, dtypes, UnaryKernel<op>) \
                         .Gradient([](const GradContext& c) {               \
                           [[maybe_unused]] const Tensor& x = c.inputs[0];  \
                           [[maybe_unused]] const Tensor& y = c.outputs[0]; \
                           const Tensor& dy = c.output_grads[0];            \
                           return std::vector<Tensor>{rule};                \
                         })                                                 \
                         .Build()

DUET_UNARY(kNeg, "neg", cpu::UnaryOp::kNeg, InferNumeric, kNumeric, neg(dy));
DUET_UNARY(kAbs, "abs", cpu::UnaryOp::kAbs, InferNumeric, kNumeric,
           where(greater(x, 0), dy, where(less(x, 0), neg(dy), 0)));
DUET_UNARY(kSquare, "square", cpu::UnaryOp::kSquare, InferNumeric, kNumeric, mul(dy, mul(x, 2)));
DUET_UNARY(kRelu, "relu", cpu::UnaryOp::kRelu, InferNumeric, kNumeric, relu_grad(dy, x));
DUET_UNARY(kExp, "exp", cpu::UnaryOp::kExp, InferFloatSameAsInput, kFloats, mul(dy, y));
DUET_UNARY(kLog, "log", cpu::UnaryOp::kLog, InferFloatSameAsInput, kFloats, div(dy, x));
DUET_UNARY(kLog1p, "log1p", cpu::UnaryOp::kLog1p, InferFloatSameAsInput, kFloats,
           div(dy, add(x, 1)));
DUET_UNARY(kSqrt, "sqrt", cpu::UnaryOp::kSqrt, InferFloatSameAsInput, kFloats,
           div(mul(dy, 0.5), y));
DUET_UNARY(kRsqrt, "rsqrt", cpu::UnaryOp::kRsqrt, InferFloatSameAsInput, kFloats,
           mul(dy, mul(-0.5, mul(y, mul(y, y)))));
DUET_UNARY(kTanh, "tanh", cpu::UnaryOp::kTanh, InferFloatSameAsInput, kFloats,
           mul(dy, sub(1, mul(y, y))));
DUET_UNARY(kSigmoid, "sigmoid", cpu::UnaryOp::kSigmoid, InferFloatSameAsInput, kFloats,
           mul(dy, mul(y, sub(1, y))));
DUET_UNARY(kSoftplus, "softplus", cpu::UnaryOp::kSoftplus, InferFloatSameAsInput, kFloats,
           mul(dy, sigmoid(x)));
DUET_UNARY(kSin, "sin", cpu::UnaryOp::kSin, InferFloatSameAsInput, kFloats, mul(dy, cos(x)));
DUET_UNARY(kCos, "cos", cpu::UnaryOp::kCos, InferFloatSameAsInput, kFloats, neg(mul(dy, sin(x))));
#undef DUET_UNARY

// relu's gradient in one pass (TF's ReluGrad) instead of greater + where: conv and dense
// layers' backward passes run it over every activation. Linear in dy; x gets no gradient.
absl::Status ReluGradKernel(KernelContext& ctx) {
  if (!cpu::Binary(cpu::BinaryOp::kReluGrad, ctx.inputs[0], ctx.inputs[1], ctx.outputs[0]))
    return OpError(ctx.op, "no kernel for ", DTypeName(ctx.inputs[0].dtype()));
  return absl::OkStatus();
}
const OpDef& kReluGrad =
    OpBuilder("relu_grad")
        .Inputs({"dy", "x"})
        .Outputs({"dx"})
        .Traits(kElementwise | kBroadcasting)
        .Infer(InferBroadcast)
        .Kernel(DeviceType::kCPU, kNumeric, ReluGradKernel)
        .Gradient([](const GradContext& c) {
          return std::vector<Tensor>{SumToInput(c, relu_grad(c.output_grads[0], c.inputs[1]), 0),
                                     Tensor()};
        })
        .Doc("dy where x > 0, else 0 (the gradient of relu at x)")
        .Build();

const OpDef& kFloor = OpBuilder("floor")
                          .Inputs({"x"})
                          .Outputs({"y"})
                          .Traits(kElementwise)
                          .Infer(InferFloatSameAsInput)
                          .Kernel(DeviceType::kCPU, kFloats, UnaryKernel<cpu::UnaryOp::kFloor>)
                          .NotDifferentiable()
                          .Doc("gradient is zero almost everywhere: none")
                          .Build();

constexpr auto kAllDTypes = {DType::kFloat32, DType::kFloat64, DType::kInt32,   DType::kInt64,
                             DType::kBool,    DType::kFloat16, DType::kBFloat16};
const OpDef& kIdentity =
    OpBuilder("identity")
        .Inputs({"x"})
        .Outputs({"y"})
        .Traits(kElementwise | kShapeOnly)
        .Infer(InferSameAsInput)
        .KernelAllocatesOutputs()
        .Kernel(DeviceType::kCPU, kAllDTypes, AliasKernel)
        .Gradient([](const GradContext& c) { return std::vector<Tensor>{c.output_grads[0]}; })
        .Build();
const OpDef& kStopGradient = OpBuilder("stop_gradient")
                                 .Inputs({"x"})
                                 .Outputs({"y"})
                                 .Traits(kElementwise | kShapeOnly)
                                 .Infer(InferSameAsInput)
                                 .KernelAllocatesOutputs()
                                 .Kernel(DeviceType::kCPU, kAllDTypes, AliasKernel)
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
