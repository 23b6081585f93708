// Op definitions (CPU kernels: kernels/cpu/nn_kernels.cc) of the neural-network ops: softmax,
// log_softmax, conv2d, max_pool2d, avg_pool2d, and their gradient rules. Geometry (TF SAME/VALID
// arithmetic) lives in cpu/window_geometry.h and its validation in window_infer.h, shared with the
// gradient ops (nn_grad_ops.h) that the window ops' rules call.
#include "kernels/nn_ops.h"

#include "kernels/binary_ops.h"
#include "kernels/infer_helpers.h"
#include "kernels/nn_grad_ops.h"
#include "kernels/op_call.h"
#include "kernels/reduce_ops.h"
#include "kernels/unary_ops.h"
#include "kernels/window_infer.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

constexpr DTypeSet kFloats = kFloatDTypes;

// ---- softmax / log_softmax ----------------------------------------------------------------

absl::StatusOr<SpecList> InferSoftmax(const InferContext& ctx) {
  const Shape& x = ctx.input(0).shape;
  if (absl::StatusOr<int> axis = NormalizeAxis(ctx.op, ctx.attr<int64_t>("axis"), x.rank(), x);
      !axis.ok())
    return axis.status();
  return SpecList{ctx.input(0)};
}

// ---- conv2d -------------------------------------------------------------------------------

absl::StatusOr<SpecList> InferConv2D(const InferContext& ctx) {
  absl::StatusOr<Shape> y =
      Conv2DOutputShape(ctx.op, ctx.input(0).shape, ctx.input(1).shape, ctx.attr<Ints>("strides"),
                        ctx.attr<std::string>("padding"), ctx.attr<Ints>("dilations"));
  if (!y.ok()) return y.status();
  return SpecList{TensorSpec(*std::move(y), ctx.input(0).dtype)};
}

// ---- max_pool2d / avg_pool2d ---------------------------------------------------------------

absl::StatusOr<SpecList> InferPool2D(const InferContext& ctx) {
  absl::StatusOr<Shape> y =
      Pool2DOutputShape(ctx.op, ctx.input(0).shape, ctx.attr<Ints>("ksize"),
                        ctx.attr<Ints>("strides"), ctx.attr<std::string>("padding"));
  if (!y.ok()) return y.status();
  return SpecList{TensorSpec(*std::move(y), ctx.input(0).dtype)};
}

// ---- gradient rules -------------------------------------------------------------------------
// y = output, dy = its incoming gradient. The window ops' gradients are ops of their own
// (nn_grad_ops.h), differentiable in turn.

std::array<int, 2> PairAttr(const GradContext& c, const char* name) {
  const Ints& v = c.attr<Ints>(name);
  return {static_cast<int>(v[0]), static_cast<int>(v[1])};
}
const std::string& Padding(const GradContext& c) { return c.attr<std::string>("padding"); }
std::vector<int> AxisOf(const GradContext& c) {
  return {static_cast<int>(c.attr<int64_t>("axis"))};
}

// dx = y * (dy - sum(dy * y)) along the axis.
std::vector<Tensor> SoftmaxGrad(const GradContext& c) {
  const Tensor &y = c.outputs[0], &dy = c.output_grads[0];
  return {mul(y, sub(dy, reduce_sum(mul(dy, y), AxisOf(c), /*keepdims=*/true)))};
}

// dx = dy - softmax(x) * sum(dy) along the axis, softmax(x) = exp(y).
std::vector<Tensor> LogSoftmaxGrad(const GradContext& c) {
  const Tensor &y = c.outputs[0], &dy = c.output_grads[0];
  return {sub(dy, mul(exp(y), reduce_sum(dy, AxisOf(c), /*keepdims=*/true)))};
}

std::vector<Tensor> Conv2DGrad(const GradContext& c) {
  const Tensor &x = c.inputs[0], &f = c.inputs[1], &dy = c.output_grads[0];
  auto strides = PairAttr(c, "strides"), dilations = PairAttr(c, "dilations");
  const std::string& padding = Padding(c);
  return {
      c.needs(0) ? conv2d_backprop_input(x.shape(), f, dy, strides, padding, dilations) : Tensor(),
      c.needs(1) ? conv2d_backprop_filter(x, f.shape(), dy, strides, padding, dilations)
                 : Tensor()};
}

std::vector<Tensor> MaxPool2DGrad(const GradContext& c) {
  return {max_pool2d_grad(c.inputs[0], c.outputs[0], c.output_grads[0], PairAttr(c, "ksize"),
                          PairAttr(c, "strides"), Padding(c))};
}

