// GPU kernels of the reduce ops (kernels/reduce_ops.cc): reduce_sum/mean/max/min over the
// `axes` attribute (all when empty; keepdims only changes the output's shape, which inference
// made) and argmax over `axis`, with the CPU kernels' validation (kernels/cpu/reduce_kernels.cc)
// and the device kernels of gpu_reduce.h.
#include <cstdint>
#include <vector>

#include "kernels/cuda/elementwise_layout.h"
#include "kernels/cuda/gpu_kernel_util.h"
#include "kernels/cuda/gpu_reduce.h"
#include "kernels/infer_helpers.h"
#include "kernels/reduce_axes.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace duet::cuda {
namespace {

template <ReduceKind kKind, cpu::ReduceKind kCpuKind>
absl::Status ReduceKernel(KernelContext& ctx) {
  GpuCall call(ctx);
  RETURN_IF_ERROR(call.status());
  const Tensor& x = ctx.inputs[0];
  Tensor& out = ctx.outputs[0];
  ASSIGN_OR_RETURN(std::vector<bool> mask, ReducedMask(ctx.op, x.shape(), ctx.attr<Ints>("axes")));
  if (!IsNumeric(x.dtype())) return OpError(ctx.op, "no kernel for ", DTypeName(x.dtype()));
  ASSIGN_OR_RETURN(ReduceLayout l, call.Wrap(MakeReduceLayout(x.shape(), mask)));
  if (l.count == 0 && out.num_elements() > 0 && NeedsElements(kCpuKind, x.dtype()))
    return OpError(ctx.op, "empty reduction over shape ", x.shape().to_string());
  if (out.num_elements() == 0) return absl::OkStatus();
  RETURN_IF_ERROR(call.Launched(
      LaunchReduce(kKind, ElemOf(x), x.raw_data(), out.mutable_raw_data(), l, call.stream())));
  return call.Finish();
}

absl::Status ArgMaxKernel(KernelContext& ctx) {
  GpuCall call(ctx);
  RETURN_IF_ERROR(call.status());
  const Tensor& x = ctx.inputs[0];
  Tensor& out = ctx.outputs[0];
  ASSIGN_OR_RETURN(int axis, NormalizeAxis(ctx.op, ctx.attr<int64_t>("axis"), x.rank(), x.shape()));
  if (!IsNumeric(x.dtype())) return OpError(ctx.op, "no kernel for ", DTypeName(x.dtype()));
  const Shape& s = x.shape();
  if (s[axis] == 0 && out.num_elements() > 0)
    return OpError(ctx.op, "argmax over an empty axis of shape ", s.to_string());
  if (out.num_elements() == 0) return absl::OkStatus();
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= s[d];
  for (int d = axis + 1; d < s.rank(); ++d) inner *= s[d];
  RETURN_IF_ERROR(call.Launched(LaunchArgReduce(ElemOf(x), /*arg_min=*/false, x.raw_data(),
                                                out.mutable_data<int64_t>(), outer, s[axis], inner,
                                                call.stream())));
  return call.Finish();
}

constexpr DeviceType kGPU = DeviceType::kGPU;

}  // namespace

DUET_REGISTER_KERNEL("reduce_sum", kGPU, kNumericDTypes,
                     (ReduceKernel<ReduceKind::kSum, cpu::ReduceKind::kSum>));
DUET_REGISTER_KERNEL("reduce_mean", kGPU, kNumericDTypes,
                     (ReduceKernel<ReduceKind::kMean, cpu::ReduceKind::kMean>));
DUET_REGISTER_KERNEL("reduce_max", kGPU, kNumericDTypes,
                     (ReduceKernel<ReduceKind::kMax, cpu::ReduceKind::kMax>));
DUET_REGISTER_KERNEL("reduce_min", kGPU, kNumericDTypes,
                     (ReduceKernel<ReduceKind::kMin, cpu::ReduceKind::kMin>));
DUET_REGISTER_KERNEL("argmax", kGPU, kNumericDTypes, ArgMaxKernel);

}  // namespace duet::cuda
