// CPU kernels of the unary ops (kernels/unary_ops.cc), registered against the ops by name.
#include <algorithm>
#include <cstring>

#include "kernels/cpu/binary_loops.h"
#include "kernels/cpu/unary_loops.h"
#include "kernels/infer_helpers.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

template <cpu::UnaryOp kOp>
absl::Status UnaryKernel(KernelContext& ctx) {
  if (!cpu::Unary(kOp, ctx.inputs[0], ctx.outputs[0]))
    return OpError(ctx.op, "no kernel for ", DTypeName(ctx.inputs[0].dtype()));
  return absl::OkStatus();
}

// identity/stop_gradient share the input's buffer (tensors are immutable, so no copy is
// needed) but return a new handle: the tape tells values apart by handle.
absl::Status AliasKernel(KernelContext& ctx) {
  ctx.outputs[0] = Tensor::View(ctx.inputs[0], ctx.inputs[0].shape());
  return absl::OkStatus();
}

// relu's gradient in one pass (TF's ReluGrad) instead of greater + where: conv and dense
// layers' backward passes run it over every activation. Linear in dy; x gets no gradient.
absl::Status ReluGradKernel(KernelContext& ctx) {
  if (!cpu::Binary(cpu::BinaryOp::kReluGrad, ctx.inputs[0], ctx.inputs[1], ctx.outputs[0]))
    return OpError(ctx.op, "no kernel for ", DTypeName(ctx.inputs[0].dtype()));
  return absl::OkStatus();
}

}  // namespace

DUET_REGISTER_KERNEL("neg", DeviceType::kCPU, kNumericDTypes, UnaryKernel<cpu::UnaryOp::kNeg>);
DUET_REGISTER_KERNEL("abs", DeviceType::kCPU, kNumericDTypes, UnaryKernel<cpu::UnaryOp::kAbs>);
DUET_REGISTER_KERNEL("square", DeviceType::kCPU, kNumericDTypes,
                     UnaryKernel<cpu::UnaryOp::kSquare>);
DUET_REGISTER_KERNEL("relu", DeviceType::kCPU, kNumericDTypes, UnaryKernel<cpu::UnaryOp::kRelu>);
DUET_REGISTER_KERNEL("exp", DeviceType::kCPU, kFloatDTypes, UnaryKernel<cpu::UnaryOp::kExp>);
DUET_REGISTER_KERNEL("log", DeviceType::kCPU, kFloatDTypes, UnaryKernel<cpu::UnaryOp::kLog>);
DUET_REGISTER_KERNEL("log1p", DeviceType::kCPU, kFloatDTypes, UnaryKernel<cpu::UnaryOp::kLog1p>);
DUET_REGISTER_KERNEL("sqrt", DeviceType::kCPU, kFloatDTypes, UnaryKernel<cpu::UnaryOp::kSqrt>);
DUET_REGISTER_KERNEL("rsqrt", DeviceType::kCPU, kFloatDTypes, UnaryKernel<cpu::UnaryOp::kRsqrt>);
DUET_REGISTER_KERNEL("tanh", DeviceType::kCPU, kFloatDTypes, UnaryKernel<cpu::UnaryOp::kTanh>);
DUET_REGISTER_KERNEL("sigmoid", DeviceType::kCPU, kFloatDTypes,
                     UnaryKernel<cpu::UnaryOp::kSigmoid>);
DUET_REGISTER_KERNEL("softplus", DeviceType::kCPU, kFloatDTypes,
                     UnaryKernel<cpu::UnaryOp::kSoftplus>);
DUET_REGISTER_KERNEL("sin", DeviceType::kCPU, kFloatDTypes, UnaryKernel<cpu::UnaryOp::kSin>);
DUET_REGISTER_KERNEL("cos", DeviceType::kCPU, kFloatDTypes, UnaryKernel<cpu::UnaryOp::kCos>);
DUET_REGISTER_KERNEL("relu_grad", DeviceType::kCPU, kNumericDTypes, ReluGradKernel);
DUET_REGISTER_KERNEL("floor", DeviceType::kCPU, kFloatDTypes, UnaryKernel<cpu::UnaryOp::kFloor>);
DUET_REGISTER_KERNEL("identity", DeviceType::kCPU, kAnyDType, AliasKernel);
DUET_REGISTER_KERNEL("stop_gradient", DeviceType::kCPU, kAnyDType, AliasKernel);

}  // namespace duet
