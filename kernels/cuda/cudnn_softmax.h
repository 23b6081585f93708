// softmax and log_softmax along any axis on cuDNN (cudnnSoftmaxForward/Backward,
// CUDNN_SOFTMAX_ACCURATE / CUDNN_SOFTMAX_LOG): the input viewed as (outer, n, inner) is an NCHW
// tensor (outer, n, inner, 1) normalized over its channels. float32 and float64. Work is
// queued on this thread's stream; callers synchronize.
// Example: RETURN_IF_ERROR(CudnnSoftmax(device, ElemType::kF32, /*log=*/false, x, y, rows, n, 1));
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "kernels/cuda/gpu_types.h"

namespace duet::cuda {

// y = softmax (log_softmax with `log`) of x over n, for each of the outer * inner positions.
absl::Status CudnnSoftmax(int device, ElemType type, bool log, const void* x, void* y,
                          int64_t outer, int64_t n, int64_t inner);
// dx = the gradient of that softmax at its output y, given dy.
absl::Status CudnnSoftmaxBackward(int device, ElemType type, bool log, const void* y,
                                  const void* dy, void* dx, int64_t outer, int64_t n,
                                  int64_t inner);

}  // namespace duet::cuda
