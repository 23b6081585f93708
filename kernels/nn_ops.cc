// Registrations and CPU kernels of the neural-network ops: softmax, log_softmax, conv2d,
// max_pool2d, avg_pool2d, and their gradient rules. Geometry (TF SAME/VALID arithmetic) lives
// in cpu/window_geometry.h and its validation in window_infer.h, shared with the gradient ops
// (nn_grad_ops.h) that the window ops' rules call.
#include "kernels/nn_ops.h"

#include "kernels/binary_ops.h"
#include "kernels/cpu/conv_loops.h"
#include "kernels/cpu/dnnl_conv.h"
#include "kernels/cpu/dnnl_pool.h"
#include "kernels/cpu/dnnl_softmax.h"
#include "kernels/cpu/pool_loops.h"
#include "kernels/cpu/softmax_loops.h"
#include "kernels/cpu/window_geometry.h"
#include "kernels/infer_helpers.h"
#include "kernels/nn_grad_ops.h"
#include "kernels/op_call.h"
#include "kernels/reduce_ops.h"
#include "kernels/unary_ops.h"
#include "kernels/window_infer.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

constexpr auto kFloats = {DType::kFloat32, DType::kFloat64};

// From this many elements oneDNN's JIT softmax (vectorized exp, ~10x the scalar loop) beats
// the plain loop despite its ~1us call cost (measured: 32x10 is the break-even point).
constexpr int64_t kDnnlSoftmaxMinElements = 512;

// ---- softmax / log_softmax ----------------------------------------------------------------

absl::StatusOr<SpecList> InferSoftmax(const InferContext& ctx) {
  if (absl::Status s = CheckDType(ctx, 0, kFloats); !s.ok()) return s;
  const Shape& x = ctx.input(0).shape;
  if (absl::StatusOr<int> axis =
          NormalizeAxis(ctx.op, std::get<int64_t>(ctx.attrs[0]), x.rank(), x);
      !axis.ok())
    return axis.status();
  return SpecList{ctx.input(0)};
}

template <bool kLog>
absl::Status SoftmaxKernel(KernelContext& ctx) {
  const Tensor& x = ctx.inputs[0];
  const Shape& shape = x.shape();
  int axis = *NormalizeAxis(ctx.op, std::get<int64_t>(ctx.attrs[0]), shape.rank(), shape);
  int64_t outer = 1, n = shape[axis], inner = 1;
  for (int i = 0; i < axis; ++i) outer *= shape[i];
  for (int i = axis + 1; i < shape.rank(); ++i) inner *= shape[i];
  if (x.dtype() == DType::kFloat64) {
    cpu::SoftmaxLoop<double>(x.data<double>(), ctx.outputs[0].mutable_data<double>(), outer, n,
                             inner, kLog);
    return absl::OkStatus();
  }
  if (inner == 1 && outer * n >= kDnnlSoftmaxMinElements)
    return cpu::DnnlSoftmaxF32(x.data<float>(), ctx.outputs[0].mutable_data<float>(), outer, n,
                               kLog);
  cpu::SoftmaxLoop<float>(x.data<float>(), ctx.outputs[0].mutable_data<float>(), outer, n, inner,
                          kLog);
  return absl::OkStatus();
}

// ---- conv2d -------------------------------------------------------------------------------

absl::StatusOr<SpecList> InferConv2D(const InferContext& ctx) {
  if (absl::Status s = CheckDType(ctx, 0, kFloats); !s.ok()) return s;
  if (absl::Status s = CheckSameDType(ctx); !s.ok()) return s;
  absl::StatusOr<Shape> y = Conv2DOutputShape(
      ctx.op, ctx.input(0).shape, ctx.input(1).shape, std::get<std::vector<int64_t>>(ctx.attrs[0]),
      std::get<std::string>(ctx.attrs[1]), std::get<std::vector<int64_t>>(ctx.attrs[2]));
  if (!y.ok()) return y.status();
  return SpecList{TensorSpec(*std::move(y), ctx.input(0).dtype)};
}

