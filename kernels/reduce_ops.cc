// Registrations of the reductions and argmax: validation (axes, dtypes, empty reductions) and
// the typed functions. The arithmetic and loops live in kernels/cpu/reduce_loops.{h,cc}.
#include "kernels/reduce_ops.h"

#include "kernels/grad_helpers.h"

#include "kernels/binary_ops.h"
#include "kernels/broadcast_ops.h"
#include "kernels/cast_ops.h"
#include "kernels/compare_ops.h"
#include "kernels/shape_ops.h"

#include "absl/strings/str_join.h"
#include "kernels/cpu/reduce_loops.h"
#include "kernels/infer_helpers.h"
#include "kernels/op_call.h"
#include "kernels/reduce_axes.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

constexpr DTypeSet kNumeric = kNumericDTypes;

template <class Ctx>
const Ints& AxesAttr(const Ctx& c) {
  return c.template attr<Ints>("axes");
}

template <cpu::ReduceKind kKind>
absl::StatusOr<SpecList> InferReduce(const InferContext& ctx) {
  const TensorSpec& in = ctx.input(0);
  absl::StatusOr<std::vector<bool>> mask = ReducedMask(ctx.op, in.shape, AxesAttr(ctx));
  if (!mask.ok()) return mask.status();
  bool needs_elements = NeedsElements(kKind, in.dtype);
  bool keepdims = ctx.attr<bool>("keepdims");
  Shape out;
  for (int d = 0; d < in.shape.rank(); ++d) {
    if (!(*mask)[d]) {
      out.push_back(in.shape[d]);
      continue;
    }
    if (in.shape[d] == 0 && needs_elements)
      return OpError(ctx.op, "cannot reduce ", DTypeName(in.dtype), " over zero-size dimension ", d,
                     " of shape ", in.shape.to_string(), ": an empty reduction has no value here");
    if (keepdims) out.push_back(1);
  }
  return SpecList{TensorSpec(std::move(out), in.dtype)};
}

absl::StatusOr<SpecList> InferArgMax(const InferContext& ctx) {
  const Shape& in = ctx.input(0).shape;
  absl::StatusOr<int> axis = NormalizeAxis(ctx.op, ctx.attr<int64_t>("axis"), in.rank(), in);
  if (!axis.ok()) return axis.status();
  if (in[*axis] == 0)
    return OpError(ctx.op, "cannot take argmax over zero-size dimension ", *axis, " of shape ",
                   in.to_string());
  Shape out = in;
  out.erase(*axis);
  return SpecList{TensorSpec(std::move(out), DType::kInt64)};
}

// Gradients. The reduced axes, normalized (all of them when `axes` is empty).
std::vector<int> ReducedAxes(const GradContext& c) {
  int rank = c.inputs[0].rank();
  const Ints& axes = AxesAttr(c);
  std::vector<int> out;
  for (int i = 0; i < rank; ++i) {
    bool reduced = axes.empty();
    for (int64_t a : axes) reduced = reduced || a == i || a + rank == i;
    if (reduced) out.push_back(i);
  }
  return out;
}

// A reduced tensor (keepdims or not) broadcast back over the reduced axes.
Tensor Expand(const GradContext& c, const Tensor& t) {
  Shape kept = c.inputs[0].shape();
  for (int i : ReducedAxes(c)) kept[i] = 1;
  if (!c.inputs[0].shape().fully_defined())  // traced with a -1 dim: x gives the shape at run time
    return add(reshape(t, kept), ZerosLike(c.inputs[0]));
  return broadcast_to(reshape(t, kept), c.inputs[0].shape());
}

std::vector<Tensor> SumGrad(const GradContext& c) { return {Expand(c, c.output_grads[0])}; }

std::vector<Tensor> MeanGrad(const GradContext& c) {
  double count = 1;
  for (int i : ReducedAxes(c)) count *= static_cast<double>(c.inputs[0].shape()[i]);
  return {Expand(c, div(c.output_grads[0], count))};  // divide before broadcasting: fewer elements
}

// Max/min: the gradient goes to the extreme elements, split evenly between ties (as TF).
std::vector<Tensor> ExtremumGrad(const GradContext& c) {
  const Tensor& x = c.inputs[0];
  Tensor hit = equal(x, Expand(c, c.outputs[0]));
  Tensor ties =
      broadcast_to(reduce_sum(cast(hit, x.dtype()), ReducedAxes(c), /*keepdims=*/true), x.shape());
  return {where(hit, div(Expand(c, c.output_grads[0]), ties), 0)};
}

#define DUET_REDUCTION(var, name, kind, grad)               \
  const OpDef& var = OpBuilder(name)                        \
                         .Inputs({"x"}, kNumeric)           \
                         .Outputs({"y"})                    \
                         .Attr("axes", AttrKind::kInts)     \
                         .Attr("keepdims", AttrKind::kBool) \
                         .Traits(kReduction)                \
                         .Infer(InferReduce<kind>)          \
                         .Gradient(grad)                    \
                         .Build()

DUET_REDUCTION(kReduceSum, "reduce_sum", cpu::ReduceKind::kSum, SumGrad);
DUET_REDUCTION(kReduceMean, "reduce_mean", cpu::ReduceKind::kMean, MeanGrad);
DUET_REDUCTION(kReduceMax, "reduce_max", cpu::ReduceKind::kMax, ExtremumGrad);
DUET_REDUCTION(kReduceMin, "reduce_min", cpu::ReduceKind::kMin, ExtremumGrad);
#undef DUET_REDUCTION

const OpDef& kArgMax = OpBuilder("argmax")
                           .Inputs({"x"}, kNumeric)
                           .Outputs({"index"})
                           .Attr("axis", AttrKind::kInt)
                           .Traits(kReduction)
                           .Infer(InferArgMax)
                           .NotDifferentiable()
                           .Build();

Attrs ReduceAttrs(const OpDef& op, const std::vector<int>& axes, bool keepdims) {
  return MakeAttrs(op, {{"axes", Ints(axes.begin(), axes.end())}, {"keepdims", keepdims}});
}

}  // namespace

Tensor reduce_sum(const Tensor& x, std::vector<int> axes, bool keepdims, const Loc& loc) {
  return Call(kReduceSum, {x}, ReduceAttrs(kReduceSum, axes, keepdims), loc);
}
Tensor reduce_mean(const Tensor& x, std::vector<int> axes, bool keepdims, const Loc& loc) {
  return Call(kReduceMean, {x}, ReduceAttrs(kReduceMean, axes, keepdims), loc);
}
Tensor reduce_max(const Tensor& x, std::vector<int> axes, bool keepdims, const Loc& loc) {
  return Call(kReduceMax, {x}, ReduceAttrs(kReduceMax, axes, keepdims), loc);
}
Tensor reduce_min(const Tensor& x, std::vector<int> axes, bool keepdims, const Loc& loc) {
  return Call(kReduceMin, {x}, ReduceAttrs(kReduceMin, axes, keepdims), loc);
}
Tensor argmax(const Tensor& x, int axis, const Loc& loc) {
  return Call(kArgMax, {x}, MakeAttrs(kArgMax, {{"axis", int64_t{axis}}}), loc);
}

}  // namespace duet
