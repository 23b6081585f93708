// conv2d and its two gradients on cuDNN's legacy API (cudnnConvolutionForward /
// BackwardData / BackwardFilter), float32, NHWC activations, HWIO filters, TF SAME/VALID
// padding and any strides and dilations (kernels/cpu/window_geometry.h's Window2D). The legacy
// descriptors take one padding per dim, so TF's asymmetric SAME padding (the extra pixel after)
// runs on an explicitly zero-padded copy of the input (backward data: on a padded gradient,
// then cropped). cuDNN's NHWC filters are OHWI: filters are transposed in and out. The
// algorithm is cuDNN's first heuristic choice (cudnnGet*Algorithm_v7) that runs, its
// workspace from the caching allocator; the math type is CUDNN_FMA_MATH (no TF32). Work is
// queued on this thread's stream; callers synchronize.
// Example: RETURN_IF_ERROR(CudnnConv2D(device, g, x, filters, y));
#pragma once

#include "absl/status/status.h"
#include "kernels/cpu/window_geometry.h"

namespace duet::cuda {

// y (batch, out_h, out_w, out_c) = conv2d(x (batch, in_h, in_w, in_c), f (k_h, k_w, in_c, out_c)).
absl::Status CudnnConv2D(int device, const cpu::Window2D& g, const float* x, const float* f,
                         float* y);
// dx (x's shape) = conv2d's gradient w.r.t. its input, from f and dy (y's shape).
absl::Status CudnnConv2DBackpropInput(int device, const cpu::Window2D& g, const float* f,
                                      const float* dy, float* dx);
// df (f's shape) = conv2d's gradient w.r.t. its filters, from x and dy.
absl::Status CudnnConv2DBackpropFilter(int device, const cpu::Window2D& g, const float* x,
                                       const float* dy, float* df);

}  // namespace duet::cuda
