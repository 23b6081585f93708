#include "kernels/cpu/dnnl_weights_cache.h"

#include <atomic>
#include <cstdlib>

#include "kernels/cpu/dnnl_context.h"

namespace duet::cpu {
namespace {

// 64 entries of at most 1 MiB: a few MiB in practice (filters are small), 64 MiB at worst.
constexpr size_t kMaxEntries = 64;
constexpr size_t kMaxCachedBytes = size_t{1} << 20;

std::atomic<int64_t> reorders_run{0};

struct CachedWeights {
  std::shared_ptr<void> buffer;
  dnnl::memory memory;
};

void Reorder(const dnnl::reorder& reorder, const dnnl::reorder::primitive_desc& pd,
             const dnnl::memory::desc& from, const void* data, const dnnl::memory& to) {
  DnnlExecute(reorder, pd, {{DNNL_ARG_FROM, DnnlWrap(from, data)}, {DNNL_ARG_TO, to}});
  reorders_run.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

WeightsHandle ReorderedWeights(WeightsUse use, const PrimitiveKey& geometry, const void* data,
                               uint64_t version, const dnnl::memory::desc& from,
                               const dnnl::reorder::primitive_desc& reorder_pd,
                               const dnnl::reorder& reorder) {
  dnnl::memory::desc to = reorder_pd.dst_desc();
  size_t bytes = to.get_size();
  if (bytes > kMaxCachedBytes) {
    dnnl::memory blocked(to, DnnlEngine(), DnnlThreadBuffer(1, bytes));
    Reorder(reorder, reorder_pd, from, data, blocked);
    return {blocked, nullptr};
  }
  static PrimitiveCache<CachedWeights> cache(kMaxEntries);
  PrimitiveKey key = geometry;
  key.insert(key.end(), {use, static_cast<int64_t>(version),
                         static_cast<int64_t>(reinterpret_cast<intptr_t>(data))});
  std::shared_ptr<const CachedWeights> entry = cache.GetOrCreate(key, [&] {
    std::shared_ptr<void> buffer(std::aligned_alloc(64, (bytes + 63) / 64 * 64), std::free);
    if (!buffer) throw std::bad_alloc();
    dnnl::memory blocked(to, DnnlEngine(), buffer.get());
    Reorder(reorder, reorder_pd, from, data, blocked);
    return CachedWeights{std::move(buffer), blocked};
  });
  return {entry->memory, entry};
}

int64_t WeightReordersRun() { return reorders_run.load(std::memory_order_relaxed); }

}  // namespace duet::cpu
