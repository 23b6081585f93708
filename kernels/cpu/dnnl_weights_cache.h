// Weights reordered into a oneDNN primitive's (blocked) layout, kept per weights version so a
// filter is reordered once per value rather than once per call: inference loops and repeated
// forward calls reuse it, and an in-place variable update (Tensor::mark_modified) or a new
// buffer gives a new version, hence a fresh reorder. Bounded (LRU, entries and bytes); weights
// too large to keep are reordered into a thread buffer per call, as before.
// Example:
//   WeightsHandle w = ReorderedWeights(kConvForward, geometry_key, filters.data<float>(),
//                                      filters.version(), user_md, *reorder_pd, *reorder);
//   DnnlExecute(conv, pd, {{DNNL_ARG_WEIGHTS, w.memory}, ...});
#pragma once

#include <cstdint>
#include <memory>

#include "kernels/cpu/primitive_cache.h"
#include "oneapi/dnnl/dnnl.hpp"

namespace duet::cpu {

// Which primitive the layout belongs to (part of the cache key, with the geometry).
enum WeightsUse : int64_t { kConvForwardWeights = 1, kConvBackwardDataWeights = 2 };

struct WeightsHandle {
  dnnl::memory memory;                // the weights in the primitive's layout
  std::shared_ptr<const void> owner;  // keeps a cached buffer alive while memory is used
};

// `data` (layout `from`, contents numbered `version`) in layout reorder_pd.dst_desc().
WeightsHandle ReorderedWeights(WeightsUse use, const PrimitiveKey& geometry, const void* data,
                               uint64_t version, const dnnl::memory::desc& from,
                               const dnnl::reorder::primitive_desc& reorder_pd,
                               const dnnl::reorder& reorder);

// Reorders run by ReorderedWeights (cache misses), for tests and benchmarks.
int64_t WeightReordersRun();

}  // namespace duet::cpu
