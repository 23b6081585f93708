// Op definitions (CPU kernels: kernels/cpu/nn_grad_kernels.cc) of the window ops' gradient ops:
// conv2d_backprop_input, conv2d_backprop_filter, max_pool2d_grad, max_pool2d_grad_grad,
// avg_pool2d_grad. Shape functions share conv2d's and the pools' validation (window_infer.h) and
// check that the incoming gradient has the forward op's output shape.
#include "kernels/nn_grad_ops.h"

#include "kernels/infer_helpers.h"
#include "kernels/nn_ops.h"
#include "kernels/op_call.h"
#include "kernels/window_infer.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

constexpr DTypeSet kFloats = kFloatDTypes;

// A two-element kInts attribute (strides, ksize, dilations) as the typed ops take it.
template <class Ctx>
std::array<int, 2> PairAttr(const Ctx& c, const char* name) {
  const Ints& v = c.template attr<Ints>(name);
  return {static_cast<int>(v[0]), static_cast<int>(v[1])};
}
template <class Ctx>
const std::string& Padding(const Ctx& c) {
  return c.template attr<std::string>("padding");
}
std::vector<int64_t> Ints2(std::array<int, 2> v) { return {v[0], v[1]}; }

// ---- conv2d_backprop_input / conv2d_backprop_filter ----------------------------------------

absl::Status CheckConvGradient(const InferContext& ctx, const Shape& x, const Shape& f,
                               const Shape& dy) {
  absl::StatusOr<Shape> y = Conv2DOutputShape(ctx.op, x, f, ctx.attr<Ints>("strides"), Padding(ctx),
                                              ctx.attr<Ints>("dilations"));
  if (!y.ok()) return y.status();
  if (!ShapesCompatible(dy, *y))
    return OpError(ctx.op, "dy has shape ", dy.to_string(), " but conv2d of input ", x.to_string(),
                   " and filters ", f.to_string(), " gives ", y->to_string());
  return absl::OkStatus();
}

absl::StatusOr<SpecList> InferConv2DBackpropInput(const InferContext& ctx) {
  const Shape& x = ctx.attr<Shape>("input_shape");
  if (absl::Status s = CheckShapeAttr(ctx, "input_shape", "NHWC", x); !s.ok()) return s;
  if (absl::Status s = CheckConvGradient(ctx, x, ctx.input(0).shape, ctx.input(1).shape); !s.ok())
    return s;
  return SpecList{TensorSpec(x, ctx.input(0).dtype)};
}

absl::StatusOr<SpecList> InferConv2DBackpropFilter(const InferContext& ctx) {
  const Shape& f = ctx.attr<Shape>("filter_shape");
  if (absl::Status s = CheckShapeAttr(ctx, "filter_shape", "HWIO", f); !s.ok()) return s;
  if (absl::Status s = CheckConvGradient(ctx, ctx.input(0).shape, f, ctx.input(1).shape); !s.ok())
    return s;
  return SpecList{TensorSpec(f, ctx.input(0).dtype)};
}

// Both are linear in each input: the gradients are the other convolution ops.
std::vector<Tensor> Conv2DBackpropInputGrad(const GradContext& c) {
  const Tensor &f = c.inputs[0], &dy = c.inputs[1], &ddx = c.output_grads[0];
  auto s = PairAttr(c, "strides");
  const std::string& p = Padding(c);
  auto d = PairAttr(c, "dilations");
  return {conv2d_backprop_filter(ddx, f.shape(), dy, s, p, d), conv2d(ddx, f, s, p, d)};
}

std::vector<Tensor> Conv2DBackpropFilterGrad(const GradContext& c) {
  const Tensor &x = c.inputs[0], &dy = c.inputs[1], &ddf = c.output_grads[0];
  auto s = PairAttr(c, "strides");
  const std::string& p = Padding(c);
  auto d = PairAttr(c, "dilations");
  return {conv2d_backprop_input(x.shape(), ddf, dy, s, p, d), conv2d(x, ddf, s, p, d)};
}

// ---- max_pool2d_grad / max_pool2d_grad_grad / avg_pool2d_grad --------------------------------

absl::StatusOr<Shape> PoolOutput(const InferContext& ctx, const Shape& x) {
  return Pool2DOutputShape(ctx.op, x, ctx.attr<Ints>("ksize"), ctx.attr<Ints>("strides"),
                           Padding(ctx));
}

