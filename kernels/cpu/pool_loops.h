// Direct NHWC max/average pooling loops and their gradients (float64, float32 inputs oneDNN
// cannot take, and max_pool2d_grad_grad in every dtype). Padded positions are skipped: max
// ignores them and the average divides by the number of real inputs in the window (TF's SAME
// semantics). Max pooling's gradients route through the window's first maximum in row-major
// window order, recomputed from x (as TF's MaxPoolGrad).
// Example: Pool2DLoop<double>(g, /*max=*/true, px, pout);
#pragma once

#include "kernels/cpu/window_geometry.h"

namespace duet::cpu {

// out (batch, out_h, out_w, in_c) from x (batch, in_h, in_w, in_c); g.out_c == g.in_c.
template <class T>
void Pool2DLoop(const Window2D& g, bool max, const T* x, T* out);

// dx (x's shape): each output's dy added to its window's argmax.
template <class T>
void MaxPool2DGradLoop(const Window2D& g, const T* x, const T* dy, T* dx);

// ddy (the output's shape): each window's argmax value of ddx (x's shape); the adjoint of
// MaxPool2DGradLoop in dy.
template <class T>
void MaxPool2DGradGradLoop(const Window2D& g, const T* x, const T* ddx, T* ddy);

// dx (x's shape): each output's dy spread evenly over the real inputs of its window.
template <class T>
void AvgPool2DGradLoop(const Window2D& g, const T* dy, T* dx);

}  // namespace duet::cpu
