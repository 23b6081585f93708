// CPU kernels of the host side-effect ops (kernels/io_ops.cc), registered against the ops by name.
#include <iostream>

#include "runtime/op_registry.h"

namespace duet {
namespace {

// Prints, then returns x under a new handle that shares its buffer (tensors are immutable).
absl::Status PrintKernel(KernelContext& ctx) {
  const Tensor& x = ctx.inputs[0];
  std::cout << ctx.attr<std::string>("label") << x << std::endl;
  ctx.outputs[0] = Tensor::View(x, x.shape());
  return absl::OkStatus();
}

}  // namespace

DUET_REGISTER_KERNEL("print", DeviceType::kCPU, kAnyDType, PrintKernel);
// Printing reads through a host copy (operator<<, runtime/device_copy.h), so the same kernel
// serves tensors on a GPU; the test device registers it in its subset.
DUET_REGISTER_KERNEL("print", DeviceType::kGPU, kAnyDType, PrintKernel);

}  // namespace duet
