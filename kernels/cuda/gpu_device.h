// The GPU's DeviceMemory (runtime/device_memory.h): what Tensor::TryEmpty, ~TensorImpl and the
// device copies use for DeviceType::kGPU tensors. gpu_device.cc registers it at static-init
// time; this header is for tests and tools that want the instance itself.
// Example: GpuMemory().stats(0).bytes_in_use;
#pragma once

#include "runtime/device_memory.h"

namespace duet::cuda {

// The registered instance: the caching allocator (cuda_allocator.h) and synchronous copies
// (cuda_copy.h) of every visible device. count() is num_gpus(): 0 without a device or driver,
// when every call fails softly (null, an error Status, zero stats).
DeviceMemory& GpuMemory();

}  // namespace duet::cuda
