// Neural-network ops: softmax, log_softmax, conv2d, max_pool2d, avg_pool2d (float32/float64).
// Layouts are TensorFlow's: images NHWC, filters HWIO; padding is "SAME" (output = ceil(in /
// stride), the odd padding pixel after) or "VALID" (no padding), with TF's arithmetic exactly.
// Average pooling excludes SAME padding from the mean; max pooling ignores it. float32 runs
// on cached oneDNN primitives, float64 (gradient checks) on plain loops. All are differentiable;
// the window ops' gradient ops (conv2d_backprop_input, ...) are in nn_grad_ops.h, included here.
// Example: softmax(constant({1.f, 2.f, 3.f}))                                 -> [0.090 0.245
// 0.665]
//          conv2d(ones({1, 5, 5, 1}), ones({3, 3, 1, 2}), {2, 2}, "SAME").shape() -> (1, 3, 3, 2)
//          max_pool2d(x, {2, 2}, {2, 2}, "VALID")
#pragma once

#include <array>
#include <string>

#include "kernels/nn_grad_ops.h"
#include "runtime/tensor.h"

namespace duet {

// Numerically stable (the max along `axis` is subtracted first); negative axes count from the end.
Tensor softmax(const Tensor& x, int axis = -1, const Loc& loc = Loc::current());
Tensor log_softmax(const Tensor& x, int axis = -1, const Loc& loc = Loc::current());

// x (N, H, W, C) * filters (KH, KW, C, O) -> (N, OH, OW, O). dilations are TF's (1 = dense).
Tensor conv2d(const Tensor& x, const Tensor& filters, std::array<int, 2> strides,
              std::string padding, std::array<int, 2> dilations = {1, 1},
              const Loc& loc = Loc::current());

// x (N, H, W, C) -> (N, OH, OW, C) over ksize windows.
Tensor max_pool2d(const Tensor& x, std::array<int, 2> ksize, std::array<int, 2> strides,
                  std::string padding, const Loc& loc = Loc::current());
Tensor avg_pool2d(const Tensor& x, std::array<int, 2> ksize, std::array<int, 2> strides,
                  std::string padding, const Loc& loc = Loc::current());

}  // namespace duet
