// float32 NHWC x HWIO 2-D convolution through a cached oneDNN convolution primitive.
// The input and output are read and written in place (nhwc format tag). The weights are
// declared `any`: oneDNN then picks its blocked direct kernels (about 2.5x faster than the
// gemm fallback it must use for plain hwio weights), and the user's HWIO filters are reordered
// once per filter version (Tensor::version) into a cached buffer (dnnl_weights_cache.h).
// Primitives (and the weight reorder) are cached by the full Window2D geometry (and the
// epilogue: post-ops as in dnnl_epilogue.h; Unimplemented when oneDNN cannot fuse it).
// Example:
//   absl::Status s = DnnlConv2DF32(g, x.data<float>(), f.data<float>(), f.version(),
//   out.mutable_data<float>());
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "kernels/cpu/dnnl_epilogue.h"
#include "kernels/cpu/primitive_cache.h"
#include "kernels/cpu/window_geometry.h"

namespace duet::cpu {

// Whether oneDNN can take this geometry (no empty dims).
bool DnnlConvSupports(const Window2D& g);

absl::Status DnnlConv2DF32(const Window2D& g, const float* x, const float* filters,
                           uint64_t filters_version, float* out, const DnnlEpilogue& epilogue = {});

// The cache key of every convolution primitive (and reordered weights) of geometry g.
PrimitiveKey DnnlConvKey(const Window2D& g);

// 2 * MACs of the convolution (and of each of its gradients): the oneDNN thread rule's input.
double ConvFlops(const Window2D& g);

}  // namespace duet::cpu
