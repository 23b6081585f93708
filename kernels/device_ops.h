// Moving tensors between devices: the copy_to_device op (what Tensor::to/gpu/cpu dispatch), so
// copies are taped (the gradient is copied back) and traced like any other op.
// Example: Tensor g = copy_to_device(x, Device{DeviceType::kGPU, 0});  // or x.gpu()
#pragma once

#include "runtime/tensor.h"

namespace duet {

// `x` itself when already on `device`; otherwise its copy there. Throws naming the device when
// it is not present.
Tensor copy_to_device(const Tensor& x, Device device, const Loc& loc = Loc::current());

}  // namespace duet
