// Op definition (CPU kernel: kernels/cpu/broadcast_kernels.cc) of broadcast_to; its gradient sums
// back to the input's shape.
#include "kernels/broadcast_ops.h"

#include <algorithm>
#include <cstring>

#include "kernels/grad_helpers.h"
#include "kernels/infer_helpers.h"
#include "runtime/dispatch.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

absl::StatusOr<SpecList> InferBroadcastTo(const InferContext& ctx) {
  const Shape& target = ctx.attr<Shape>("shape");
  const Shape& in = ctx.input(0).shape;
  absl::StatusOr<Shape> merged = BroadcastShapes(ctx.op, in, target);
  if (!merged.ok() || !(*merged == target))
    return OpError(ctx.op, "cannot broadcast shape ", in.to_string(), " to ", target.to_string());
  return SpecList{TensorSpec(target, ctx.input(0).dtype)};
}

const OpDef& kBroadcastTo = OpBuilder("broadcast_to")
                                .Inputs({"x"})
                                .Outputs({"y"})
                                .Attr("shape", AttrKind::kShape)
                                .Traits(kShapeOnly)
                                .Infer(InferBroadcastTo)
                                .Gradient([](const GradContext& c) {
                                  return std::vector<Tensor>{SumToInput(c, c.output_grads[0], 0)};
                                })
                                .Build();

}  // namespace

Tensor broadcast_to(const Tensor& x, const Shape& shape, const Loc& loc) {
  return Call(kBroadcastTo, {x}, MakeAttrs(kBroadcastTo, {{"shape", shape}}), loc);
}

}  // namespace duet
