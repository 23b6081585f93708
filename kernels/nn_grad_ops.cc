// Registrations and CPU kernels of the window ops' gradient ops: conv2d_backprop_input,
// conv2d_backprop_filter, max_pool2d_grad, max_pool2d_grad_grad, avg_pool2d_grad. Shape
// functions share conv2d's and the pools' validation (window_infer.h) and check that the
// incoming gradient has the forward op's output shape.
#include "kernels/nn_grad_ops.h"

#include "kernels/cpu/conv_loops.h"
#include "kernels/cpu/dnnl_conv.h"
#include "kernels/cpu/dnnl_conv_backward.h"
#include "kernels/cpu/dnnl_pool.h"
#include "kernels/cpu/pool_loops.h"
#include "kernels/cpu/window_geometry.h"
#include "kernels/infer_helpers.h"
#include "kernels/nn_ops.h"
#include "kernels/op_call.h"
#include "kernels/window_infer.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

constexpr auto kFloats = {DType::kFloat32, DType::kFloat64};

using Ints = std::vector<int64_t>;
const Ints& IntsAt(const Attrs& attrs, int i) { return std::get<Ints>(attrs[i]); }
const std::string& StringAt(const Attrs& attrs, int i) { return std::get<std::string>(attrs[i]); }
const Shape& ShapeAt(const Attrs& attrs, int i) { return std::get<Shape>(attrs[i]); }
std::array<int, 2> PairAt(const Attrs& attrs, int i) {
  const Ints& v = IntsAt(attrs, i);
  return {static_cast<int>(v[0]), static_cast<int>(v[1])};
}
std::vector<int64_t> Ints2(std::array<int, 2> v) { return {v[0], v[1]}; }

absl::Status CheckFloats(const InferContext& ctx) {
  if (absl::Status s = CheckDType(ctx, 0, kFloats); !s.ok()) return s;
  return CheckSameDType(ctx);
}

// ---- conv2d_backprop_input / conv2d_backprop_filter ----------------------------------------
// attrs: [input_shape | filter_shape, strides, padding, dilations].

absl::Status CheckConvGradient(const InferContext& ctx, const Shape& x, const Shape& f,
                               const Shape& dy) {
  absl::StatusOr<Shape> y = Conv2DOutputShape(ctx.op, x, f, IntsAt(ctx.attrs, 1),
                                              StringAt(ctx.attrs, 2), IntsAt(ctx.attrs, 3));
  if (!y.ok()) return y.status();
  if (!ShapesCompatible(dy, *y))
    return OpError(ctx.op, "dy has shape ", dy.to_string(), " but conv2d of input ", x.to_string(),
                   " and filters ", f.to_string(), " gives ", y->to_string());
  return absl::OkStatus();
}

absl::StatusOr<SpecList> InferConv2DBackpropInput(const InferContext& ctx) {
  if (absl::Status s = CheckFloats(ctx); !s.ok()) return s;
  const Shape& x = ShapeAt(ctx.attrs, 0);
  if (absl::Status s = CheckShapeAttr(ctx, "input_shape", "NHWC", x); !s.ok()) return s;
  if (absl::Status s = CheckConvGradient(ctx, x, ctx.input(0).shape, ctx.input(1).shape); !s.ok())
    return s;
  return SpecList{TensorSpec(x, ctx.input(0).dtype)};
}

absl::StatusOr<SpecList> InferConv2DBackpropFilter(const InferContext& ctx) {
  if (absl::Status s = CheckFloats(ctx); !s.ok()) return s;
  const Shape& f = ShapeAt(ctx.attrs, 0);
  if (absl::Status s = CheckShapeAttr(ctx, "filter_shape", "HWIO", f); !s.ok()) return s;
  if (absl::Status s = CheckConvGradient(ctx, ctx.input(0).shape, f, ctx.input(1).shape); !s.ok())
    return s;
  return SpecList{TensorSpec(f, ctx.input(0).dtype)};
}

cpu::Window2D ConvGeometry(const Attrs& attrs, const Shape& x, const Shape& f) {
  return cpu::MakeWindow2D(x, f[0], f[1], f[3], IntsAt(attrs, 1).data(), IntsAt(attrs, 3).data(),
                           StringAt(attrs, 2) == "SAME");
}

