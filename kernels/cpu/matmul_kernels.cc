// CPU kernels of the matmul ops (kernels/matmul_ops.cc), registered against the ops by name.
#include <algorithm>
#include <cstring>

#include "kernels/cpu/dnnl_matmul.h"
#include "kernels/cpu/matmul_loops.h"
#include "kernels/infer_helpers.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

// Below this many multiply-adds the direct loop beats a oneDNN call (a fixed ~1.5us); above it
// oneDNN's blocked, threaded kernels win by far (measured: 24^3 is the break-even point).
constexpr int64_t kDnnlMinMacs = 16 * 32 * 32;

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
      if (g.macs() >= kDnnlMinMacs && cpu::DnnlMatmulSupports(g))
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
