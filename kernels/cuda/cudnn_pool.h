// max/avg pooling and their gradients on cuDNN's legacy API (cudnnPoolingForward/Backward),
// float32 NHWC, for the windows it can express: symmetric padding (VALID, and TF SAME when
// the padding splits evenly). Max pooling ignores NaN (CUDNN_NOT_PROPAGATE_NAN: "padding and
// NaN never win", as the CPU loop); average pooling excludes the padding from the count.
// Other windows run the direct kernels of gpu_window.h (the kernel registration chooses).
// cuDNN's max-pool gradient picks its own element among tied maxima; the CPU and the direct
// kernel pick the window's first. Work is queued on this thread's stream; callers synchronize.
// Example: if (CudnnPoolSupports(g)) RETURN_IF_ERROR(CudnnPool2D(device, g, true, x, y));
#pragma once

#include "absl/status/status.h"
#include "kernels/cpu/window_geometry.h"

namespace duet::cuda {

// Symmetric padding, dilation 1, non-empty, and every size in cuDNN's int range.
bool CudnnPoolSupports(const cpu::Window2D& g);

// y (batch, out_h, out_w, c) = pool of x (batch, in_h, in_w, c).
absl::Status CudnnPool2D(int device, const cpu::Window2D& g, bool max, const float* x, float* y);
// dx (x's shape) = the gradient of max pooling, from x, its output y and dy.
absl::Status CudnnMaxPool2DGrad(int device, const cpu::Window2D& g, const float* x, const float* y,
                                const float* dy, float* dx);
// dx (x's shape) = the gradient of average pooling, from dy alone.
absl::Status CudnnAvgPool2DGrad(int device, const cpu::Window2D& g, const float* dy, float* dx);

}  // namespace duet::cuda