absl::Status Conv2DBackpropInputKernel(KernelContext& ctx) {
  const Tensor& f = ctx.inputs[0];
  const Tensor& dy = ctx.inputs[1];
  Tensor& dx = ctx.outputs[0];
  cpu::Window2D g = ConvGeometry(ctx.attrs, dx.shape(), f.shape());
  if (f.dtype() == DType::kFloat64) {
    cpu::Conv2DBackpropInputLoop<double>(g, f.data<double>(), dy.data<double>(),
                                         dx.mutable_data<double>());
    return absl::OkStatus();
  }
  if (cpu::DnnlConvSupports(g))
    return cpu::DnnlConv2DBackpropInputF32(g, f.data<float>(), f.version(), dy.data<float>(),
                                           dx.mutable_data<float>());
  cpu::Conv2DBackpropInputLoop<float>(g, f.data<float>(), dy.data<float>(),
                                      dx.mutable_data<float>());  // empty dims
  return absl::OkStatus();
}

absl::Status Conv2DBackpropFilterKernel(KernelContext& ctx) {
  const Tensor& x = ctx.inputs[0];
  const Tensor& dy = ctx.inputs[1];
  Tensor& df = ctx.outputs[0];
  cpu::Window2D g = ConvGeometry(ctx.attrs, x.shape(), df.shape());
  if (x.dtype() == DType::kFloat64) {
    cpu::Conv2DBackpropFilterLoop<double>(g, x.data<double>(), dy.data<double>(),
                                          df.mutable_data<double>());
    return absl::OkStatus();
  }
  if (cpu::DnnlConvSupports(g))
    return cpu::DnnlConv2DBackpropFilterF32(g, x.data<float>(), dy.data<float>(),
                                            df.mutable_data<float>());
  cpu::Conv2DBackpropFilterLoop<float>(g, x.data<float>(), dy.data<float>(),
                                       df.mutable_data<float>());  // empty dims
  return absl::OkStatus();
}

// Both are linear in each input: the gradients are the other convolution ops.
std::vector<Tensor> Conv2DBackpropInputGrad(const GradContext& c) {
  const Tensor &f = c.inputs[0], &dy = c.inputs[1], &ddx = c.output_grads[0];
  auto s = PairAt(c.attrs, 1);
  const std::string& p = StringAt(c.attrs, 2);
  auto d = PairAt(c.attrs, 3);
  return {conv2d_backprop_filter(ddx, f.shape(), dy, s, p, d), conv2d(ddx, f, s, p, d)};
}

std::vector<Tensor> Conv2DBackpropFilterGrad(const GradContext& c) {
  const Tensor &x = c.inputs[0], &dy = c.inputs[1], &ddf = c.output_grads[0];
  auto s = PairAt(c.attrs, 1);
  const std::string& p = StringAt(c.attrs, 2);
  auto d = PairAt(c.attrs, 3);
  return {conv2d_backprop_input(x.shape(), ddf, dy, s, p, d), conv2d(x, ddf, s, p, d)};
}

// ---- max_pool2d_grad / max_pool2d_grad_grad / avg_pool2d_grad --------------------------------
// attrs: max pools [ksize, strides, padding]; avg_pool2d_grad [input_shape, ksize, strides,
// padding].

absl::StatusOr<Shape> PoolOutput(const InferContext& ctx, const Shape& x, int first_attr) {
  return Pool2DOutputShape(ctx.op, x, IntsAt(ctx.attrs, first_attr),
                           IntsAt(ctx.attrs, first_attr + 1), StringAt(ctx.attrs, first_attr + 2));
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
  if (absl::Status s = CheckFloats(ctx); !s.ok()) return s;
  const Shape& x = ctx.input(0).shape;
  absl::StatusOr<Shape> y = PoolOutput(ctx, x, 0);
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
  if (absl::Status s = CheckDType(ctx, 0, kFloats); !s.ok()) return s;
  const Shape& x = ShapeAt(ctx.attrs, 0);
  if (absl::Status s = CheckShapeAttr(ctx, "input_shape", "NHWC", x); !s.ok()) return s;
  absl::StatusOr<Shape> y = PoolOutput(ctx, x, 1);
  if (!y.ok()) return y.status();
  if (absl::Status s = ExpectShape(ctx, "dy", ctx.input(0).shape, *y, "avg_pool2d of input ", x);
      !s.ok())
    return s;
  return SpecList{TensorSpec(x, ctx.input(0).dtype)};
}

cpu::Window2D PoolGeometry(const Attrs& attrs, const Shape& x, int first_attr) {
  const Ints& ksize = IntsAt(attrs, first_attr);
  const int64_t dilations[2] = {1, 1};
  return cpu::MakeWindow2D(x, ksize[0], ksize[1], x[3], IntsAt(attrs, first_attr + 1).data(),
                           dilations, StringAt(attrs, first_attr + 2) == "SAME");
}

