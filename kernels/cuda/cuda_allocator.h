// CachingAllocator: the device memory of every GPU tensor and kernel workspace. cudaMalloc
// and cudaFree synchronize the device and cost tens of microseconds, so freed blocks are kept
// on per-device free lists, binned by rounded size (512-byte multiples up to 1 MiB, powers of
// two above) and by the stream they were allocated on, and a later request of the same
// rounded size on the same stream takes one back without any synchronization: work queued on
// one stream runs in order, so the new user cannot overtake the old one. (Every duet kernel
// synchronizes its stream before returning, so a block is idle whenever it is freed; a kernel
// that returns before its work is done must not free blocks another stream may still use.)
// When cudaMalloc fails, the device's cache is released (device sync, cudaFree of every
// cached block) and the allocation retried once. One mutex per device. Without a device every
// call fails softly (null, zeros) and makes no CUDA call.
// Example:
//   void* p = CachingAllocator::Get().Allocate(0, 4096);  // on CurrentStream(0)
//   CachingAllocator::Get().Free(0, p);                   // back to the cache
//   ScratchBuffer ws(0, bytes);  if (!ws.ok()) ...;       // RAII, for kernel workspaces
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "kernels/cuda/cuda_handles.h"

namespace duet::cuda {

// One device's counters. bytes_in_use counts requested bytes (not rounded); bytes_cached the
// rounded size of the blocks on the free lists.
struct AllocatorStats {
  int64_t bytes_in_use = 0;
  int64_t peak_bytes = 0;
  int64_t num_allocs = 0;  // successful Allocate calls
  int64_t num_frees = 0;   // Free calls on live blocks
  int64_t bytes_cached = 0;
  int64_t num_cache_hits = 0;      // Allocate calls served from the free lists
  int64_t num_device_mallocs = 0;  // cudaMalloc calls that succeeded
  int64_t num_device_frees = 0;    // cudaFree calls (cache releases, retired streams)
};

class CachingAllocator {
 public:
  // The process's allocator (never destroyed: tensors may be freed during static destruction).
  static CachingAllocator& Get();

  // The block size a request gets: 512-byte multiples up to 1 MiB, then the next power of two
  // (0 bytes get a 512-byte block, so every allocation is a unique, freeable pointer).
  static size_t RoundSize(size_t bytes);

  // A block of at least `bytes` on `device`, for use on `stream` (default: this thread's
  // CurrentStream(device)). Null when there is no such device or it is out of memory even after
  // releasing the cache.
  void* Allocate(int device, size_t bytes);
  void* AllocateOnStream(int device, size_t bytes, cudaStream_t stream);
  // Returns `ptr` (from Allocate on `device`) to the cache; null and unknown pointers are
  // ignored.
  void Free(int device, void* ptr);

  AllocatorStats stats(int device) const;
  // Synchronizes `device` and cudaFrees every cached block; returns the bytes released.
  size_t ReleaseCache(int device);
  // Called when `stream` is destroyed (its thread exits, after draining it): its cached blocks
  // are cudaFreed, and live blocks allocated on it are cudaFreed when they are freed.
  void RetireStream(int device, cudaStream_t stream);

 private:
  struct Pool;
  CachingAllocator();
  Pool* PoolFor(int device) const;
  std::vector<std::unique_ptr<Pool>> pools_;  // one per visible device
};

// A kernel's temporary device buffer from the caching allocator, on this thread's stream.
// 0 bytes allocate nothing (get() is null and ok() true).
class ScratchBuffer {
 public:
  ScratchBuffer(int device, size_t bytes);
  ~ScratchBuffer();
  ScratchBuffer(const ScratchBuffer&) = delete;
  ScratchBuffer& operator=(const ScratchBuffer&) = delete;
  bool ok() const { return ptr_ != nullptr || bytes_ == 0; }
  void* get() const { return ptr_; }
  size_t bytes() const { return bytes_; }

 private:
  int device_;
  void* ptr_;
  size_t bytes_;
};

}  // namespace duet::cuda
