// value += alpha * x, in place, over same-shaped buffers: the one-pass update optimizers use
// when a variable is the sole owner of its value.
#pragma once

#include "runtime/tensor.h"

namespace duet::cpu {

// False (and nothing written) for dtypes without arithmetic (bool, float16, bfloat16).
bool AxpyInPlace(Tensor& value, const Tensor& x, double alpha);

}  // namespace duet::cpu