template <class T, bool kGradGrad>
void RunMaxPoolGrad(const cpu::Window2D& g, KernelContext& ctx) {
  const T* x = ctx.inputs[0].data<T>();
  const T* grad = ctx.inputs[2].data<T>();
  T* out = ctx.outputs[0].mutable_data<T>();
  if (kGradGrad)
    cpu::MaxPool2DGradGradLoop<T>(g, x, grad, out);
  else
    cpu::MaxPool2DGradLoop<T>(g, x, grad, out);
}

// max_pool2d_grad in float32 runs on oneDNN; max_pool2d_grad_grad (rare: second order only)
// on loops in every dtype.
template <bool kGradGrad>
absl::Status MaxPool2DGradKernel(KernelContext& ctx) {
  cpu::Window2D g = PoolGeometry(ctx.attrs, ctx.inputs[0].shape(), 0);
  if (ctx.inputs[0].dtype() == DType::kFloat64) {
    RunMaxPoolGrad<double, kGradGrad>(g, ctx);
    return absl::OkStatus();
  }
  if (!kGradGrad && cpu::DnnlPoolSupports(g))
    return cpu::DnnlMaxPool2DGradF32(g, ctx.inputs[0].data<float>(), ctx.inputs[2].data<float>(),
                                     ctx.outputs[0].mutable_data<float>());
  RunMaxPoolGrad<float, kGradGrad>(g, ctx);
  return absl::OkStatus();
}

absl::Status AvgPool2DGradKernel(KernelContext& ctx) {
  const Tensor& dy = ctx.inputs[0];
  Tensor& dx = ctx.outputs[0];
  cpu::Window2D g = PoolGeometry(ctx.attrs, dx.shape(), 1);
  if (dy.dtype() == DType::kFloat64) {
    cpu::AvgPool2DGradLoop<double>(g, dy.data<double>(), dx.mutable_data<double>());
    return absl::OkStatus();
  }
  if (cpu::DnnlPoolSupports(g))
    return cpu::DnnlAvgPool2DGradF32(g, dy.data<float>(), dx.mutable_data<float>());
  cpu::AvgPool2DGradLoop<float>(g, dy.data<float>(), dx.mutable_data<float>());  // empty dims
  return absl::OkStatus();
}

// max_pool2d_grad and max_pool2d_grad_grad are each other's adjoint in the gradient input and
// piecewise constant in x and y (no gradient there).
template <bool kGradGrad>
std::vector<Tensor> MaxPool2DGradGrad(const GradContext& c) {
  const Tensor &x = c.inputs[0], &y = c.inputs[1], &g = c.output_grads[0];
  auto k = PairAt(c.attrs, 0), s = PairAt(c.attrs, 1);
  const std::string& p = StringAt(c.attrs, 2);
  return {Tensor(), Tensor(),
          kGradGrad ? max_pool2d_grad(x, y, g, k, s, p) : max_pool2d_grad_grad(x, y, g, k, s, p)};
}

std::vector<Tensor> AvgPool2DGradGrad(const GradContext& c) {
  return {
      avg_pool2d(c.output_grads[0], PairAt(c.attrs, 1), PairAt(c.attrs, 2), StringAt(c.attrs, 3))};
}

// ---- registrations -------------------------------------------------------------------------

const OpDef& kConv2DBackpropInput =
    OpBuilder("conv2d_backprop_input")
        .Inputs({"filters", "dy"})
        .Outputs({"dx"})
        .Attr("input_shape", AttrKind::kShape)
        .Attr("strides", AttrKind::kInts)
        .Attr("padding", AttrKind::kString)
        .Attr("dilations", AttrKind::kInts)
        .Infer(InferConv2DBackpropInput)
        .Kernel(DeviceType::kCPU, kFloats, Conv2DBackpropInputKernel)
        .Gradient(Conv2DBackpropInputGrad)
        .Doc("conv2d's gradient w.r.t. its input (TF Conv2DBackpropInput)")
        .Build();
const OpDef& kConv2DBackpropFilter =
    OpBuilder("conv2d_backprop_filter")
        .Inputs({"input", "dy"})
        .Outputs({"dfilters"})
        .Attr("filter_shape", AttrKind::kShape)
        .Attr("strides", AttrKind::kInts)
        .Attr("padding", AttrKind::kString)
        .Attr("dilations", AttrKind::kInts)
        .Infer(InferConv2DBackpropFilter)
        .Kernel(DeviceType::kCPU, kFloats, Conv2DBackpropFilterKernel)
        .Gradient(Conv2DBackpropFilterGrad)
        .Doc("conv2d's gradient w.r.t. its filters (TF Conv2DBackpropFilter)")
        .Build();
