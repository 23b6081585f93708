// Host-compiled (no nvcc): the caching allocator of cuda_allocator.h over cudaMalloc/cudaFree.
#include "kernels/cuda/cuda_allocator.h"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "kernels/cuda/cuda_context.h"
#include "kernels/cuda/device_probe.h"

namespace duet::cuda {
namespace {

constexpr size_t kRound = 512;
constexpr size_t kSmallLimit = size_t{1} << 20;  // 1 MiB: above it, powers of two

struct Block {
  size_t size = 0;       // rounded
  size_t requested = 0;  // as asked
  cudaStream_t stream = nullptr;
  bool retired = false;  // its stream was destroyed: cudaFree it when it is freed
};

}  // namespace

struct CachingAllocator::Pool {
  int device = 0;
  mutable std::mutex mu;
  // (stream, rounded size) -> idle blocks.
  std::map<std::pair<cudaStream_t, size_t>, std::vector<void*>> free_lists;
  std::unordered_map<void*, Block> live;
  AllocatorStats stats;

  // With `mu` held: cudaFree every cached block (after draining the device).
  size_t ReleaseLocked() {
    if (free_lists.empty()) return 0;
    DeviceGuard guard(device);
    if (cudaDeviceSynchronize() != cudaSuccess) cudaGetLastError();
    size_t released = 0;
    for (auto& [key, blocks] : free_lists) {
      for (void* p : blocks) {
        if (cudaFree(p) != cudaSuccess) cudaGetLastError();
        ++stats.num_device_frees;
        released += key.second;
      }
    }
    free_lists.clear();
    stats.bytes_cached = 0;
    return released;
  }
};

CachingAllocator& CachingAllocator::Get() {
  static CachingAllocator* allocator = new CachingAllocator;
  return *allocator;
}

CachingAllocator::CachingAllocator() {
  const int n = num_gpus();
  for (int d = 0; d < n; ++d) {
    pools_.push_back(std::make_unique<Pool>());
    pools_.back()->device = d;
  }
}

CachingAllocator::Pool* CachingAllocator::PoolFor(int device) const {
  if (device < 0 || device >= static_cast<int>(pools_.size())) return nullptr;
  return pools_[static_cast<size_t>(device)].get();
}

size_t CachingAllocator::RoundSize(size_t bytes) {
  if (bytes <= kRound) return kRound;
  if (bytes <= kSmallLimit) return (bytes + kRound - 1) / kRound * kRound;
  size_t size = kSmallLimit;
  while (size < bytes && size <= (~size_t{0} >> 1)) size <<= 1;
  return size < bytes ? bytes : size;  // beyond 2^63: exact (cudaMalloc will refuse it)
}

void* CachingAllocator::Allocate(int device, size_t bytes) {
  if (!PoolFor(device)) return nullptr;
  cudaStream_t stream = CurrentStream(device);
  if (!stream) return nullptr;
  return AllocateOnStream(device, bytes, stream);
}

void* CachingAllocator::AllocateOnStream(int device, size_t bytes, cudaStream_t stream) {
  Pool* pool = PoolFor(device);
  if (!pool) return nullptr;
  const size_t size = RoundSize(bytes);
  std::lock_guard<std::mutex> lock(pool->mu);
  void* ptr = nullptr;
  auto bin = pool->free_lists.find({stream, size});
  if (bin != pool->free_lists.end()) {
    ptr = bin->second.back();
    bin->second.pop_back();
    if (bin->second.empty()) pool->free_lists.erase(bin);
    pool->stats.bytes_cached -= static_cast<int64_t>(size);
    ++pool->stats.num_cache_hits;
  } else {
    DeviceGuard guard(device);
    if (!guard.ok()) return nullptr;
    if (cudaMalloc(&ptr, size) != cudaSuccess) {
      cudaGetLastError();
      pool->ReleaseLocked();
      if (cudaMalloc(&ptr, size) != cudaSuccess) {
        cudaGetLastError();
        return nullptr;
      }
    }
    ++pool->stats.num_device_mallocs;
  }
  pool->live[ptr] = Block{size, bytes, stream, false};
  AllocatorStats& s = pool->stats;
  s.bytes_in_use += static_cast<int64_t>(bytes);
  s.peak_bytes = std::max(s.peak_bytes, s.bytes_in_use);
  ++s.num_allocs;
  return ptr;
}

void CachingAllocator::Free(int device, void* ptr) {
  Pool* pool = PoolFor(device);
  if (!pool || !ptr) return;
  std::lock_guard<std::mutex> lock(pool->mu);
  auto it = pool->live.find(ptr);
  if (it == pool->live.end()) return;
  const Block block = it->second;
  pool->live.erase(it);
  pool->stats.bytes_in_use -= static_cast<int64_t>(block.requested);
  ++pool->stats.num_frees;
  if (block.retired) {
    DeviceGuard guard(device);
    if (cudaFree(ptr) != cudaSuccess) cudaGetLastError();
    ++pool->stats.num_device_frees;
    return;
  }
  pool->free_lists[{block.stream, block.size}].push_back(ptr);
  pool->stats.bytes_cached += static_cast<int64_t>(block.size);
}

AllocatorStats CachingAllocator::stats(int device) const {
  Pool* pool = PoolFor(device);
  if (!pool) return {};
  std::lock_guard<std::mutex> lock(pool->mu);
  return pool->stats;
}

size_t CachingAllocator::ReleaseCache(int device) {
  Pool* pool = PoolFor(device);
  if (!pool) return 0;
  std::lock_guard<std::mutex> lock(pool->mu);
  return pool->ReleaseLocked();
}

void CachingAllocator::RetireStream(int device, cudaStream_t stream) {
  Pool* pool = PoolFor(device);
  if (!pool) return;
  std::lock_guard<std::mutex> lock(pool->mu);
  DeviceGuard guard(device);
  for (auto it = pool->free_lists.begin(); it != pool->free_lists.end();) {
    if (it->first.first != stream) {
      ++it;
      continue;
    }
    for (void* p : it->second) {
      if (cudaFree(p) != cudaSuccess) cudaGetLastError();
      ++pool->stats.num_device_frees;
      pool->stats.bytes_cached -= static_cast<int64_t>(it->first.second);
    }
    it = pool->free_lists.erase(it);
  }
  for (auto& [ptr, block] : pool->live)
    if (block.stream == stream) block.retired = true;
}

ScratchBuffer::ScratchBuffer(int device, size_t bytes)
    : device_(device),
      ptr_(bytes ? CachingAllocator::Get().Allocate(device, bytes) : nullptr),
      bytes_(bytes) {}

ScratchBuffer::~ScratchBuffer() { CachingAllocator::Get().Free(device_, ptr_); }

}  // namespace duet::cuda
