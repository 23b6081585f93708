// float32 NHWC max/average pooling through a cached oneDNN pooling_v2 primitive, reading and
// writing the user's buffers in place. Average pooling uses pooling_avg_exclude_padding (TF's
// SAME semantics); max pooling never sees the padding. Cached by geometry and kind. The
// gradients are pooling_v2_backward primitives (a forward_training primitive_desc is their
// hint). Max pooling's needs the argmax: a forward_training run recomputes it into a workspace
// (thread buffers, as the pooled values it also writes), as TF's oneDNN MaxPoolGrad does.
// Example: absl::Status s = DnnlPool2DF32(g, /*max=*/false, x.data<float>(),
// out.mutable_data<float>());
#pragma once

#include "absl/status/status.h"
#include "kernels/cpu/window_geometry.h"

namespace duet::cpu {

bool DnnlPoolSupports(const Window2D& g);

absl::Status DnnlPool2DF32(const Window2D& g, bool max, const float* x, float* out);

// dx (g's input) from dy (g's output) of average pooling. Requires DnnlPoolSupports(g).
absl::Status DnnlAvgPool2DGradF32(const Window2D& g, const float* dy, float* dx);

// dx (g's input) from x and dy (g's output) of max pooling: each dy goes to its window's first
// maximum. Requires DnnlPoolSupports(g).
absl::Status DnnlMaxPool2DGradF32(const Window2D& g, const float* x, const float* dy, float* dx);

}  // namespace duet::cpu
