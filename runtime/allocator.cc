#include "runtime/allocator.h"

#include <malloc.h>

#include <bit>
#include <cstdlib>

namespace duet {
namespace {

// Blocks up to 2^kMaxClassLog2 bytes (16 MiB) are cached; larger ones go straight to the
// system. A thread's cache holds at most 8 blocks per class: under 256 MiB in all.
constexpr int kMinClassLog2 = 6, kMaxClassLog2 = 24;
constexpr int kNumClasses = kMaxClassLog2 - kMinClassLog2 + 1;
constexpr int kBlocksPerClass = 8;

int SizeClass(size_t bytes) {
  if (bytes <= (size_t{1} << kMinClassLog2)) return 0;
  return static_cast<int>(std::bit_width(bytes - 1)) - kMinClassLog2;
}

struct ThreadCache {
  void* blocks[kNumClasses][kBlocksPerClass] = {};
  int count[kNumClasses] = {};
  AllocatorStats stats;
  bool alive = true;
  ~ThreadCache() {
    for (int c = 0; c < kNumClasses; ++c)
      for (int i = 0; i < count[c]; ++i) std::free(blocks[c][i]);
    alive = false;
  }
};

// glibc serves blocks above M_MMAP_THRESHOLD (128 KiB, raised adaptively up to 32 MiB) with
// mmap and unmaps them on free, and trims the heap top above M_TRIM_THRESHOLD: a training step
// whose activations overflow the per-thread cache then faults every page in again on the next
// step (LibTorch pays 2x on the conv step for it). Fixed thresholds keep freed blocks up to
// 64 MiB in the heap for reuse; memory is given back only above 256 MiB of free heap top.
bool KeepPagesMapped() {
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  return true;
}
[[maybe_unused]] const bool pages_kept_mapped = KeepPagesMapped();  // at start-up

ThreadCache& Cache() {
  thread_local ThreadCache cache;
  return cache;
}

}  // namespace

void* AllocateHost(size_t bytes) {
  if (bytes == 0) bytes = 1;
  int c = SizeClass(bytes);
  if (c >= kNumClasses) {
    if (bytes > (size_t{1} << 62)) return nullptr;  // a negative size cast to size_t
    return std::aligned_alloc(kAlignment, (bytes + kAlignment - 1) / kAlignment * kAlignment);
  }
  ThreadCache& cache = Cache();
  if (cache.alive && cache.count[c] > 0) {
    ++cache.stats.cache_hits;
    return cache.blocks[c][--cache.count[c]];
  }
  ++cache.stats.cache_misses;
  return std::aligned_alloc(kAlignment, size_t{1} << (c + kMinClassLog2));
}

void FreeHost(void* ptr, size_t bytes) {
  if (!ptr) return;
  if (bytes == 0) bytes = 1;
  int c = SizeClass(bytes);
  if (c < kNumClasses) {
    ThreadCache& cache = Cache();
    if (cache.alive && cache.count[c] < kBlocksPerClass) {
      cache.blocks[c][cache.count[c]++] = ptr;
      return;
    }
  }
  std::free(ptr);
}

AllocatorStats HostAllocatorStats() { return Cache().stats; }

}  // namespace duet
