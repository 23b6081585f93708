// data::Dataset: an input pipeline like tf.data. A Dataset is a cheap value handle on a shared,
// immutable pipeline description; every iteration (range-for, begin()) creates fresh iterator
// state, so a dataset can be iterated many times and from several places at once.
// Elements are std::vector<Tensor> (one tensor per component).
// Example:
//   auto ds = data::Dataset::from_tensor_slices({images, labels})
//                 .shuffle(60000, /*seed=*/1)
//                 .map([](std::vector<Tensor> e) { return std::vector<Tensor>{e[0] * 2.f, e[1]}; })
//                 .batch(32).repeat(4).take(400).prefetch(2);
//   for (const std::vector<Tensor>& batch : ds) { Tensor x = batch[0], y = batch[1]; }
//   ds.cardinality();   // 400; data::kUnknownCardinality (-1), data::kInfiniteCardinality (-2)
#pragma once

#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <type_traits>
#include <vector>

#include "runtime/error.h"
#include "runtime/tensor.h"

namespace duet::data {

inline constexpr int64_t kUnknownCardinality = -1;
inline constexpr int64_t kInfiniteCardinality = -2;

namespace internal {
class DatasetNode;    // a pipeline stage (dataset_node.h)
class ElementStream;  // one iteration's state over a stage
}  // namespace internal

// What `map` calls: one element's components in, the new element's components out.
using MapFn = std::function<std::vector<Tensor>(std::vector<Tensor>)>;

class Dataset {
 public:
  // Slices every component along its first dimension (all must have the same size there);
  // element i is {c[i] for each component c}. A single tensor gives one-component elements.
  static Dataset from_tensor_slices(const std::vector<Tensor>& components,
                                    const Loc& loc = Loc::current());
  static Dataset from_tensor_slices(const Tensor& tensor, const Loc& loc = Loc::current());
  // int64 scalars start, start + step, ... up to (excluding) stop, like Python's range.
  static Dataset range(int64_t stop, const Loc& loc = Loc::current());
  static Dataset range(int64_t start, int64_t stop, int64_t step = 1,
                       const Loc& loc = Loc::current());

  // Samples uniformly from a buffer of `buffer_size` elements (tf.data's shuffle). The k-th
  // iteration of this dataset uses a seed derived from (seed, k): deterministic for a seed and
  // reshuffled each epoch. seed < 0 draws one as random ops do (reproducible after
  // random::set_seed).
  Dataset shuffle(int64_t buffer_size, int64_t seed = -1, const Loc& loc = Loc::current()) const;
  // Applies fn to each element. fn is traced like a duet::function (once per element signature,
  // then the compiled graph runs) unless config::run_functions_eagerly is on. fn may also
  // return a single Tensor (a one-component element).
  Dataset map(MapFn fn, const Loc& loc = Loc::current()) const;
  template <class F>
  requires(std::is_invocable_r_v<Tensor, F, std::vector<Tensor>> &&
           !std::is_invocable_r_v<std::vector<Tensor>, F, std::vector<Tensor>>) Dataset
      map(F fn, const Loc& loc = Loc::current())
  const {
    return map(MapFn([fn = std::move(fn)](std::vector<Tensor> e) {
                 return std::vector<Tensor>{fn(std::move(e))};
               }),
               loc);
  }
  // Stacks n consecutive elements into one (a new leading dimension per component); the last
  // batch may be smaller unless drop_remainder.
  Dataset batch(int64_t batch_size, bool drop_remainder = false,
                const Loc& loc = Loc::current()) const;
  // Iterates the dataset `count` times (count < 0: forever; an empty dataset stays empty).
  Dataset repeat(int64_t count = -1, const Loc& loc = Loc::current()) const;
  // The first n elements (n < 0: all) / all but the first n (n < 0: none).
  Dataset take(int64_t n, const Loc& loc = Loc::current()) const;
  Dataset skip(int64_t n, const Loc& loc = Loc::current()) const;
  // Produces up to `buffer_size` elements ahead on a background thread. The thread stops and is
  // joined when the iteration ends (loop finished, break, or an exception); an exception thrown
  // while producing (e.g. in a map function) is rethrown to the consumer in order.
  Dataset prefetch(int64_t buffer_size, const Loc& loc = Loc::current()) const;

  // Number of elements, kUnknownCardinality (-1) or kInfiniteCardinality (-2).
  int64_t cardinality() const;

  // An input iterator over fresh state; compare with end() (a std::default_sentinel_t).
  class Iterator {
   public:
    using value_type = std::vector<Tensor>;
    using difference_type = std::ptrdiff_t;
    Iterator() = default;
    Iterator(Iterator&&) noexcept;
    Iterator& operator=(Iterator&&) noexcept;
    ~Iterator();
    const std::vector<Tensor>& operator*() const { return current_; }
    const std::vector<Tensor>* operator->() const { return &current_; }
    Iterator& operator++();
    void operator++(int) { ++*this; }
    bool operator==(std::default_sentinel_t) const { return done_; }

   private:
    friend class Dataset;
    explicit Iterator(std::unique_ptr<internal::ElementStream> stream);
    std::unique_ptr<internal::ElementStream> stream_;
    std::vector<Tensor> current_;
    bool done_ = true;
  };
  Iterator begin() const;
  std::default_sentinel_t end() const { return {}; }

  explicit Dataset(std::shared_ptr<const internal::DatasetNode> node) : node_(std::move(node)) {}
  const std::shared_ptr<const internal::DatasetNode>& node() const { return node_; }

 private:
  std::shared_ptr<const internal::DatasetNode> node_;
};

}  // namespace duet::data
