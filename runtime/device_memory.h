// DeviceMemory: a memory space other than the host's (a GPU, the test device), as a backend
// registers it. Tensor::TryEmpty allocates through it, ~TensorImpl frees through it, and
// CopyToDevice (runtime/device_copy.h) moves bytes in and out of it. The CPU and the null
// backend use host memory and register nothing.
// Example (kernels/test_device/test_device.cc):
//   RegisterDeviceMemory(DeviceType::kTest, &TestDeviceMemory());
//   FindDeviceMemory(DeviceType::kTest)->stats(0).bytes_in_use;
#pragma once

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "runtime/device.h"

namespace duet {

// One device's allocator counters (what the "v = None frees the memory" test reads).
struct DeviceMemoryStats {
  int64_t bytes_in_use = 0;  // live allocations, as requested (not rounded)
  int64_t peak_bytes = 0;
  int64_t num_allocs = 0;
  int64_t num_frees = 0;
  int64_t bytes_cached = 0;  // freed blocks a caching allocator keeps for reuse
};

class DeviceMemory {
 public:
  virtual ~DeviceMemory() = default;
  // Devices of this type present (0 when the hardware or driver is missing).
  virtual int count() const = 0;
  // Null when the device cannot provide `bytes` (callers turn that into a Status). `bytes` may
  // be 0: a valid, unique, freeable pointer then.
  virtual void* Allocate(int index, size_t bytes) = 0;
  virtual void Free(int index, void* ptr, size_t bytes) = 0;
  // Copies complete before they return (the host may read or reuse its buffer at once).
  virtual absl::Status CopyFromHost(int index, void* device_dst, const void* host_src,
                                    size_t bytes) = 0;
  virtual absl::Status CopyToHost(int index, void* host_dst, const void* device_src,
                                  size_t bytes) = 0;
  // Between two devices of this type (or within one).
  virtual absl::Status CopyBetween(int dst_index, void* dst, int src_index, const void* src,
                                   size_t bytes) = 0;
  virtual DeviceMemoryStats stats(int index) const = 0;
};

// At static-init time, from the backend's alwayslink library. Aborts on a second registration.
void RegisterDeviceMemory(DeviceType type, DeviceMemory* memory);
// Null for host memory (kCPU, kNull) and for device types no linked backend registered.
DeviceMemory* FindDeviceMemory(DeviceType type);
// How many devices of `type` this process can use: 1 CPU, 1 null device, else the backend's count.
int NumDevices(DeviceType type);
// Whether tensors on `type` live in host memory (kernels and readers may touch them directly).
inline bool IsHostMemory(DeviceType type) {
  return type == DeviceType::kCPU || type == DeviceType::kNull;
}

}  // namespace duet
