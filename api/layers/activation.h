// Activations chosen by enum for the built-in layers (Dense, Conv2D), applied with public ops.
// Example:
//   layers::Dense d(10, Activation::kRelu);   Tensor y = Activate(x, Activation::kTanh);
#pragma once

#include <string>

#include "runtime/tensor.h"

namespace duet {

enum class Activation { kNone, kRelu, kSigmoid, kTanh, kSoftmax, kSoftplus, kLogSoftmax };

// kNone is the identity; kSoftmax/kLogSoftmax work over the last axis.
Tensor Activate(const Tensor& x, Activation activation, const Loc& loc = Loc::current());
// "relu", "softmax", ... ("linear" for kNone), as Keras names them.
std::string ActivationName(Activation activation);

}  // namespace duet
