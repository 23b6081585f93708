// Op definition (CPU kernel: kernels/cpu/cast_kernels.cc) of cast. Conversion rules live in
// kernels/cpu/cast_loops.h.
#include "kernels/cast_ops.h"

#include "kernels/infer_helpers.h"
#include "kernels/op_call.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

absl::StatusOr<SpecList> InferCast(const InferContext& ctx) {
  return SpecList{TensorSpec(ctx.input(0).shape, ctx.attr<DType>("dtype"))};
}

const OpDef& kCast =
    OpBuilder("cast")
        .Inputs({"x"})
        .Outputs({"y"})
        .Attr("dtype", AttrKind::kDType)
        .Traits(kElementwise)
        .Infer(InferCast)
        .KernelAllocatesOutputs()
        .Scalar([](const ScalarContext& c) {
          return ScalarList{c.b.Cast(c.in(0), AttrOf<DType>(c.op, c.attrs, "dtype"))};
        })
        .Gradient([](const GradContext& c) {  // floats only: casts to or from integers have none
          bool floats = IsFloating(c.inputs[0].dtype()) && IsFloating(c.outputs[0].dtype());
          return std::vector<Tensor>{floats ? cast(c.output_grads[0], c.inputs[0].dtype())
                                            : Tensor()};
        })
        .Build();

}  // namespace

Tensor cast(const Tensor& x, DType dtype, const Loc& loc) {
  return Call(kCast, {x}, MakeAttrs(kCast, {{"dtype", dtype}}), loc);
}

}  // namespace duet
