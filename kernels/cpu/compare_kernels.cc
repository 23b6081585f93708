// CPU kernels of the compare ops (kernels/compare_ops.cc), registered against the ops by name.
#include <algorithm>
#include <cstring>

#include "kernels/cpu/binary_loops.h"
#include "kernels/cpu/select_loops.h"
#include "kernels/cpu/unary_loops.h"
#include "kernels/infer_helpers.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

constexpr DTypeSet kComparable = kNumericDTypes | kBoolDType;

template <cpu::BinaryOp kOp>
absl::Status BinaryLoopKernel(KernelContext& ctx) {
  if (!cpu::Binary(kOp, ctx.inputs[0], ctx.inputs[1], ctx.outputs[0]))
    return OpError(ctx.op, "no kernel for ", DTypeName(ctx.inputs[0].dtype()));
  return absl::OkStatus();
}

absl::Status NotKernel(KernelContext& ctx) {
  if (!cpu::Unary(cpu::UnaryOp::kLogicalNot, ctx.inputs[0], ctx.outputs[0]))
    return OpError(ctx.op, "no kernel for ", DTypeName(ctx.inputs[0].dtype()));
  return absl::OkStatus();
}

absl::Status WhereKernel(KernelContext& ctx) {
  cpu::Where(ctx.inputs[0], ctx.inputs[1], ctx.inputs[2], ctx.outputs[0]);
  return absl::OkStatus();
}

}  // namespace

DUET_REGISTER_KERNEL("equal", DeviceType::kCPU, kComparable,
                     BinaryLoopKernel<cpu::BinaryOp::kEqual>);
DUET_REGISTER_KERNEL("not_equal", DeviceType::kCPU, kComparable,
                     BinaryLoopKernel<cpu::BinaryOp::kNotEqual>);
DUET_REGISTER_KERNEL("less", DeviceType::kCPU, kComparable, BinaryLoopKernel<cpu::BinaryOp::kLess>);
DUET_REGISTER_KERNEL("less_equal", DeviceType::kCPU, kComparable,
                     BinaryLoopKernel<cpu::BinaryOp::kLessEqual>);
DUET_REGISTER_KERNEL("greater", DeviceType::kCPU, kComparable,
                     BinaryLoopKernel<cpu::BinaryOp::kGreater>);
DUET_REGISTER_KERNEL("greater_equal", DeviceType::kCPU, kComparable,
                     BinaryLoopKernel<cpu::BinaryOp::kGreaterEqual>);
DUET_REGISTER_KERNEL("logical_and", DeviceType::kCPU, kBoolDType,
                     BinaryLoopKernel<cpu::BinaryOp::kLogicalAnd>);
DUET_REGISTER_KERNEL("logical_or", DeviceType::kCPU, kBoolDType,
                     BinaryLoopKernel<cpu::BinaryOp::kLogicalOr>);
DUET_REGISTER_KERNEL("logical_not", DeviceType::kCPU, kBoolDType, NotKernel);
DUET_REGISTER_KERNEL("where", DeviceType::kCPU, kAnyDType, WhereKernel);

}  // namespace duet
