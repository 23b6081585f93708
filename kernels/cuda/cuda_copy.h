// Byte copies between the host and CUDA devices: cudaMemcpyAsync (cudaMemcpyPeerAsync across
// devices) on this thread's stream, then a stream synchronization, so a copy is complete when
// it returns and the host may reuse its buffer at once. Failures are Statuses naming the
// direction, size and device; without a device no CUDA call is made.
// Example: RETURN_IF_ERROR(CopyHostToDevice(0, device_ptr, host.data(), bytes));
#pragma once

#include <cstddef>

#include "absl/status/status.h"

namespace duet::cuda {

absl::Status CopyHostToDevice(int device, void* device_dst, const void* host_src, size_t bytes);
absl::Status CopyDeviceToHost(int device, void* host_dst, const void* device_src, size_t bytes);
// Within one device or between two (peer copy; staged by the driver when peer access is off).
absl::Status CopyDeviceToDevice(int dst_device, void* dst, int src_device, const void* src,
                                size_t bytes);

}  // namespace duet::cuda
