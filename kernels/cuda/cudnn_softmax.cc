// Host-compiled (no nvcc): cudnn_softmax.h over cuDNN's softmax API.
#include "kernels/cuda/cudnn_softmax.h"

#include "kernels/cuda/cuda_context.h"
#include "kernels/cuda/cudnn_util.h"
#include "runtime/status_macros.h"

namespace duet::cuda {
namespace {

struct Softmax {
  cudnnHandle_t handle = nullptr;
  cudnnDataType_t type = CUDNN_DATA_FLOAT;
  TensorDescriptor desc;
  cudnnSoftmaxAlgorithm_t algo = CUDNN_SOFTMAX_ACCURATE;
  bool empty = false;
};

absl::Status Setup(int device, ElemType type, bool log, int64_t outer, int64_t n, int64_t inner,
                   Softmax& s) {
  if (type != ElemType::kF32 && type != ElemType::kF64)
    return absl::UnimplementedError("cuDNN softmax runs float32 and float64 only");
  s.empty = outer == 0 || n == 0 || inner == 0;
  if (s.empty) return absl::OkStatus();
  if (!FitsInt({outer, n, inner, outer * n * inner}))
    return absl::UnimplementedError("a softmax dimension exceeds cuDNN's int range");
  ASSIGN_OR_RETURN(s.handle, CudnnHandle(device));
  RETURN_IF_ERROR(s.desc.status());
  s.type = type == ElemType::kF32 ? CUDNN_DATA_FLOAT : CUDNN_DATA_DOUBLE;
  s.algo = log ? CUDNN_SOFTMAX_LOG : CUDNN_SOFTMAX_ACCURATE;
  return CudnnCheck(
      cudnnSetTensor4dDescriptor(s.desc.get(), CUDNN_TENSOR_NCHW, s.type, static_cast<int>(outer),
                                 static_cast<int>(n), static_cast<int>(inner), 1),
      "cudnnSetTensor4dDescriptor");
}

}  // namespace

absl::Status CudnnSoftmax(int device, ElemType type, bool log, const void* x, void* y,
                          int64_t outer, int64_t n, int64_t inner) {
  Softmax s;
  RETURN_IF_ERROR(Setup(device, type, log, outer, n, inner, s));
  if (s.empty) return absl::OkStatus();
  const double alpha_d = 1, beta_d = 0;  // cuDNN reads double scalars for double data
  const float alpha_f = 1, beta_f = 0;
  const void* alpha = type == ElemType::kF64 ? static_cast<const void*>(&alpha_d) : &alpha_f;
  const void* beta = type == ElemType::kF64 ? static_cast<const void*>(&beta_d) : &beta_f;
  return CudnnCheck(cudnnSoftmaxForward(s.handle, s.algo, CUDNN_SOFTMAX_MODE_CHANNEL, alpha,
                                        s.desc.get(), x, beta, s.desc.get(), y),
                    "cudnnSoftmaxForward");
}

absl::Status CudnnSoftmaxBackward(int device, ElemType type, bool log, const void* y,
                                  const void* dy, void* dx, int64_t outer, int64_t n,
                                  int64_t inner) {
  Softmax s;
  RETURN_IF_ERROR(Setup(device, type, log, outer, n, inner, s));
  if (s.empty) return absl::OkStatus();
  const double alpha_d = 1, beta_d = 0;
  const float alpha_f = 1, beta_f = 0;
  const void* alpha = type == ElemType::kF64 ? static_cast<const void*>(&alpha_d) : &alpha_f;
  const void* beta = type == ElemType::kF64 ? static_cast<const void*>(&beta_d) : &beta_f;
  return CudnnCheck(cudnnSoftmaxBackward(s.handle, s.algo, CUDNN_SOFTMAX_MODE_CHANNEL, alpha,
                                         s.desc.get(), y, s.desc.get(), dy, beta, s.desc.get(), dx),
                    "cudnnSoftmaxBackward");
}

}  // namespace duet::cuda
