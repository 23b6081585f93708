// Gradient ops of the window ops in nn_ops.h, with TensorFlow's semantics (Conv2DBackpropInput,
// Conv2DBackpropFilter, MaxPoolGrad, MaxPoolGradGrad, AvgPoolGrad). conv2d's, max_pool2d's and
// avg_pool2d's gradient rules call them, and each declares its own gradient so second-order
// gradients work. Layouts and padding are conv2d's / the pools' (NHWC, HWIO, "SAME"/"VALID").
// float32 gradients run on cached oneDNN primitives (max_pool2d_grad_grad on loops), float64
// on plain loops. Max pooling's gradients recompute the argmax from x: the first maximum of a
// window (row-major window order) takes the gradient, as in TF.
// Example:
//   Tensor y = conv2d(x, f, {1, 1}, "SAME");                                 // dy: y's gradient
//   Tensor dx = conv2d_backprop_input(x.shape(), f, dy, {1, 1}, "SAME");     // x's gradient
//   Tensor df = conv2d_backprop_filter(x, f.shape(), dy, {1, 1}, "SAME");    // f's gradient
#pragma once

#include <array>
#include <string>

#include "runtime/tensor.h"

namespace duet {

// The gradient of <dy, conv2d(x, filters)> w.r.t. x, for an x of `input_shape` (NHWC); dy has
// conv2d's output shape. Linear in filters and in dy.
Tensor conv2d_backprop_input(const Shape& input_shape, const Tensor& filters, const Tensor& dy,
                             std::array<int, 2> strides, std::string padding,
                             std::array<int, 2> dilations = {1, 1},
                             const Loc& loc = Loc::current());

// The gradient of <dy, conv2d(x, filters)> w.r.t. filters of `filter_shape` (HWIO).
Tensor conv2d_backprop_filter(const Tensor& x, const Shape& filter_shape, const Tensor& dy,
                              std::array<int, 2> strides, std::string padding,
                              std::array<int, 2> dilations = {1, 1},
                              const Loc& loc = Loc::current());

// The gradient of <dy, max_pool2d(x)> w.r.t. x: each dy goes to its window's first maximum.
// y is max_pool2d(x) (TF's orig_output); only its shape is checked, the argmax comes from x.
Tensor max_pool2d_grad(const Tensor& x, const Tensor& y, const Tensor& dy, std::array<int, 2> ksize,
                       std::array<int, 2> strides, std::string padding,
                       const Loc& loc = Loc::current());

// The gradient of <ddx, max_pool2d_grad(x, y, dy)> w.r.t. dy: each window's argmax entry of
// ddx (x's shape), in max_pool2d's output shape.
Tensor max_pool2d_grad_grad(const Tensor& x, const Tensor& y, const Tensor& ddx,
                            std::array<int, 2> ksize, std::array<int, 2> strides,
                            std::string padding, const Loc& loc = Loc::current());

// The gradient of <dy, avg_pool2d(x)> w.r.t. an x of `input_shape`: each dy spread evenly over
// its window's real (non-padding) inputs.
Tensor avg_pool2d_grad(const Shape& input_shape, const Tensor& dy, std::array<int, 2> ksize,
                       std::array<int, 2> strides, std::string padding,
                       const Loc& loc = Loc::current());

}  // namespace duet
