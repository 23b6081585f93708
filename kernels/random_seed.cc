#include "kernels/random_seed.h"

#include <atomic>

namespace duet {
namespace {

constexpr int64_t kDefaultGlobalSeed = 87654321;
std::atomic<int64_t> global_seed{kDefaultGlobalSeed};
std::atomic<uint64_t> call_counter{0};

uint64_t SplitMix64(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

uint64_t RandomKeyFor(int64_t seed) {
  if (seed != -1) return static_cast<uint64_t>(seed);
  uint64_t n = call_counter.fetch_add(1, std::memory_order_relaxed);
  return SplitMix64(SplitMix64(static_cast<uint64_t>(global_seed.load(std::memory_order_relaxed))) +
                    n);
}

void SetGlobalSeed(int64_t seed) {
  global_seed.store(seed, std::memory_order_relaxed);
  call_counter.store(0, std::memory_order_relaxed);
}

}  // namespace duet
