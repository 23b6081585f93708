// GPU kernels of the elementwise ops (kernels/unary_ops.cc, binary_ops.cc, compare_ops.cc,
// cast_ops.cc), registered against the ops by name for DeviceType::kGPU. Each launches the
// device kernels of gpu_elementwise.h on this thread's stream and synchronizes (GpuCall).
// Registered dtypes: the ops' own, plus float16/bfloat16 (computed in float) for the
// arithmetic, comparisons and unary math, should an op accept them.
#include <cstdint>

#include "kernels/cuda/cuda_allocator.h"
#include "kernels/cuda/cuda_copy.h"
#include "kernels/cuda/elementwise_layout.h"
#include "kernels/cuda/gpu_elementwise.h"
#include "kernels/cuda/gpu_kernel_util.h"
#include "kernels/infer_helpers.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace duet::cuda {
namespace {

constexpr DTypeSet kHalves{DType::kFloat16, DType::kBFloat16};
constexpr DTypeSet kNumeric = kNumericDTypes | kHalves;
constexpr DTypeSet kFloats = kFloatDTypes | kHalves;
constexpr DTypeSet kComparable = kNumericDTypes | kBoolDType | kHalves;

template <UnaryOp kOp>
absl::Status UnaryKernel(KernelContext& ctx) {
  GpuCall call(ctx);
  RETURN_IF_ERROR(call.status());
  const Tensor& x = ctx.inputs[0];
  Tensor& y = ctx.outputs[0];
  if (y.num_elements() == 0) return absl::OkStatus();
  RETURN_IF_ERROR(call.Launched(LaunchUnary(kOp, ElemOf(x), x.raw_data(), y.mutable_raw_data(),
                                            ContiguousLayout(x.num_elements()), call.stream())));
  return call.Finish();
}

// As the CPU kernel (kernels/cpu/binary_kernels.cc): integer division by zero and negative
// integer exponents are errors, checked on the device before the op runs.
absl::Status CheckIntegerDivisor(const KernelContext& ctx, const GpuCall& call, bool is_pow) {
  const Tensor& y = ctx.inputs[1];
  if (!IsInteger(y.dtype()) || y.num_elements() == 0) return absl::OkStatus();
  ScratchBuffer flag(call.device(), sizeof(int));
  if (!flag.ok()) return call.Wrap(absl::ResourceExhaustedError("out of GPU memory"));
  int* device_flag = static_cast<int*>(flag.get());
  RETURN_IF_ERROR(call.Zero(device_flag, sizeof(int)));
  RETURN_IF_ERROR(call.Launched(LaunchFindBadDivisor(ElemOf(y), y.raw_data(), y.num_elements(),
                                                     is_pow, device_flag, call.stream())));
  int found = 0;  // the copy runs on the same stream, after the check
  RETURN_IF_ERROR(call.Wrap(CopyDeviceToHost(call.device(), &found, device_flag, sizeof(int))));
  if (!found) return absl::OkStatus();
  if (is_pow) return OpError(ctx.op, "integers to negative integer powers are not allowed");
  return OpError(ctx.op, "integer division by zero (divisor ", y.spec().to_string(), ")");
}

template <BinaryOp kOp, bool kChecksDivisor = false, bool kIsPow = false>
absl::Status BinaryKernel(KernelContext& ctx) {
  GpuCall call(ctx);
  RETURN_IF_ERROR(call.status());
  if constexpr (kChecksDivisor) RETURN_IF_ERROR(CheckIntegerDivisor(ctx, call, kIsPow));
  const Tensor& a = ctx.inputs[0];
  const Tensor& b = ctx.inputs[1];
  Tensor& out = ctx.outputs[0];
  if (out.num_elements() == 0) return absl::OkStatus();
  ASSIGN_OR_RETURN(StridedLayout l,
                   call.Wrap(BroadcastLayout(out.shape(), {&a.shape(), &b.shape()})));
  RETURN_IF_ERROR(call.Launched(LaunchBinary(kOp, ElemOf(a), a.raw_data(), b.raw_data(),
                                             out.mutable_raw_data(), l, call.stream())));
  return call.Finish();
}

absl::Status WhereKernel(KernelContext& ctx) {
  GpuCall call(ctx);
  RETURN_IF_ERROR(call.status());
  const Tensor& c = ctx.inputs[0];
  const Tensor& x = ctx.inputs[1];
  const Tensor& y = ctx.inputs[2];
  Tensor& out = ctx.outputs[0];
  if (out.num_elements() == 0) return absl::OkStatus();
  ASSIGN_OR_RETURN(StridedLayout l,
                   call.Wrap(BroadcastLayout(out.shape(), {&c.shape(), &x.shape(), &y.shape()})));
  RETURN_IF_ERROR(
      call.Launched(LaunchWhere(static_cast<int>(SizeOf(x.dtype())), c.data<bool>(), x.raw_data(),
                                y.raw_data(), out.mutable_raw_data(), l, call.stream())));
  return call.Finish();
}

// Makes its output (KernelAllocatesOutputs): a same-dtype cast shares the input's buffer.
absl::Status CastKernel(KernelContext& ctx) {
  GpuCall call(ctx);
  RETURN_IF_ERROR(call.status());
  const Tensor& x = ctx.inputs[0];
  const DType to = ctx.output_specs[0].dtype;
  if (to == x.dtype()) {
    ctx.outputs[0] = Tensor::View(x, x.shape());
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(Tensor out, Tensor::TryEmpty(ctx.output_specs[0], x.device()));
  RETURN_IF_ERROR(
      call.Launched(LaunchCast(ElemOf(x), ElemOf(to), x.raw_data(), out.mutable_raw_data(),
                               x.num_elements(), call.stream())));
  RETURN_IF_ERROR(call.Finish());
  ctx.outputs[0] = std::move(out);
  return absl::OkStatus();
}

constexpr DeviceType kGPU = DeviceType::kGPU;

}  // namespace

DUET_REGISTER_KERNEL("neg", kGPU, kNumeric, UnaryKernel<UnaryOp::kNeg>);
DUET_REGISTER_KERNEL("abs", kGPU, kNumeric, UnaryKernel<UnaryOp::kAbs>);
DUET_REGISTER_KERNEL("square", kGPU, kNumeric, UnaryKernel<UnaryOp::kSquare>);
DUET_REGISTER_KERNEL("relu", kGPU, kNumeric, UnaryKernel<UnaryOp::kRelu>);
DUET_REGISTER_KERNEL("exp", kGPU, kFloats, UnaryKernel<UnaryOp::kExp>);
DUET_REGISTER_KERNEL("log", kGPU, kFloats, UnaryKernel<UnaryOp::kLog>);
DUET_REGISTER_KERNEL("log1p", kGPU, kFloats, UnaryKernel<UnaryOp::kLog1p>);
DUET_REGISTER_KERNEL("sqrt", kGPU, kFloats, UnaryKernel<UnaryOp::kSqrt>);
DUET_REGISTER_KERNEL("rsqrt", kGPU, kFloats, UnaryKernel<UnaryOp::kRsqrt>);
DUET_REGISTER_KERNEL("tanh", kGPU, kFloats, UnaryKernel<UnaryOp::kTanh>);
DUET_REGISTER_KERNEL("sigmoid", kGPU, kFloats, UnaryKernel<UnaryOp::kSigmoid>);
DUET_REGISTER_KERNEL("softplus", kGPU, kFloats, UnaryKernel<UnaryOp::kSoftplus>);
DUET_REGISTER_KERNEL("sin", kGPU, kFloats, UnaryKernel<UnaryOp::kSin>);
DUET_REGISTER_KERNEL("cos", kGPU, kFloats, UnaryKernel<UnaryOp::kCos>);
DUET_REGISTER_KERNEL("floor", kGPU, kFloats, UnaryKernel<UnaryOp::kFloor>);
DUET_REGISTER_KERNEL("logical_not", kGPU, kBoolDType, UnaryKernel<UnaryOp::kLogicalNot>);

DUET_REGISTER_KERNEL("add", kGPU, kNumeric, BinaryKernel<BinaryOp::kAdd>);
DUET_REGISTER_KERNEL("sub", kGPU, kNumeric, BinaryKernel<BinaryOp::kSub>);
DUET_REGISTER_KERNEL("mul", kGPU, kNumeric, BinaryKernel<BinaryOp::kMul>);
DUET_REGISTER_KERNEL("div", kGPU, kNumeric, (BinaryKernel<BinaryOp::kDiv, true>));
DUET_REGISTER_KERNEL("pow", kGPU, kNumeric, (BinaryKernel<BinaryOp::kPow, true, true>));
DUET_REGISTER_KERNEL("maximum", kGPU, kNumeric, BinaryKernel<BinaryOp::kMaximum>);
DUET_REGISTER_KERNEL("minimum", kGPU, kNumeric, BinaryKernel<BinaryOp::kMinimum>);
DUET_REGISTER_KERNEL("floor_mod", kGPU, kNumeric, (BinaryKernel<BinaryOp::kFloorMod, true>));
DUET_REGISTER_KERNEL("relu_grad", kGPU, kNumeric, BinaryKernel<BinaryOp::kReluGrad>);

DUET_REGISTER_KERNEL("equal", kGPU, kComparable, BinaryKernel<BinaryOp::kEqual>);
DUET_REGISTER_KERNEL("not_equal", kGPU, kComparable, BinaryKernel<BinaryOp::kNotEqual>);
DUET_REGISTER_KERNEL("less", kGPU, kComparable, BinaryKernel<BinaryOp::kLess>);
DUET_REGISTER_KERNEL("less_equal", kGPU, kComparable, BinaryKernel<BinaryOp::kLessEqual>);
DUET_REGISTER_KERNEL("greater", kGPU, kComparable, BinaryKernel<BinaryOp::kGreater>);
DUET_REGISTER_KERNEL("greater_equal", kGPU, kComparable, BinaryKernel<BinaryOp::kGreaterEqual>);
DUET_REGISTER_KERNEL("logical_and", kGPU, kBoolDType, BinaryKernel<BinaryOp::kLogicalAnd>);
DUET_REGISTER_KERNEL("logical_or", kGPU, kBoolDType, BinaryKernel<BinaryOp::kLogicalOr>);

DUET_REGISTER_KERNEL("where", kGPU, kAnyDType, WhereKernel);
DUET_REGISTER_KERNEL("cast", kGPU, kAnyDType, CastKernel);

}  // namespace duet::cuda