std::vector<Tensor> AvgPool2DGrad(const GradContext& c) {
  return {avg_pool2d_grad(c.inputs[0].shape(), c.output_grads[0], PairAttr(c, "ksize"),
                          PairAttr(c, "strides"), Padding(c))};
}

// ---- registrations -------------------------------------------------------------------------

const OpDef& kSoftmax = OpBuilder("softmax")
                            .Inputs({"x"}, kFloats)
                            .Outputs({"probabilities"})
                            .Attr("axis", AttrKind::kInt)
                            .Traits(kNormalization)
                            .Infer(InferSoftmax)
                            .Gradient(SoftmaxGrad)
                            .Doc("exp(x - max) / sum(exp(x - max)) along axis")
                            .Build();
const OpDef& kLogSoftmax = OpBuilder("log_softmax")
                               .Inputs({"x"}, kFloats)
                               .Outputs({"log_probabilities"})
                               .Attr("axis", AttrKind::kInt)
                               .Traits(kNormalization)
                               .Infer(InferSoftmax)
                               .Gradient(LogSoftmaxGrad)
                               .Doc("x - max - log(sum(exp(x - max))) along axis")
                               .Build();
const OpDef& kConv2D = OpBuilder("conv2d")
                           .Inputs({"input", "filters"}, kFloats)
                           .SameDTypes()
                           .Outputs({"output"})
                           .Attr("strides", AttrKind::kInts)
                           .Attr("padding", AttrKind::kString)
                           .Attr("dilations", AttrKind::kInts)
                           .Traits(kWindow)
                           .Infer(InferConv2D)
                           .Gradient(Conv2DGrad)
                           .Doc("2-D convolution, NHWC input, HWIO filters, TF SAME/VALID padding")
                           .Build();
const OpDef& kMaxPool2D =
    OpBuilder("max_pool2d")
        .Inputs({"x"}, kFloats)
        .Outputs({"output"})
        .Attr("ksize", AttrKind::kInts)
        .Attr("strides", AttrKind::kInts)
        .Attr("padding", AttrKind::kString)
        .Traits(kWindow)
        .Infer(InferPool2D)
        .Gradient(MaxPool2DGrad)
        .Doc("2-D max pooling, NHWC, TF SAME/VALID padding (padding never wins)")
        .Build();
const OpDef& kAvgPool2D =
    OpBuilder("avg_pool2d")
        .Inputs({"x"}, kFloats)
        .Outputs({"output"})
        .Attr("ksize", AttrKind::kInts)
        .Attr("strides", AttrKind::kInts)
        .Attr("padding", AttrKind::kString)
        .Traits(kWindow)
        .Infer(InferPool2D)
        .Gradient(AvgPool2DGrad)
        .Doc("2-D average pooling, NHWC, TF SAME/VALID padding (padding excluded from the mean)")
        .Build();

Ints Ints2(std::array<int, 2> v) { return {v[0], v[1]}; }

}  // namespace

Tensor softmax(const Tensor& x, int axis, const Loc& loc) {
  return Call(kSoftmax, {x}, MakeAttrs(kSoftmax, {{"axis", int64_t{axis}}}), loc);
}
Tensor log_softmax(const Tensor& x, int axis, const Loc& loc) {
  return Call(kLogSoftmax, {x}, MakeAttrs(kLogSoftmax, {{"axis", int64_t{axis}}}), loc);
}
Tensor conv2d(const Tensor& x, const Tensor& filters, std::array<int, 2> strides,
              std::string padding, std::array<int, 2> dilations, const Loc& loc) {
  return Call(kConv2D, {x, filters},
              MakeAttrs(kConv2D, {{"strides", Ints2(strides)},
                                  {"padding", std::move(padding)},
                                  {"dilations", Ints2(dilations)}}),
              loc);
}
Tensor max_pool2d(const Tensor& x, std::array<int, 2> ksize, std::array<int, 2> strides,
                  std::string padding, const Loc& loc) {
  return Call(kMaxPool2D, {x},
              MakeAttrs(kMaxPool2D, {{"ksize", Ints2(ksize)},
                                     {"strides", Ints2(strides)},
                                     {"padding", std::move(padding)}}),
              loc);
}
Tensor avg_pool2d(const Tensor& x, std::array<int, 2> ksize, std::array<int, 2> strides,
                  std::string padding, const Loc& loc) {
  return Call(kAvgPool2D, {x},
              MakeAttrs(kAvgPool2D, {{"ksize", Ints2(ksize)},
                                     {"strides", Ints2(strides)},
                                     {"padding", std::move(padding)}}),
              loc);
}

}  // namespace duet
