// float32 NHWC x HWIO 2-D convolution through a cached oneDNN convolution primitive.
// The input and output are read and written in place (nhwc format tag). The weights are
// declared `any`: oneDNN then picks its blocked direct kernels (about 2.5x faster than the
// gemm fallback it must use for plain hwio weights), and the user's HWIO filters are reordered
// per call into a reused thread buffer -- a cost proportional to the (small) filter only.
// Primitives (and the weight reorder) are cached by the full Window2D geometry.
// Example: absl::Status s = DnnlConv2DF32(g, x.data<float>(), f.data<float>(), out.mutable_data<float>());
#pragma once

#include "absl/status/status.h"
#include "kernels/cpu/window_geometry.h"

namespace duet::cpu {

// Whether oneDNN can take this geometry (no empty dims).
bool DnnlConvSupports(const Window2D& g);

absl::Status DnnlConv2DF32(const Window2D& g, const float* x, const float* filters, float* out);

}  // namespace duet::cpu
