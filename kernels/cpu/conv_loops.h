// Direct NHWC x HWIO convolution loops and their two gradients (float64, and float32 inputs
// oneDNN cannot take such as empty ones). Padding comes from the Window2D (TF arithmetic); the
// innermost loops run over channels, contiguous in the HWIO filter and the NHWC tensors.
// Example: Conv2DLoop<double>(MakeWindow2D(x.shape(), 3, 3, 8, strides, dilations, true), px, pf,
// pout);
#pragma once

#include "kernels/cpu/window_geometry.h"

namespace duet::cpu {

// out (batch, out_h, out_w, out_c) = conv(x (batch, in_h, in_w, in_c), f (k_h, k_w, in_c, out_c)).
template <class T>
void Conv2DLoop(const Window2D& g, const T* x, const T* f, T* out);

// dx (batch, in_h, in_w, in_c) = d<dy, conv(x, f)>/dx: each output's dy scattered back through f.
template <class T>
void Conv2DBackpropInputLoop(const Window2D& g, const T* f, const T* dy, T* dx);

// df (k_h, k_w, in_c, out_c) = d<dy, conv(x, f)>/df: x's windows correlated with dy.
template <class T>
void Conv2DBackpropFilterLoop(const Window2D& g, const T* x, const T* dy, T* df);

}  // namespace duet::cpu
