// Host-compiled (no nvcc): cudnn_pool.h over the cuDNN 9 legacy pooling API.
#include "kernels/cuda/cudnn_pool.h"

#include "kernels/cuda/cuda_allocator.h"
#include "kernels/cuda/cuda_context.h"
#include "kernels/cuda/cudnn_util.h"
#include "runtime/status_macros.h"

namespace duet::cuda {
namespace {

struct Pool {
  cudnnHandle_t handle = nullptr;
  TensorDescriptor x, y;
  PoolingDescriptor pool;
};

absl::Status Setup(int device, const cpu::Window2D& g, bool max, Pool& p) {
  if (!CudnnPoolSupports(g))
    return absl::InternalError("cuDNN pooling needs symmetric padding (use the direct kernels)");
  ASSIGN_OR_RETURN(p.handle, CudnnHandle(device));
  RETURN_IF_ERROR(p.x.status());
  RETURN_IF_ERROR(p.y.status());
  RETURN_IF_ERROR(p.pool.status());
  RETURN_IF_ERROR(SetNhwc(p.x, CUDNN_DATA_FLOAT, g.batch, g.in_c, g.in_h, g.in_w));
  RETURN_IF_ERROR(SetNhwc(p.y, CUDNN_DATA_FLOAT, g.batch, g.in_c, g.out_h, g.out_w));
  RETURN_IF_ERROR(CudnnCheck(
      cudnnSetPooling2dDescriptor(
          p.pool.get(), max ? CUDNN_POOLING_MAX : CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING,
          CUDNN_NOT_PROPAGATE_NAN, static_cast<int>(g.k_h), static_cast<int>(g.k_w),
          static_cast<int>(g.pad_top), static_cast<int>(g.pad_left), static_cast<int>(g.stride_h),
          static_cast<int>(g.stride_w)),
      "cudnnSetPooling2dDescriptor"));
  int n = 0, c = 0, h = 0, w = 0;  // symmetric TF padding gives cuDNN's sizes; checked anyway
  RETURN_IF_ERROR(
      CudnnCheck(cudnnGetPooling2dForwardOutputDim(p.pool.get(), p.x.get(), &n, &c, &h, &w),
                 "cudnnGetPooling2dForwardOutputDim"));
  if (n != g.batch || c != g.in_c || h != g.out_h || w != g.out_w)
    return absl::InternalError(absl::StrCat("cuDNN pools to (", n, ", ", h, ", ", w, ", ", c,
                                            "); TF's padding gives (", g.batch, ", ", g.out_h, ", ",
                                            g.out_w, ", ", g.in_c, ")"));
  return absl::OkStatus();
}

}  // namespace

bool CudnnPoolSupports(const cpu::Window2D& g) {
  return g.pad_top == g.pad_bottom && g.pad_left == g.pad_right && g.dil_h == 1 && g.dil_w == 1 &&
         g.batch > 0 && g.in_c > 0 && g.out_h > 0 && g.out_w > 0 &&
         FitsInt({g.k_h, g.k_w, g.pad_top, g.pad_left, g.stride_h, g.stride_w});
}

absl::Status CudnnPool2D(int device, const cpu::Window2D& g, bool max, const float* x, float* y) {
  Pool p;
  RETURN_IF_ERROR(Setup(device, g, max, p));
  const float alpha = 1.f, beta = 0.f;
  return CudnnCheck(
      cudnnPoolingForward(p.handle, p.pool.get(), &alpha, p.x.get(), x, &beta, p.y.get(), y),
      "cudnnPoolingForward");
}

absl::Status CudnnMaxPool2DGrad(int device, const cpu::Window2D& g, const float* x, const float* y,
                                const float* dy, float* dx) {
  Pool p;
  RETURN_IF_ERROR(Setup(device, g, /*max=*/true, p));
  const float alpha = 1.f, beta = 0.f;
  return CudnnCheck(cudnnPoolingBackward(p.handle, p.pool.get(), &alpha, p.y.get(), y, p.y.get(),
                                         dy, p.x.get(), x, &beta, p.x.get(), dx),
                    "cudnnPoolingBackward");
}

absl::Status CudnnAvgPool2DGrad(int device, const cpu::Window2D& g, const float* dy, float* dx) {
  Pool p;
  RETURN_IF_ERROR(Setup(device, g, /*max=*/false, p));
  // Average pooling's gradient reads neither x nor y, but the API takes both: y is given dy
  // (same shape), x an uninitialized buffer of the input's size (as TensorFlow does).
  ScratchBuffer x(device, static_cast<size_t>(g.in_elements()) * sizeof(float));
  if (!x.ok()) return absl::ResourceExhaustedError("out of GPU memory (avg_pool2d_grad)");
  const float alpha = 1.f, beta = 0.f;
  return CudnnCheck(cudnnPoolingBackward(p.handle, p.pool.get(), &alpha, p.y.get(), dy, p.y.get(),
                                         dy, p.x.get(), x.get(), &beta, p.x.get(), dx),
                    "cudnnPoolingBackward");
}

}  // namespace duet::cuda
