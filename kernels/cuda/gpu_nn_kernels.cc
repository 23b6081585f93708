// GPU kernels of the nn ops and their gradient ops (kernels/nn_ops.cc, nn_grad_ops.cc), with
// attributes read as the CPU kernels read them (kernels/cpu/nn_kernels.cc, nn_grad_kernels.cc):
//   conv2d, conv2d_backprop_input, conv2d_backprop_filter: cuDNN (cudnn_conv.h), float32.
//   max_pool2d, avg_pool2d and their gradients: cuDNN for float32 windows with symmetric
//     padding (cudnn_pool.h); the direct kernels (gpu_window.h) for asymmetric SAME padding
//     and float64; max_pool2d_grad_grad always direct.
//   softmax, log_softmax: cuDNN along any axis (cudnn_softmax.h), float32 and float64.
#include <cstdint>
#include <string>

#include "kernels/cpu/window_geometry.h"
#include "kernels/cuda/cudnn_conv.h"
#include "kernels/cuda/cudnn_pool.h"
#include "kernels/cuda/cudnn_softmax.h"
#include "kernels/cuda/gpu_kernel_util.h"
#include "kernels/cuda/gpu_window.h"
#include "kernels/infer_helpers.h"
#include "runtime/op_registry.h"
#include "runtime/status_macros.h"

namespace duet::cuda {
namespace {

bool Same(const KernelContext& ctx) { return ctx.attr<std::string>("padding") == "SAME"; }

cpu::Window2D ConvGeometry(const KernelContext& ctx, const Shape& x, const Shape& f) {
  return cpu::MakeWindow2D(x, f[0], f[1], f[3], ctx.attr<Ints>("strides").data(),
                           ctx.attr<Ints>("dilations").data(), Same(ctx));
}

cpu::Window2D PoolGeometryOf(const KernelContext& ctx, const Shape& x) {
  const Ints& ksize = ctx.attr<Ints>("ksize");
  const int64_t dilations[2] = {1, 1};
  return cpu::MakeWindow2D(x, ksize[0], ksize[1], x[3], ctx.attr<Ints>("strides").data(), dilations,
                           Same(ctx));
}

PoolGeometry Direct(const cpu::Window2D& g) {
  PoolGeometry p;
  p.batch = g.batch, p.in_h = g.in_h, p.in_w = g.in_w, p.channels = g.in_c;
  p.k_h = g.k_h, p.k_w = g.k_w, p.stride_h = g.stride_h, p.stride_w = g.stride_w;
  p.out_h = g.out_h, p.out_w = g.out_w, p.pad_top = g.pad_top, p.pad_left = g.pad_left;
  return p;
}

const float* F32(const Tensor& t) { return t.data<float>(); }
float* F32(Tensor& t) { return t.mutable_data<float>(); }

// An empty operand (zero batch, channels or spatial size) leaves nothing to compute: the
// output is empty, or all zeros (a sum over nothing).
absl::Status ZeroIfEmpty(const GpuCall& call, Tensor& out, std::initializer_list<const Tensor*> in,
                         bool* done) {
  *done = out.num_elements() == 0;
  for (const Tensor* t : in) *done = *done || t->num_elements() == 0;
  if (!*done || out.num_elements() == 0) return absl::OkStatus();
  RETURN_IF_ERROR(call.Zero(out.mutable_raw_data(), out.num_bytes()));
  return call.Finish();
}

absl::Status Conv2DKernel(KernelContext& ctx) {
  GpuCall call(ctx);
  RETURN_IF_ERROR(call.status());
  const Tensor& x = ctx.inputs[0];
  const Tensor& f = ctx.inputs[1];
  Tensor& y = ctx.outputs[0];
  bool done = false;
  RETURN_IF_ERROR(ZeroIfEmpty(call, y, {&x, &f}, &done));
  if (done) return absl::OkStatus();
  const cpu::Window2D g = ConvGeometry(ctx, x.shape(), f.shape());
  RETURN_IF_ERROR(call.Wrap(CudnnConv2D(call.device(), g, F32(x), F32(f), F32(y))));
  return call.Finish();
}

absl::Status Conv2DBackpropInputKernel(KernelContext& ctx) {
  GpuCall call(ctx);
  RETURN_IF_ERROR(call.status());
  const Tensor& f = ctx.inputs[0];
  const Tensor& dy = ctx.inputs[1];
  Tensor& dx = ctx.outputs[0];
  bool done = false;
  RETURN_IF_ERROR(ZeroIfEmpty(call, dx, {&f, &dy}, &done));
  if (done) return absl::OkStatus();
  const cpu::Window2D g = ConvGeometry(ctx, dx.shape(), f.shape());
  RETURN_IF_ERROR(call.Wrap(CudnnConv2DBackpropInput(call.device(), g, F32(f), F32(dy), F32(dx))));
  return call.Finish();
}

absl::Status Conv2DBackpropFilterKernel(KernelContext& ctx) {
  GpuCall call(ctx);
  RETURN_IF_ERROR(call.status());
  const Tensor& x = ctx.inputs[0];
  const Tensor& dy = ctx.inputs[1];
  Tensor& df = ctx.outputs[0];
  bool done = false;
  RETURN_IF_ERROR(ZeroIfEmpty(call, df, {&x, &dy}, &done));
  if (done) return absl::OkStatus();
  const cpu::Window2D g = ConvGeometry(ctx, x.shape(), df.shape());
  RETURN_IF_ERROR(call.Wrap(CudnnConv2DBackpropFilter(call.device(), g, F32(x), F32(dy), F32(df))));
  return call.Finish();
}

bool UseCudnn(const Tensor& t, const cpu::Window2D& g) {
  return t.dtype() == DType::kFloat32 && CudnnPoolSupports(g);
}

template <bool kMax>
absl::Status Pool2DKernel(KernelContext& ctx) {
  GpuCall call(ctx);
  RETURN_IF_ERROR(call.status());
  const Tensor& x = ctx.inputs[0];
  Tensor& y = ctx.outputs[0];
  if (y.num_elements() == 0) return absl::OkStatus();
  const cpu::Window2D g = PoolGeometryOf(ctx, x.shape());
  if (UseCudnn(x, g)) {
    RETURN_IF_ERROR(call.Wrap(CudnnPool2D(call.device(), g, kMax, F32(x), F32(y))));
  } else {
    RETURN_IF_ERROR(
        call.Launched(LaunchPool2D(kMax ? PoolKind::kMax : PoolKind::kAvg, ElemOf(x), Direct(g),
                                   x.raw_data(), y.mutable_raw_data(), call.stream())));
  }
  return call.Finish();
}

absl::Status MaxPool2DGradKernel(KernelContext& ctx) {
  GpuCall call(ctx);
  RETURN_IF_ERROR(call.status());
  const Tensor& x = ctx.inputs[0];
  const Tensor& y = ctx.inputs[1];
  const Tensor& dy = ctx.inputs[2];
  Tensor& dx = ctx.outputs[0];
  if (dx.num_elements() == 0) return absl::OkStatus();
  const cpu::Window2D g = PoolGeometryOf(ctx, x.shape());
  if (UseCudnn(x, g)) {
    RETURN_IF_ERROR(
        call.Wrap(CudnnMaxPool2DGrad(call.device(), g, F32(x), F32(y), F32(dy), F32(dx))));
  } else {
    RETURN_IF_ERROR(call.Launched(LaunchMaxPool2DGrad(
        ElemOf(x), Direct(g), x.raw_data(), dy.raw_data(), dx.mutable_raw_data(), call.stream())));
  }
  return call.Finish();
}

absl::Status MaxPool2DGradGradKernel(KernelContext& ctx) {
  GpuCall call(ctx);
  RETURN_IF_ERROR(call.status());
  const Tensor& x = ctx.inputs[0];
  const Tensor& ddx = ctx.inputs[2];
  Tensor& ddy = ctx.outputs[0];
  if (ddy.num_elements() == 0) return absl::OkStatus();
  const cpu::Window2D g = PoolGeometryOf(ctx, x.shape());
  RETURN_IF_ERROR(call.Launched(LaunchMaxPool2DGradGrad(
      ElemOf(x), Direct(g), x.raw_data(), ddx.raw_data(), ddy.mutable_raw_data(), call.stream())));
  return call.Finish();
}

absl::Status AvgPool2DGradKernel(KernelContext& ctx) {
  GpuCall call(ctx);
  RETURN_IF_ERROR(call.status());
  const Tensor& dy = ctx.inputs[0];
  Tensor& dx = ctx.outputs[0];
  if (dx.num_elements() == 0) return absl::OkStatus();
  const cpu::Window2D g = PoolGeometryOf(ctx, dx.shape());
  if (UseCudnn(dy, g)) {
    RETURN_IF_ERROR(call.Wrap(CudnnAvgPool2DGrad(call.device(), g, F32(dy), F32(dx))));
  } else {
    RETURN_IF_ERROR(call.Launched(LaunchAvgPool2DGrad(ElemOf(dy), Direct(g), dy.raw_data(),
                                                      dx.mutable_raw_data(), call.stream())));
  }
  return call.Finish();
}

template <bool kLog>
absl::Status SoftmaxKernel(KernelContext& ctx) {
  GpuCall call(ctx);
  RETURN_IF_ERROR(call.status());
  const Tensor& x = ctx.inputs[0];
  const Shape& shape = x.shape();
  ASSIGN_OR_RETURN(int axis, NormalizeAxis(ctx.op, ctx.attr<int64_t>("axis"), shape.rank(), shape));
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; ++i) outer *= shape[i];
  for (int i = axis + 1; i < shape.rank(); ++i) inner *= shape[i];
  RETURN_IF_ERROR(
      call.Wrap(CudnnSoftmax(call.device(), ElemOf(x), kLog, x.raw_data(),
                             ctx.outputs[0].mutable_raw_data(), outer, shape[axis], inner)));
  return call.Finish();
}

constexpr DeviceType kGPU = DeviceType::kGPU;
constexpr DTypeSet kF32{DType::kFloat32};

}  // namespace

