// CPU kernels of the cast ops (kernels/cast_ops.cc), registered against the ops by name.
#include <algorithm>
#include <cstring>

#include "kernels/cpu/cast_loops.h"
#include "kernels/infer_helpers.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace duet {
namespace {

absl::Status CastKernel(KernelContext& ctx) {
  const Tensor& x = ctx.inputs[0];
  DType to = ctx.output_specs[0].dtype;
  if (to ==
      x.dtype()) {  // tensors are immutable: share the buffer (under a new handle for the tape)
    ctx.outputs[0] = Tensor::View(x, x.shape());
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(Tensor out, Tensor::TryEmpty(ctx.output_specs[0], x.device()));
  cpu::Cast(x, out);
  ctx.outputs[0] = std::move(out);
  return absl::OkStatus();
}

}  // namespace

DUET_REGISTER_KERNEL("cast", DeviceType::kCPU, kAnyDType, CastKernel);

}  // namespace duet
