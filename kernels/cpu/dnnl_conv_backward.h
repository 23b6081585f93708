// float32 gradients of the NHWC x HWIO 2-D convolution through cached oneDNN
// convolution_backward_data / convolution_backward_weights primitives (oneDNN 2.6 API), each
// created with a forward_training primitive_desc of the same geometry as its hint. As in the
// forward wrapper (dnnl_conv.h), the NHWC activations and gradients are read and written in
// place and only the small weights change layout: the filters are reordered HWIO -> the
// backward-data primitive's blocked layout once per filter version (dnnl_weights_cache.h), and
// the blocked filter gradient is reordered back to HWIO from a reused thread buffer. The blocked
// ("any") weights let oneDNN pick its direct JIT kernels, several times faster than the gemm
// fallback plain HWIO forces. Example:
//   absl::Status s = DnnlConv2DBackpropInputF32(g, f.data<float>(), f.version(), dy.data<float>(),
//                                               dx.mutable_data<float>());
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "kernels/cpu/window_geometry.h"

namespace duet::cpu {

// dx (g's input) from filters (HWIO) and dy (g's output). Requires DnnlConvSupports(g).
absl::Status DnnlConv2DBackpropInputF32(const Window2D& g, const float* filters,
                                        uint64_t filters_version, const float* dy, float* dx);

// df (HWIO) from x (g's input) and dy (g's output). Requires DnnlConvSupports(g).
absl::Status DnnlConv2DBackpropFilterF32(const Window2D& g, const float* x, const float* dy,
                                         float* df);

}  // namespace duet::cpu