DUET_REGISTER_KERNEL("conv2d", kGPU, kF32, Conv2DKernel);
DUET_REGISTER_KERNEL("conv2d_backprop_input", kGPU, kF32, Conv2DBackpropInputKernel);
DUET_REGISTER_KERNEL("conv2d_backprop_filter", kGPU, kF32, Conv2DBackpropFilterKernel);
DUET_REGISTER_KERNEL("max_pool2d", kGPU, kFloatDTypes, Pool2DKernel<true>);
DUET_REGISTER_KERNEL("avg_pool2d", kGPU, kFloatDTypes, Pool2DKernel<false>);
DUET_REGISTER_KERNEL("max_pool2d_grad", kGPU, kFloatDTypes, MaxPool2DGradKernel);
DUET_REGISTER_KERNEL("max_pool2d_grad_grad", kGPU, kFloatDTypes, MaxPool2DGradGradKernel);
DUET_REGISTER_KERNEL("avg_pool2d_grad", kGPU, kFloatDTypes, AvgPool2DGradKernel);
DUET_REGISTER_KERNEL("softmax", kGPU, kFloatDTypes, SoftmaxKernel<false>);
DUET_REGISTER_KERNEL("log_softmax", kGPU, kFloatDTypes, SoftmaxKernel<true>);

}  // namespace duet::cuda