absl::Status ExpectShape(const InferContext& ctx, const char* what, const Shape& got,
                         const Shape& want, const char* of, const Shape& x) {
  if (!ShapesCompatible(got, want))
    return OpError(ctx.op, what, " has shape ", got.to_string(), " but ", of, x.to_string(),
                   " gives ", want.to_string());
  return absl::OkStatus();
}

// inputs (x, y, g): y and dy (max_pool2d_grad) have the pool's output shape, ddx (grad_grad) x's.
template <bool kGradGrad>
absl::StatusOr<SpecList> InferMaxPool2DGrad(const InferContext& ctx) {
  const Shape& x = ctx.input(0).shape;
  absl::StatusOr<Shape> y = PoolOutput(ctx, x);
  if (!y.ok()) return y.status();
  if (absl::Status s =
          ExpectShape(ctx, "output", ctx.input(1).shape, *y, "max_pool2d of input ", x);
      !s.ok())
    return s;
  if (kGradGrad) {
    if (!ShapesCompatible(ctx.input(2).shape, x))
      return OpError(ctx.op, "ddx has shape ", ctx.input(2).shape.to_string(),
                     " but the input has shape ", x.to_string());
    return SpecList{TensorSpec(*y, ctx.input(0).dtype)};
  }
  if (absl::Status s = ExpectShape(ctx, "dy", ctx.input(2).shape, *y, "max_pool2d of input ", x);
      !s.ok())
    return s;
  return SpecList{ctx.input(0)};
}

absl::StatusOr<SpecList> InferAvgPool2DGrad(const InferContext& ctx) {
  const Shape& x = ctx.attr<Shape>("input_shape");
  if (absl::Status s = CheckShapeAttr(ctx, "input_shape", "NHWC", x); !s.ok()) return s;
  absl::StatusOr<Shape> y = PoolOutput(ctx, x);
  if (!y.ok()) return y.status();
  if (absl::Status s = ExpectShape(ctx, "dy", ctx.input(0).shape, *y, "avg_pool2d of input ", x);
      !s.ok())
    return s;
  return SpecList{TensorSpec(x, ctx.input(0).dtype)};
}

// max_pool2d_grad and max_pool2d_grad_grad are each other's adjoint in the gradient input and
// piecewise constant in x and y (no gradient there).
template <bool kGradGrad>
std::vector<Tensor> MaxPool2DGradGrad(const GradContext& c) {
  const Tensor &x = c.inputs[0], &y = c.inputs[1], &g = c.output_grads[0];
  auto k = PairAttr(c, "ksize"), s = PairAttr(c, "strides");
  const std::string& p = Padding(c);
  return {Tensor(), Tensor(),
          kGradGrad ? max_pool2d_grad(x, y, g, k, s, p) : max_pool2d_grad_grad(x, y, g, k, s, p)};
}

std::vector<Tensor> AvgPool2DGradGrad(const GradContext& c) {
  return {avg_pool2d(c.output_grads[0], PairAttr(c, "ksize"), PairAttr(c, "strides"), Padding(c))};
}

// ---- registrations -------------------------------------------------------------------------

const OpDef& kConv2DBackpropInput =
    OpBuilder("conv2d_backprop_input")
        .Inputs({"filters", "dy"}, kFloats)
        .SameDTypes()
        .Outputs({"dx"})
        .Attr("input_shape", AttrKind::kShape)
        .Attr("strides", AttrKind::kInts)
        .Attr("padding", AttrKind::kString)
        .Attr("dilations", AttrKind::kInts)
        .Traits(kWindow)
        .Infer(InferConv2DBackpropInput)
        .Gradient(Conv2DBackpropInputGrad)
        .Doc("conv2d's gradient w.r.t. its input (TF Conv2DBackpropInput)")
        .Build();
const OpDef& kConv2DBackpropFilter =
    OpBuilder("conv2d_backprop_filter")
        .Inputs({"input", "dy"}, kFloats)
        .SameDTypes()
        .Outputs({"dfilters"})
        .Attr("filter_shape", AttrKind::kShape)
        .Attr("strides", AttrKind::kInts)
        .Attr("padding", AttrKind::kString)
        .Attr("dilations", AttrKind::kInts)
        .Traits(kWindow)
        .Infer(InferConv2DBackpropFilter)
        .Gradient(Conv2DBackpropFilterGrad)
        .Doc("conv2d's gradient w.r.t. its filters (TF Conv2DBackpropFilter)")
        .Build();
