// data::Dataset's public surface: argument checks (errors name the method and the user's line)
// and the range-for iterator; the stages themselves live in *_nodes.cc.
#include "api/data/dataset.h"

#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "api/data/dataset_node.h"
#include "kernels/random_ops.h"
#include "runtime/context.h"

namespace duet::data {
namespace {

void Check(bool ok, const Loc& loc, const std::string& method, const std::string& what) {
  if (!ok) ThrowError(absl::InvalidArgumentError(absl::StrCat("[", method, "] ", what)), loc);
}

// Like random ops with seed = -1: drawn from the global seed, so random::set_seed replays it.
uint64_t DrawSeed() {
  if (!executing_eagerly())
    return (uint64_t{std::random_device{}()} << 32) ^ std::random_device{}();
  double u = random::uniform(Shape{}, 0.f, 1.f, -1, DType::kFloat64).item<double>();
  return static_cast<uint64_t>(u * 9007199254740992.0);  // 2^53: every bit of the double
}

}  // namespace

Dataset Dataset::from_tensor_slices(const std::vector<Tensor>& components, const Loc& loc) {
  const std::string m = "from_tensor_slices";
  Check(!components.empty(), loc, m, "needs at least one tensor");
  for (size_t i = 0; i < components.size(); ++i) {
    const Tensor& c = components[i];
    Check(c.defined(), loc, m, absl::StrCat("component ", i, " is an undefined tensor"));
    Check(!c.is_symbolic(), loc, m,
          absl::StrCat("component ", i,
                       " is symbolic (inside a traced function); build datasets in eager code"));
    Check(c.rank() >= 1, loc, m,
          absl::StrCat("component ", i, " must have rank >= 1 to be sliced, got shape ",
                       c.shape().to_string()));
    Check(c.shape()[0] == components[0].shape()[0], loc, m,
          absl::StrCat("components must have the same first dimension, got shapes ",
                       components[0].shape().to_string(), " (component 0) and ",
                       c.shape().to_string(), " (component ", i, ")"));
  }
  return Dataset(internal::MakeTensorSlices(components));
}

Dataset Dataset::from_tensor_slices(const Tensor& tensor, const Loc& loc) {
  return from_tensor_slices(std::vector<Tensor>{tensor}, loc);
}

Dataset Dataset::range(int64_t stop, const Loc& loc) { return range(0, stop, 1, loc); }

Dataset Dataset::range(int64_t start, int64_t stop, int64_t step, const Loc& loc) {
  Check(step != 0, loc, "range", "step must not be 0");
  return Dataset(internal::MakeRange(start, stop, step));
}

Dataset Dataset::shuffle(int64_t buffer_size, int64_t seed, const Loc& loc) const {
  Check(buffer_size >= 1, loc, "shuffle",
        absl::StrCat("buffer_size must be >= 1, got ", buffer_size));
  return Dataset(internal::MakeShuffle(node_, buffer_size,
                                       seed >= 0 ? static_cast<uint64_t>(seed) : DrawSeed()));
}

Dataset Dataset::map(MapFn fn, const Loc& loc) const {
  Check(static_cast<bool>(fn), loc, "map", "the function is empty");
  return Dataset(internal::MakeMap(node_, std::move(fn), loc));
}

Dataset Dataset::batch(int64_t batch_size, bool drop_remainder, const Loc& loc) const {
  Check(batch_size >= 1, loc, "batch", absl::StrCat("batch_size must be >= 1, got ", batch_size));
  return Dataset(internal::MakeBatch(node_, batch_size, drop_remainder, loc));
}

Dataset Dataset::repeat(int64_t count, const Loc&) const {
  return Dataset(internal::MakeRepeat(node_, count < 0 ? -1 : count));
}

Dataset Dataset::take(int64_t n, const Loc&) const {
  return Dataset(internal::MakeTake(node_, n < 0 ? -1 : n));
}

Dataset Dataset::skip(int64_t n, const Loc&) const {
  return Dataset(internal::MakeSkip(node_, n < 0 ? -1 : n));
}

Dataset Dataset::prefetch(int64_t buffer_size, const Loc& loc) const {
  Check(buffer_size >= 1, loc, "prefetch",
        absl::StrCat("buffer_size must be >= 1, got ", buffer_size));
  return Dataset(internal::MakePrefetch(node_, buffer_size));
}

int64_t Dataset::cardinality() const { return node_->Cardinality(); }

Dataset::Iterator Dataset::begin() const { return Iterator(node_->Open()); }

Dataset::Iterator::Iterator(std::unique_ptr<internal::ElementStream> stream)
    : stream_(std::move(stream)), done_(false) {
  ++*this;
}
Dataset::Iterator::Iterator(Iterator&& other) noexcept
    : stream_(std::move(other.stream_)),
      current_(std::move(other.current_)),
      done_(std::exchange(other.done_, true)) {}
Dataset::Iterator& Dataset::Iterator::operator=(Iterator&& other) noexcept {
  stream_ = std::move(other.stream_);
  current_ = std::move(other.current_);
  done_ = std::exchange(other.done_, true);
  return *this;
}
Dataset::Iterator::~Iterator() = default;

Dataset::Iterator& Dataset::Iterator::operator++() {
  if (done_) return *this;
  if (!stream_->Next(&current_)) {
    done_ = true;
    current_.clear();
    stream_.reset();  // ends the iteration's resources (prefetch threads) at once
  }
  return *this;
}

}  // namespace duet::data