const OpDef& kMaxPool2DGrad = OpBuilder("max_pool2d_grad")
                                  .Inputs({"input", "output", "dy"})
                                  .Outputs({"dx"})
                                  .Attr("ksize", AttrKind::kInts)
                                  .Attr("strides", AttrKind::kInts)
                                  .Attr("padding", AttrKind::kString)
                                  .Infer(InferMaxPool2DGrad<false>)
                                  .Kernel(DeviceType::kCPU, kFloats, MaxPool2DGradKernel<false>)
                                  .Gradient(MaxPool2DGradGrad<false>)
                                  .Doc(
                                      "max_pool2d's gradient: dy routed to each window's first "
                                      "maximum of input (TF MaxPoolGrad)")
                                  .Build();
const OpDef& kMaxPool2DGradGrad = OpBuilder("max_pool2d_grad_grad")
                                      .Inputs({"input", "output", "ddx"})
                                      .Outputs({"ddy"})
                                      .Attr("ksize", AttrKind::kInts)
                                      .Attr("strides", AttrKind::kInts)
                                      .Attr("padding", AttrKind::kString)
                                      .Infer(InferMaxPool2DGrad<true>)
                                      .Kernel(DeviceType::kCPU, kFloats, MaxPool2DGradKernel<true>)
                                      .Gradient(MaxPool2DGradGrad<true>)
                                      .Doc(
                                          "max_pool2d_grad's gradient w.r.t. dy: ddx at each "
                                          "window's argmax (TF MaxPoolGradGrad)")
                                      .Build();
const OpDef& kAvgPool2DGrad =
    OpBuilder("avg_pool2d_grad")
        .Inputs({"dy"})
        .Outputs({"dx"})
        .Attr("input_shape", AttrKind::kShape)
        .Attr("ksize", AttrKind::kInts)
        .Attr("strides", AttrKind::kInts)
        .Attr("padding", AttrKind::kString)
        .Infer(InferAvgPool2DGrad)
        .Kernel(DeviceType::kCPU, kFloats, AvgPool2DGradKernel)
        .Gradient(AvgPool2DGradGrad)
        .Doc("avg_pool2d's gradient: dy spread over each window's real inputs (TF AvgPoolGrad)")
        .Build();

}  // namespace

Tensor conv2d_backprop_input(const Shape& input_shape, const Tensor& filters, const Tensor& dy,
                             std::array<int, 2> strides, std::string padding,
                             std::array<int, 2> dilations, const Loc& loc) {
  return Call(kConv2DBackpropInput, {filters, dy},
              Attrs{AttrValue(input_shape), AttrValue(Ints2(strides)),
                    AttrValue(std::move(padding)), AttrValue(Ints2(dilations))},
              loc);
}
Tensor conv2d_backprop_filter(const Tensor& x, const Shape& filter_shape, const Tensor& dy,
                              std::array<int, 2> strides, std::string padding,
                              std::array<int, 2> dilations, const Loc& loc) {
  return Call(kConv2DBackpropFilter, {x, dy},
              Attrs{AttrValue(filter_shape), AttrValue(Ints2(strides)),
                    AttrValue(std::move(padding)), AttrValue(Ints2(dilations))},
              loc);
}
Tensor max_pool2d_grad(const Tensor& x, const Tensor& y, const Tensor& dy, std::array<int, 2> ksize,
                       std::array<int, 2> strides, std::string padding, const Loc& loc) {
  return Call(
      kMaxPool2DGrad, {x, y, dy},
      Attrs{AttrValue(Ints2(ksize)), AttrValue(Ints2(strides)), AttrValue(std::move(padding))},
      loc);
}
Tensor max_pool2d_grad_grad(const Tensor& x, const Tensor& y, const Tensor& ddx,
                            std::array<int, 2> ksize, std::array<int, 2> strides,
                            std::string padding, const Loc& loc) {
  return Call(
      kMaxPool2DGradGrad, {x, y, ddx},
      Attrs{AttrValue(Ints2(ksize)), AttrValue(Ints2(strides)), AttrValue(std::move(padding))},
      loc);
}
Tensor avg_pool2d_grad(const Shape& input_shape, const Tensor& dy, std::array<int, 2> ksize,
                       std::array<int, 2> strides, std::string padding, const Loc& loc) {
  return Call(kAvgPool2DGrad, {dy},
              Attrs{AttrValue(input_shape), AttrValue(Ints2(ksize)), AttrValue(Ints2(strides)),
                    AttrValue(std::move(padding))},
              loc);
}

}  // namespace duet