const OpDef& kMaxPool2DGrad = OpBuilder("max_pool2d_grad")
                                  .Inputs({"input", "output", "dy"}, kFloats)
                                  .SameDTypes()
                                  .Outputs({"dx"})
                                  .Attr("ksize", AttrKind::kInts)
                                  .Attr("strides", AttrKind::kInts)
                                  .Attr("padding", AttrKind::kString)
                                  .Traits(kWindow)
                                  .Infer(InferMaxPool2DGrad<false>)
                                  .Gradient(MaxPool2DGradGrad<false>)
                                  .Doc(
                                      "max_pool2d's gradient: dy routed to each window's first "
                                      "maximum of input (TF MaxPoolGrad)")
                                  .Build();
const OpDef& kMaxPool2DGradGrad = OpBuilder("max_pool2d_grad_grad")
                                      .Inputs({"input", "output", "ddx"}, kFloats)
                                      .SameDTypes()
                                      .Outputs({"ddy"})
                                      .Attr("ksize", AttrKind::kInts)
                                      .Attr("strides", AttrKind::kInts)
                                      .Attr("padding", AttrKind::kString)
                                      .Traits(kWindow)
                                      .Infer(InferMaxPool2DGrad<true>)
                                      .Gradient(MaxPool2DGradGrad<true>)
                                      .Doc(
                                          "max_pool2d_grad's gradient w.r.t. dy: ddx at each "
                                          "window's argmax (TF MaxPoolGradGrad)")
                                      .Build();
const OpDef& kAvgPool2DGrad =
    OpBuilder("avg_pool2d_grad")
        .Inputs({"dy"}, kFloats)
        .Outputs({"dx"})
        .Attr("input_shape", AttrKind::kShape)
        .Attr("ksize", AttrKind::kInts)
        .Attr("strides", AttrKind::kInts)
        .Attr("padding", AttrKind::kString)
        .Traits(kWindow)
        .Infer(InferAvgPool2DGrad)
        .Gradient(AvgPool2DGradGrad)
        .Doc("avg_pool2d's gradient: dy spread over each window's real inputs (TF AvgPoolGrad)")
        .Build();

}  // namespace

Tensor conv2d_backprop_input(const Shape& input_shape, const Tensor& filters, const Tensor& dy,
                             std::array<int, 2> strides, std::string padding,
                             std::array<int, 2> dilations, const Loc& loc) {
  return Call(kConv2DBackpropInput, {filters, dy},
              MakeAttrs(kConv2DBackpropInput, {{"input_shape", input_shape},
                                               {"strides", Ints2(strides)},
                                               {"padding", std::move(padding)},
                                               {"dilations", Ints2(dilations)}}),
              loc);
}
Tensor conv2d_backprop_filter(const Tensor& x, const Shape& filter_shape, const Tensor& dy,
                              std::array<int, 2> strides, std::string padding,
                              std::array<int, 2> dilations, const Loc& loc) {
  return Call(kConv2DBackpropFilter, {x, dy},
              MakeAttrs(kConv2DBackpropFilter, {{"filter_shape", filter_shape},
                                                {"strides", Ints2(strides)},
                                                {"padding", std::move(padding)},
                                                {"dilations", Ints2(dilations)}}),
              loc);
}
Tensor max_pool2d_grad(const Tensor& x, const Tensor& y, const Tensor& dy, std::array<int, 2> ksize,
                       std::array<int, 2> strides, std::string padding, const Loc& loc) {
  return Call(kMaxPool2DGrad, {x, y, dy},
              MakeAttrs(kMaxPool2DGrad, {{"ksize", Ints2(ksize)},
                                         {"strides", Ints2(strides)},
                                         {"padding", std::move(padding)}}),
              loc);
}
Tensor max_pool2d_grad_grad(const Tensor& x, const Tensor& y, const Tensor& ddx,
                            std::array<int, 2> ksize, std::array<int, 2> strides,
                            std::string padding, const Loc& loc) {
  return Call(kMaxPool2DGradGrad, {x, y, ddx},
              MakeAttrs(kMaxPool2DGradGrad, {{"ksize", Ints2(ksize)},
                                             {"strides", Ints2(strides)},
                                             {"padding", std::move(padding)}}),
              loc);
}
Tensor avg_pool2d_grad(const Shape& input_shape, const Tensor& dy, std::array<int, 2> ksize,
                       std::array<int, 2> strides, std::string padding, const Loc& loc) {
  return Call(kAvgPool2DGrad, {dy},
              MakeAttrs(kAvgPool2DGrad, {{"input_shape", input_shape},
                                         {"ksize", Ints2(ksize)},
                                         {"strides", Ints2(strides)},
                                         {"padding", std::move(padding)}}),
              loc);
}

}  // namespace duet