absl::Status Conv2DKernel(KernelContext& ctx) {
  const Tensor& x = ctx.inputs[0];
  const Tensor& f = ctx.inputs[1];
  const Shape& fs = f.shape();
  bool same = std::get<std::string>(ctx.attrs[1]) == "SAME";
  cpu::Window2D g = cpu::MakeWindow2D(x.shape(), fs[0], fs[1], fs[3],
                                      std::get<std::vector<int64_t>>(ctx.attrs[0]).data(),
                                      std::get<std::vector<int64_t>>(ctx.attrs[2]).data(), same);
  Tensor& out = ctx.outputs[0];
  if (x.dtype() == DType::kFloat64) {
    cpu::Conv2DLoop<double>(g, x.data<double>(), f.data<double>(), out.mutable_data<double>());
    return absl::OkStatus();
  }
  if (cpu::DnnlConvSupports(g))
    return cpu::DnnlConv2DF32(g, x.data<float>(), f.data<float>(), f.version(),
                              out.mutable_data<float>());
  cpu::Conv2DLoop<float>(g, x.data<float>(), f.data<float>(),
                         out.mutable_data<float>());  // empty dims
  return absl::OkStatus();
}

// ---- max_pool2d / avg_pool2d ---------------------------------------------------------------

absl::StatusOr<SpecList> InferPool2D(const InferContext& ctx) {
  if (absl::Status s = CheckDType(ctx, 0, kFloats); !s.ok()) return s;
  absl::StatusOr<Shape> y = Pool2DOutputShape(
      ctx.op, ctx.input(0).shape, std::get<std::vector<int64_t>>(ctx.attrs[0]),
      std::get<std::vector<int64_t>>(ctx.attrs[1]), std::get<std::string>(ctx.attrs[2]));
  if (!y.ok()) return y.status();
  return SpecList{TensorSpec(*std::move(y), ctx.input(0).dtype)};
}

template <bool kMax>
absl::Status Pool2DKernel(KernelContext& ctx) {
  const Tensor& x = ctx.inputs[0];
  const auto& ksize = std::get<std::vector<int64_t>>(ctx.attrs[0]);
  const int64_t dilations[2] = {1, 1};
  cpu::Window2D g = cpu::MakeWindow2D(x.shape(), ksize[0], ksize[1], x.shape()[3],
                                      std::get<std::vector<int64_t>>(ctx.attrs[1]).data(),
                                      dilations, std::get<std::string>(ctx.attrs[2]) == "SAME");
  Tensor& out = ctx.outputs[0];
  if (x.dtype() == DType::kFloat64) {
    cpu::Pool2DLoop<double>(g, kMax, x.data<double>(), out.mutable_data<double>());
    return absl::OkStatus();
  }
  if (cpu::DnnlPoolSupports(g))
    return cpu::DnnlPool2DF32(g, kMax, x.data<float>(), out.mutable_data<float>());
  cpu::Pool2DLoop<float>(g, kMax, x.data<float>(), out.mutable_data<float>());  // empty dims
  return absl::OkStatus();
}

// ---- gradient rules -------------------------------------------------------------------------
// y = output, dy = its incoming gradient. The window ops' gradients are ops of their own
// (nn_grad_ops.h), differentiable in turn.

std::array<int, 2> PairAt(const Attrs& attrs, int i) {
  const auto& v = std::get<std::vector<int64_t>>(attrs[i]);
  return {static_cast<int>(v[0]), static_cast<int>(v[1])};
}
const std::string& StringAt(const Attrs& attrs, int i) { return std::get<std::string>(attrs[i]); }
std::vector<int> AxisOf(const GradContext& c) {
  return {static_cast<int>(std::get<int64_t>(c.attrs[0]))};
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
  auto strides = PairAt(c.attrs, 0), dilations = PairAt(c.attrs, 2);
  const std::string& padding = StringAt(c.attrs, 1);
  return {
      c.needs(0) ? conv2d_backprop_input(x.shape(), f, dy, strides, padding, dilations) : Tensor(),
      c.needs(1) ? conv2d_backprop_filter(x, f.shape(), dy, strides, padding, dilations)
                 : Tensor()};
}

std::vector<Tensor> MaxPool2DGrad(const GradContext& c) {
  return {max_pool2d_grad(c.inputs[0], c.outputs[0], c.output_grads[0], PairAt(c.attrs, 0),
                          PairAt(c.attrs, 1), StringAt(c.attrs, 2))};
}

std::vector<Tensor> AvgPool2DGrad(const GradContext& c) {
  return {avg_pool2d_grad(c.inputs[0].shape(), c.output_grads[0], PairAt(c.attrs, 0),
                          PairAt(c.attrs, 1), StringAt(c.attrs, 2))};
}

