// PrimitiveCache: a thread-safe LRU map from a shape key to a created oneDNN primitive (and its
// primitive_desc), so eager calls with a repeated shape skip primitive creation, which costs
// far more than small executions. One cache per primitive kind; bounded so a program that
// sweeps many shapes cannot grow it without limit.
// Example:
//   static PrimitiveCache<MatmulPrimitive> cache(256);
//   std::shared_ptr<const MatmulPrimitive> p = cache.GetOrCreate(key, [&] { return Make(...); });
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "absl/container/inlined_vector.h"

namespace duet::cpu {

using PrimitiveKey = absl::InlinedVector<int64_t, 16>;

// (Debian's Abseil build links no absl_hash, hence a plain hash and std::unordered_map.)
struct PrimitiveKeyHash {
  size_t operator()(const PrimitiveKey& key) const {
    uint64_t h = 1469598103934665603ull;
    for (int64_t v : key) h = (h ^ static_cast<uint64_t>(v)) * 1099511628211ull;
    return static_cast<size_t>(h);
  }
};

template <class V>
class PrimitiveCache {
 public:
  explicit PrimitiveCache(size_t capacity) : capacity_(capacity) {}

  // The value cached under `key`, or make()'s result, stored. make() runs under the lock (a
  // concurrent miss on the same key then creates once) and may throw; nothing is stored then.
  template <class Make>
  std::shared_ptr<const V> GetOrCreate(const PrimitiveKey& key, Make&& make) {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = index_.find(key); it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);  // most recently used first
      return it->second->second;
    }
    auto value = std::make_shared<const V>(make());
    lru_.emplace_front(key, value);
    index_[key] = lru_.begin();
    if (lru_.size() > capacity_) {
      index_.erase(lru_.back().first);
      lru_.pop_back();
    }
    return value;
  }

  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return lru_.size();
  }

 private:
  using Entry = std::pair<PrimitiveKey, std::shared_ptr<const V>>;
  const size_t capacity_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;
  std::unordered_map<PrimitiveKey, typename std::list<Entry>::iterator, PrimitiveKeyHash> index_;
};

}  // namespace duet::cpu
