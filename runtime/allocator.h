// The host allocator: 64-byte aligned blocks (AVX-512 / oneDNN friendly) from a per-thread cache
// of power-of-two size classes, so the eager hot path rarely reaches malloc.
// Example: void* p = AllocateHost(4000); ... FreeHost(p, 4000);
#pragma once

#include <cstddef>
#include <cstdint>

namespace duet {

inline constexpr size_t kAlignment = 64;

// Null when the system cannot provide the block (callers turn that into a Status).
void* AllocateHost(size_t bytes);
void FreeHost(void* ptr, size_t bytes);

struct AllocatorStats {
  int64_t cache_hits = 0;
  int64_t cache_misses = 0;
};
AllocatorStats HostAllocatorStats();  // of the calling thread's cache

}  // namespace duet
