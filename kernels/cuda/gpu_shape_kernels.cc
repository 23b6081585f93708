// GPU kernels of the data-movement ops that need no arithmetic: identity, stop_gradient and the
// zero-copy views (reshape, expand_dims, squeeze: a new handle on the same device buffer, as
// on the CPU), transpose and broadcast_to (a strided gather of the input, by element width).
// concat, stack, slice, pad, gather, scatter_add and one_hot have no GPU kernel yet.
#include <cstdint>
#include <vector>

#include "kernels/cuda/elementwise_layout.h"
#include "kernels/cuda/gpu_elementwise.h"
#include "kernels/cuda/gpu_kernel_util.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace duet::cuda {
namespace {

// identity/stop_gradient share the input's buffer under a new handle (the tape tells values
// apart by handle).
absl::Status AliasKernel(KernelContext& ctx) {
  ctx.outputs[0] = Tensor::View(ctx.inputs[0], ctx.inputs[0].shape());
  return absl::OkStatus();
}

absl::Status ViewKernel(KernelContext& ctx) {
  ctx.outputs[0] = Tensor::View(ctx.inputs[0], ctx.output_specs[0].shape);
  return absl::OkStatus();
}

absl::Status Gather(KernelContext& ctx, const GpuCall& call, const StridedLayout& l) {
  const Tensor& x = ctx.inputs[0];
  RETURN_IF_ERROR(
      call.Launched(LaunchStridedCopy(static_cast<int>(SizeOf(x.dtype())), x.raw_data(),
                                      ctx.outputs[0].mutable_raw_data(), l, call.stream())));
  return call.Finish();
}

absl::Status TransposeKernel(KernelContext& ctx) {
  GpuCall call(ctx);
  RETURN_IF_ERROR(call.status());
  const Tensor& x = ctx.inputs[0];
  if (ctx.outputs[0].num_elements() == 0) return absl::OkStatus();
  std::vector<int64_t> perm = ctx.attr<Ints>("perm");
  if (perm.empty())  // reversed dims, as kernels/cpu/shape_kernels.cc
    for (int i = x.rank() - 1; i >= 0; --i) perm.push_back(i);
  ASSIGN_OR_RETURN(StridedLayout l, call.Wrap(PermuteLayout(x.shape(), perm)));
  return Gather(ctx, call, l);
}

absl::Status BroadcastToKernel(KernelContext& ctx) {
  GpuCall call(ctx);
  RETURN_IF_ERROR(call.status());
  Tensor& out = ctx.outputs[0];
  if (out.num_elements() == 0) return absl::OkStatus();
  ASSIGN_OR_RETURN(StridedLayout l,
                   call.Wrap(BroadcastLayout(out.shape(), {&ctx.inputs[0].shape()})));
  return Gather(ctx, call, l);
}

constexpr DeviceType kGPU = DeviceType::kGPU;

}  // namespace

DUET_REGISTER_KERNEL("identity", kGPU, kAnyDType, AliasKernel);
DUET_REGISTER_KERNEL("stop_gradient", kGPU, kAnyDType, AliasKernel);
DUET_REGISTER_KERNEL("reshape", kGPU, kAnyDType, ViewKernel);
DUET_REGISTER_KERNEL("expand_dims", kGPU, kAnyDType, ViewKernel);
DUET_REGISTER_KERNEL("squeeze", kGPU, kAnyDType, ViewKernel);
DUET_REGISTER_KERNEL("transpose", kGPU, kAnyDType, TransposeKernel);
DUET_REGISTER_KERNEL("broadcast_to", kGPU, kAnyDType, BroadcastToKernel);

}  // namespace duet::cuda
