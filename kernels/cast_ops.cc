// Registration and CPU kernel of cast. Conversion rules live in kernels/cpu/cast_loops.h.
#include "kernels/cast_ops.h"

#include "kernels/cpu/cast_loops.h"
#include "kernels/infer_helpers.h"
#include "kernels/op_call.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

constexpr auto kAllDTypes = {DType::kFloat32, DType::kFloat64, DType::kInt32,   DType::kInt64,
                             DType::kBool,    DType::kFloat16, DType::kBFloat16};

absl::StatusOr<SpecList> InferCast(const InferContext& ctx) {
  return SpecList{TensorSpec(ctx.input(0).shape, std::get<DType>(ctx.attrs[0]))};
}

absl::Status CastKernel(KernelContext& ctx) {
  const Tensor& x = ctx.inputs[0];
  DType to = ctx.output_specs[0].dtype;
  if (to ==
      x.dtype()) {  // tensors are immutable: share the buffer (under a new handle for the tape)
    ctx.outputs[0] = Tensor::View(x, x.shape());
    return absl::OkStatus();
  }
  Tensor out = Tensor::Empty(ctx.output_specs[0], x.device());
  cpu::Cast(x, out);
  ctx.outputs[0] = std::move(out);
  return absl::OkStatus();
}

const OpDef& kCast =
    OpBuilder("cast")
        .Inputs({"x"})
        .Outputs({"y"})
        .Attr("dtype", AttrKind::kDType)
        .Traits(kElementwise)
        .Infer(InferCast)
        .KernelAllocatesOutputs()
        .Kernel(DeviceType::kCPU, kAllDTypes, CastKernel)
        .Gradient([](const GradContext& c) {  // floats only: casts to or from integers have none
          bool floats = IsFloating(c.inputs[0].dtype()) && IsFloating(c.outputs[0].dtype());
          return std::vector<Tensor>{floats ? cast(c.output_grads[0], c.inputs[0].dtype())
                                            : Tensor()};
        })
        .Build();

}  // namespace

Tensor cast(const Tensor& x, DType dtype, const Loc& loc) {
  return Call(kCast, {x}, Attrs{AttrValue(dtype)}, loc);
}

}  // namespace duet
