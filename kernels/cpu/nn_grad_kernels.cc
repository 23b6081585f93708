// CPU kernels of the nn grad ops (kernels/nn_grad_ops.cc), registered against the ops by name.
#include <algorithm>
#include <cstring>

#include "kernels/cpu/conv_loops.h"
#include "kernels/cpu/dnnl_conv.h"
#include "kernels/cpu/dnnl_conv_backward.h"
#include "kernels/cpu/dnnl_pool.h"
#include "kernels/cpu/pool_loops.h"
#include "kernels/cpu/window_geometry.h"
#include "kernels/infer_helpers.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

const std::string& Padding(const KernelContext& ctx) { return ctx.attr<std::string>("padding"); }

cpu::Window2D ConvGeometry(const KernelContext& ctx, const Shape& x, const Shape& f) {
  return cpu::MakeWindow2D(x, f[0], f[1], f[3], ctx.attr<Ints>("strides").data(),
                           ctx.attr<Ints>("dilations").data(), Padding(ctx) == "SAME");
}

absl::Status Conv2DBackpropInputKernel(KernelContext& ctx) {
  const Tensor& f = ctx.inputs[0];
  const Tensor& dy = ctx.inputs[1];
  Tensor& dx = ctx.outputs[0];
  cpu::Window2D g = ConvGeometry(ctx, dx.shape(), f.shape());
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
  cpu::Window2D g = ConvGeometry(ctx, x.shape(), df.shape());
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

cpu::Window2D PoolGeometry(const KernelContext& ctx, const Shape& x) {
  const Ints& ksize = ctx.attr<Ints>("ksize");
  const int64_t dilations[2] = {1, 1};
  return cpu::MakeWindow2D(x, ksize[0], ksize[1], x[3], ctx.attr<Ints>("strides").data(), dilations,
                           Padding(ctx) == "SAME");
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
  cpu::Window2D g = PoolGeometry(ctx, ctx.inputs[0].shape());
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
  cpu::Window2D g = PoolGeometry(ctx, dx.shape());
  if (dy.dtype() == DType::kFloat64) {
    cpu::AvgPool2DGradLoop<double>(g, dy.data<double>(), dx.mutable_data<double>());
    return absl::OkStatus();
  }
  if (cpu::DnnlPoolSupports(g))
    return cpu::DnnlAvgPool2DGradF32(g, dy.data<float>(), dx.mutable_data<float>());
  cpu::AvgPool2DGradLoop<float>(g, dy.data<float>(), dx.mutable_data<float>());  // empty dims
  return absl::OkStatus();
}

}  // namespace

DUET_REGISTER_KERNEL("conv2d_backprop_input", DeviceType::kCPU, kFloatDTypes,
                     Conv2DBackpropInputKernel);
DUET_REGISTER_KERNEL("conv2d_backprop_filter", DeviceType::kCPU, kFloatDTypes,
                     Conv2DBackpropFilterKernel);
DUET_REGISTER_KERNEL("max_pool2d_grad", DeviceType::kCPU, kFloatDTypes, MaxPool2DGradKernel<false>);
DUET_REGISTER_KERNEL("max_pool2d_grad_grad", DeviceType::kCPU, kFloatDTypes,
                     MaxPool2DGradKernel<true>);
DUET_REGISTER_KERNEL("avg_pool2d_grad", DeviceType::kCPU, kFloatDTypes, AvgPool2DGradKernel);

}  // namespace duet
