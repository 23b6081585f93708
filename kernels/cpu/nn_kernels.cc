// CPU kernels of the nn ops (kernels/nn_ops.cc), registered against the ops by name.
#include <algorithm>
#include <cstring>

#include "kernels/cpu/conv_loops.h"
#include "kernels/cpu/dnnl_conv.h"
#include "kernels/cpu/dnnl_pool.h"
#include "kernels/cpu/dnnl_softmax.h"
#include "kernels/cpu/pool_loops.h"
#include "kernels/cpu/softmax_loops.h"
#include "kernels/cpu/window_geometry.h"
#include "kernels/infer_helpers.h"
#include "runtime/op_registry.h"

namespace duet {
namespace {

// From this many elements oneDNN's JIT softmax (vectorized exp, ~10x the scalar loop) beats
// the plain loop despite its ~1us call cost (measured: 32x10 is the break-even point).
constexpr int64_t kDnnlSoftmaxMinElements = 512;

template <bool kLog>
absl::Status SoftmaxKernel(KernelContext& ctx) {
  const Tensor& x = ctx.inputs[0];
  const Shape& shape = x.shape();
  int axis = *NormalizeAxis(ctx.op, ctx.attr<int64_t>("axis"), shape.rank(), shape);
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

absl::Status Conv2DKernel(KernelContext& ctx) {
  const Tensor& x = ctx.inputs[0];
  const Tensor& f = ctx.inputs[1];
  const Shape& fs = f.shape();
  bool same = ctx.attr<std::string>("padding") == "SAME";
  cpu::Window2D g =
      cpu::MakeWindow2D(x.shape(), fs[0], fs[1], fs[3], ctx.attr<Ints>("strides").data(),
                        ctx.attr<Ints>("dilations").data(), same);
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

template <bool kMax>
absl::Status Pool2DKernel(KernelContext& ctx) {
  const Tensor& x = ctx.inputs[0];
  const Ints& ksize = ctx.attr<Ints>("ksize");
  const int64_t dilations[2] = {1, 1};
  cpu::Window2D g = cpu::MakeWindow2D(x.shape(), ksize[0], ksize[1], x.shape()[3],
                                      ctx.attr<Ints>("strides").data(), dilations,
                                      ctx.attr<std::string>("padding") == "SAME");
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

}  // namespace

DUET_REGISTER_KERNEL("softmax", DeviceType::kCPU, kFloatDTypes, SoftmaxKernel<false>);
DUET_REGISTER_KERNEL("log_softmax", DeviceType::kCPU, kFloatDTypes, SoftmaxKernel<true>);
DUET_REGISTER_KERNEL("conv2d", DeviceType::kCPU, kFloatDTypes, Conv2DKernel);
DUET_REGISTER_KERNEL("max_pool2d", DeviceType::kCPU, kFloatDTypes, Pool2DKernel<true>);
DUET_REGISTER_KERNEL("avg_pool2d", DeviceType::kCPU, kFloatDTypes, Pool2DKernel<false>);

}  // namespace duet