// ---- registrations -------------------------------------------------------------------------

const OpDef& kSoftmax = OpBuilder("softmax")
                            .Inputs({"logits"})
                            .Outputs({"probabilities"})
                            .Attr("axis", AttrKind::kInt)
                            .Infer(InferSoftmax)
                            .Kernel(DeviceType::kCPU, kFloats, SoftmaxKernel<false>)
                            .Gradient(SoftmaxGrad)
                            .Doc("exp(x - max) / sum(exp(x - max)) along axis")
                            .Build();
const OpDef& kLogSoftmax = OpBuilder("log_softmax")
                               .Inputs({"logits"})
                               .Outputs({"log_probabilities"})
                               .Attr("axis", AttrKind::kInt)
                               .Infer(InferSoftmax)
                               .Kernel(DeviceType::kCPU, kFloats, SoftmaxKernel<true>)
                               .Gradient(LogSoftmaxGrad)
                               .Doc("x - max - log(sum(exp(x - max))) along axis")
                               .Build();
const OpDef& kConv2D = OpBuilder("conv2d")
                           .Inputs({"input", "filters"})
                           .Outputs({"output"})
                           .Attr("strides", AttrKind::kInts)
                           .Attr("padding", AttrKind::kString)
                           .Attr("dilations", AttrKind::kInts)
                           .Infer(InferConv2D)
                           .Kernel(DeviceType::kCPU, kFloats, Conv2DKernel)
                           .Gradient(Conv2DGrad)
                           .Doc("2-D convolution, NHWC input, HWIO filters, TF SAME/VALID padding")
                           .Build();
const OpDef& kMaxPool2D =
    OpBuilder("max_pool2d")
        .Inputs({"input"})
        .Outputs({"output"})
        .Attr("ksize", AttrKind::kInts)
        .Attr("strides", AttrKind::kInts)
        .Attr("padding", AttrKind::kString)
        .Infer(InferPool2D)
        .Kernel(DeviceType::kCPU, kFloats, Pool2DKernel<true>)
        .Gradient(MaxPool2DGrad)
        .Doc("2-D max pooling, NHWC, TF SAME/VALID padding (padding never wins)")
        .Build();
const OpDef& kAvgPool2D =
    OpBuilder("avg_pool2d")
        .Inputs({"input"})
        .Outputs({"output"})
        .Attr("ksize", AttrKind::kInts)
        .Attr("strides", AttrKind::kInts)
        .Attr("padding", AttrKind::kString)
        .Infer(InferPool2D)
        .Kernel(DeviceType::kCPU, kFloats, Pool2DKernel<false>)
        .Gradient(AvgPool2DGrad)
        .Doc("2-D average pooling, NHWC, TF SAME/VALID padding (padding excluded from the mean)")
        .Build();

std::vector<int64_t> Ints(std::array<int, 2> v) { return {v[0], v[1]}; }

}  // namespace

Tensor softmax(const Tensor& x, int axis, const Loc& loc) {
  return Call(kSoftmax, {x}, Attrs{AttrValue(int64_t{axis})}, loc);
}
Tensor log_softmax(const Tensor& x, int axis, const Loc& loc) {
  return Call(kLogSoftmax, {x}, Attrs{AttrValue(int64_t{axis})}, loc);
}
Tensor conv2d(const Tensor& x, const Tensor& filters, std::array<int, 2> strides,
              std::string padding, std::array<int, 2> dilations, const Loc& loc) {
  return Call(
      kConv2D, {x, filters},
      Attrs{AttrValue(Ints(strides)), AttrValue(std::move(padding)), AttrValue(Ints(dilations))},
      loc);
}
Tensor max_pool2d(const Tensor& x, std::array<int, 2> ksize, std::array<int, 2> strides,
                  std::string padding, const Loc& loc) {
  return Call(
      kMaxPool2D, {x},
      Attrs{AttrValue(Ints(ksize)), AttrValue(Ints(strides)), AttrValue(std::move(padding))}, loc);
}
Tensor avg_pool2d(const Tensor& x, std::array<int, 2> ksize, std::array<int, 2> strides,
                  std::string padding, const Loc& loc) {
  return Call(
      kAvgPool2D, {x},
      Attrs{AttrValue(Ints(ksize)), AttrValue(Ints(strides)), AttrValue(std::move(padding))}, loc);
}

}  // namespace duet
