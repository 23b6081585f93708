// CPU kernels of the matmul ops (kernels/matmul_ops.cc), registered against the ops by name.
#include <algorithm>
#include <cstring>

#include "kernels/cpu/dnnl_matmul.h"
#include "kernels/cpu/matmul_loops.h"
#include "kernels/infer_helpers.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

template <class T>
absl::Status RunLoop(const cpu::MatmulGeometry& g, KernelContext& ctx) {
  cpu::MatmulLoop<T>(g, ctx.inputs[0].data<T>(), ctx.inputs[1].data<T>(),
                     ctx.outputs[0].mutable_data<T>());
  return absl::OkStatus();
}

absl::Status MatmulKernel(KernelContext& ctx) {
  const Tensor& a = ctx.inputs[0];
  const Tensor& b = ctx.inputs[1];
  cpu::MatmulGeometry g = cpu::MakeMatmulGeometry(
      a.shape(), b.shape(), ctx.attr<bool>("transpose_a"), ctx.attr<bool>("transpose_b"));
  switch (a.dtype()) {
    case DType::kFloat32:
      if (g.macs() >= cpu::kDnnlMatmulMinMacs && cpu::DnnlMatmulSupports(g))
        return cpu::DnnlMatmulF32(g, a.data<float>(), b.data<float>(),
                                  ctx.outputs[0].mutable_data<float>());
      return RunLoop<float>(g, ctx);
    case DType::kFloat64:
      return RunLoop<double>(g, ctx);
    case DType::kInt32:
      return RunLoop<int32_t>(g, ctx);
    case DType::kInt64:
      return RunLoop<int64_t>(g, ctx);
    default:
      return OpError(ctx.op, "no kernel for ", DTypeName(a.dtype()));
  }
}

}  // namespace

DUET_REGISTER_KERNEL("matmul", DeviceType::kCPU, kNumericDTypes, MatmulKernel);

}  // namespace duet
