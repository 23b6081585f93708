// CPU kernels of the random ops (kernels/random_ops.cc), registered against the ops by name.
#include <algorithm>
#include <cstring>

#include "kernels/cpu/random_fill.h"
#include "kernels/infer_helpers.h"
#include "kernels/random_seed.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

template <bool kNormal>
absl::Status RandomKernel(KernelContext& ctx) {
  Tensor& out = ctx.outputs[0];
  uint64_t key = RandomKeyFor(ctx.attr<int64_t>("seed"));
  double a = ctx.attr<double>("a"), b = ctx.attr<double>("b");
  if (out.dtype() != DType::kFloat32 && out.dtype() != DType::kFloat64)
    return OpError(ctx.op, "no kernel for ", DTypeName(out.dtype()));
  if (kNormal)
    cpu::FillNormal(out, key, a, b);
  else
    cpu::FillUniform(out, key, a, b);
  return absl::OkStatus();
}

}  // namespace

DUET_REGISTER_KERNEL("random_normal", DeviceType::kCPU, kFloatDTypes, RandomKernel<true>);
DUET_REGISTER_KERNEL("random_uniform", DeviceType::kCPU, kFloatDTypes, RandomKernel<false>);

}  // namespace duet
