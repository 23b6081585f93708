// CPU kernels of the binary ops (kernels/binary_ops.cc), registered against the ops by name.
#include "absl/strings/str_cat.h"
#include "kernels/cpu/binary_loops.h"
#include "kernels/infer_helpers.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

// Integer ops that would trap (division by zero) or are undefined (negative powers) are
// rejected before the loop, so a bad value is an Error, never a crash.
template <class T>
absl::Status CheckIntegerDivisor(const KernelContext& ctx, bool is_pow) {
  const Tensor& y = ctx.inputs[1];
  const T* p = y.data<T>();
  for (int64_t i = 0, n = y.num_elements(); i < n; ++i) {
    if (!is_pow && p[i] == 0)
      return OpError(ctx.op, "integer division by zero (divisor ", y.spec().to_string(), ")");
    if (is_pow && p[i] < 0)
      return OpError(ctx.op, "integers to negative integer powers are not allowed");
  }
  return absl::OkStatus();
}

template <cpu::BinaryOp kOp, bool kChecksDivisor = false, bool kIsPow = false>
absl::Status BinaryKernel(KernelContext& ctx) {
  if constexpr (kChecksDivisor) {
    absl::Status s = absl::OkStatus();
    if (ctx.inputs[0].dtype() == DType::kInt32) s = CheckIntegerDivisor<int32_t>(ctx, kIsPow);
    if (ctx.inputs[0].dtype() == DType::kInt64) s = CheckIntegerDivisor<int64_t>(ctx, kIsPow);
    if (!s.ok()) return s;
  }
  if (!cpu::Binary(kOp, ctx.inputs[0], ctx.inputs[1], ctx.outputs[0]))
    return absl::UnimplementedError(
        absl::StrCat("[", ctx.op.name, "] no kernel for ", DTypeName(ctx.inputs[0].dtype())));
  return absl::OkStatus();
}

}  // namespace

DUET_REGISTER_KERNEL("add", DeviceType::kCPU, kNumericDTypes, BinaryKernel<cpu::BinaryOp::kAdd>);
DUET_REGISTER_KERNEL("sub", DeviceType::kCPU, kNumericDTypes, BinaryKernel<cpu::BinaryOp::kSub>);
DUET_REGISTER_KERNEL("mul", DeviceType::kCPU, kNumericDTypes, BinaryKernel<cpu::BinaryOp::kMul>);
DUET_REGISTER_KERNEL("div", DeviceType::kCPU, kNumericDTypes,
                     (BinaryKernel<cpu::BinaryOp::kDiv, true>));
DUET_REGISTER_KERNEL("pow", DeviceType::kCPU, kNumericDTypes,
                     (BinaryKernel<cpu::BinaryOp::kPow, true, true>));
DUET_REGISTER_KERNEL("maximum", DeviceType::kCPU, kNumericDTypes,
                     BinaryKernel<cpu::BinaryOp::kMaximum>);
DUET_REGISTER_KERNEL("minimum", DeviceType::kCPU, kNumericDTypes,
                     BinaryKernel<cpu::BinaryOp::kMinimum>);
DUET_REGISTER_KERNEL("floor_mod", DeviceType::kCPU, kNumericDTypes,
                     (BinaryKernel<cpu::BinaryOp::kFloorMod, true>));

}  // namespace duet
