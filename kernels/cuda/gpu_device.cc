// The GPU's DeviceMemory over the caching allocator and the synchronous copies, registered for
// DeviceType::kGPU when this (alwayslink) library is linked. Nothing here touches CUDA at
// static-init time: count() probes on first use (num_gpus()).
#include "kernels/cuda/gpu_device.h"

#include "kernels/cuda/cuda_allocator.h"
#include "kernels/cuda/cuda_copy.h"
#include "kernels/cuda/device_probe.h"

namespace duet::cuda {
namespace {

class GpuDeviceMemory final : public DeviceMemory {
 public:
  int count() const override { return num_gpus(); }
  void* Allocate(int index, size_t bytes) override {
    return CachingAllocator::Get().Allocate(index, bytes);
  }
  void Free(int index, void* ptr,
            size_t /*bytes: the allocator knows each block's size*/) override {
    CachingAllocator::Get().Free(index, ptr);
  }
  absl::Status CopyFromHost(int index, void* device_dst, const void* host_src,
                            size_t bytes) override {
    return CopyHostToDevice(index, device_dst, host_src, bytes);
  }
  absl::Status CopyToHost(int index, void* host_dst, const void* device_src,
                          size_t bytes) override {
    return CopyDeviceToHost(index, host_dst, device_src, bytes);
  }
  absl::Status CopyBetween(int dst_index, void* dst, int src_index, const void* src,
                           size_t bytes) override {
    return CopyDeviceToDevice(dst_index, dst, src_index, src, bytes);
  }
  DeviceMemoryStats stats(int index) const override {
    const AllocatorStats a = CachingAllocator::Get().stats(index);
    DeviceMemoryStats s;
    s.bytes_in_use = a.bytes_in_use;
    s.peak_bytes = a.peak_bytes;
    s.num_allocs = a.num_allocs;
    s.num_frees = a.num_frees;
    s.bytes_cached = a.bytes_cached;
    return s;
  }
};

[[maybe_unused]] const bool kRegistered =
    (RegisterDeviceMemory(DeviceType::kGPU, &GpuMemory()), true);

}  // namespace

DeviceMemory& GpuMemory() {
  static GpuDeviceMemory* memory = new GpuDeviceMemory;  // never destroyed (see cuda_allocator.h)
  return *memory;
}

}  // namespace duet::cuda
