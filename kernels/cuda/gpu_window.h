// Window kernels that cuDNN's legacy API cannot express, behind a plain C++ interface
// (window_kernels.cu, nvcc): NHWC zero padding (conv2d with TF's asymmetric SAME padding runs
// cuDNN on an explicitly padded input), and direct pooling for asymmetric padding, float64
// and max_pool2d_grad_grad. Pooling follows kernels/cpu/pool_loops.cc exactly: a window is
// clipped to the input (padding never wins a max and is not counted in a mean), the max's
// gradient goes to the window's first maximum in row-major order. The backward kernels gather
// (one thread per input element), so results are deterministic. float32 and float64.
// Example: LaunchPool2D(PoolKind::kMax, ElemType::kF32, g, x, y, stream);
#pragma once

#include <cstdint>

#include "kernels/cuda/cuda_handles.h"
#include "kernels/cuda/gpu_types.h"

namespace duet::cuda {

// One NHWC pooling window geometry (dilation 1), as kernels/cpu/window_geometry.h computes it.
struct PoolGeometry {
  int64_t batch = 0, in_h = 0, in_w = 0, channels = 0;
  int64_t k_h = 1, k_w = 1, stride_h = 1, stride_w = 1;
  int64_t out_h = 0, out_w = 0, pad_top = 0, pad_left = 0;
};

enum class PoolKind : uint8_t { kMax, kAvg };

// y (batch, out_h, out_w, channels) = the pool of x (batch, in_h, in_w, channels).
int LaunchPool2D(PoolKind kind, ElemType type, const PoolGeometry& g, const void* x, void* y,
                 cudaStream_t stream);
// dx (x's shape) = max_pool2d's gradient: each dy element added to its window's first max.
int LaunchMaxPool2DGrad(ElemType type, const PoolGeometry& g, const void* x, const void* dy,
                        void* dx, cudaStream_t stream);
// ddy (y's shape) = ddx at each window's first max (the gradient of max_pool2d_grad).
int LaunchMaxPool2DGradGrad(ElemType type, const PoolGeometry& g, const void* x, const void* ddx,
                            void* ddy, cudaStream_t stream);
// dx (x's shape) = avg_pool2d's gradient: dy / (window's real element count) over each window.
int LaunchAvgPool2DGrad(ElemType type, const PoolGeometry& g, const void* dy, void* dx,
                        cudaStream_t stream);

// y (n, h + top + bottom, w + left + right, c) = x (n, h, w, c) surrounded by zero bits.
int LaunchPadNHWC(int elem_size, const void* x, void* y, int64_t n, int64_t h, int64_t w, int64_t c,
                  int64_t top, int64_t bottom, int64_t left, int64_t right, cudaStream_t stream);

}  // namespace duet::cuda
