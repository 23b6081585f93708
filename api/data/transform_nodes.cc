// The pipeline's element-order stages: shuffle, batch, repeat, take, skip. Cardinalities follow
// tf.data (unknown and infinite propagate; repeat of an empty dataset stays empty).
#include <atomic>
#include <cstring>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "api/data/dataset_node.h"
#include "kernels/shape_ops.h"

namespace duet::data::internal {

absl::StatusOr<Tensor> StackRows(const std::vector<Tensor>& rows, int component) {
  const TensorSpec& first = rows[0].spec();
  bool cpu = true;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].spec() != first) {
      return absl::InvalidArgumentError(
          absl::StrCat("[batch] component ", component, " of element ", i, " in a batch is ",
                       rows[i].spec().to_string(), " but the batch's first element has ",
                       first.to_string(), "; elements of a batch must match"));
    }
    cpu = cpu && rows[i].device().type == DeviceType::kCPU;
  }
  if (!cpu) return stack(rows, 0);
  std::vector<int64_t> dims = first.shape.dims();
  dims.insert(dims.begin(), static_cast<int64_t>(rows.size()));
  Tensor out = Tensor::Empty({Shape(dims), first.dtype});
  const size_t bytes = rows[0].num_bytes();
  char* dst = static_cast<char*>(out.mutable_raw_data());
  for (const Tensor& r : rows) {
    if (bytes > 0) std::memcpy(dst, r.raw_data(), bytes);
    dst += bytes;
  }
  return out;
}

namespace {

// splitmix64: decorrelates the per-epoch seeds of one shuffle seed.
uint64_t MixSeed(uint64_t seed, uint64_t epoch) {
  uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (epoch + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// tf.data's shuffle buffer: keep up to `capacity` items, emit a uniformly chosen one and let
// the next input item take its place.
template <class T>
class ShuffleBuffer {
 public:
  ShuffleBuffer(int64_t capacity, uint64_t seed) : capacity_(capacity), rng_(seed) {}
  template <class Pull>  // bool(T*): the next input item
  bool Next(T* out, Pull pull) {
    T item;
    while (!input_done_ && static_cast<int64_t>(items_.size()) < capacity_) {
      if (pull(&item))
        items_.push_back(std::move(item));
      else
        input_done_ = true;
    }
    if (items_.empty()) return false;
    size_t j = std::uniform_int_distribution<size_t>(0, items_.size() - 1)(rng_);
    *out = std::move(items_[j]);
    items_[j] = std::move(items_.back());
    items_.pop_back();
    return true;
  }

 private:
  int64_t capacity_;
  std::mt19937_64 rng_;
  std::vector<T> items_;
  bool input_done_ = false;
};

// Over a row source it shuffles row indices (the same order as shuffling the rows themselves).
class ShuffleStream : public ElementStream {
 public:
  ShuffleStream(std::unique_ptr<ElementStream> input, int64_t buffer_size, uint64_t seed)
      : input_(std::move(input)), rows_(buffer_size, seed), elements_(buffer_size, seed) {}
  bool Next(std::vector<Tensor>* out) override {
    if (const std::vector<Tensor>* source = RowSource()) {
      int64_t row;
      if (!NextRow(&row)) return false;
      out->clear();
      for (const Tensor& c : *source) out->push_back(SliceRow(c, row));
      return true;
    }
    return elements_.Next(out, [&](std::vector<Tensor>* e) { return input_->Next(e); });
  }
  const std::vector<Tensor>* RowSource() const override { return input_->RowSource(); }
  bool NextRow(int64_t* row) override {
    return rows_.Next(row, [&](int64_t* r) { return input_->NextRow(r); });
  }

 private:
  std::unique_ptr<ElementStream> input_;
  ShuffleBuffer<int64_t> rows_;
  ShuffleBuffer<std::vector<Tensor>> elements_;
};

class ShuffleNode : public DatasetNode {
 public:
  ShuffleNode(NodePtr input, int64_t buffer_size, uint64_t seed)
      : input_(std::move(input)), buffer_size_(buffer_size), seed_(seed) {}
  std::unique_ptr<ElementStream> Open() const override {
    uint64_t epoch = epochs_.fetch_add(1, std::memory_order_relaxed);
    return std::make_unique<ShuffleStream>(input_->Open(), buffer_size_, MixSeed(seed_, epoch));
  }
  int64_t Cardinality() const override { return input_->Cardinality(); }

 private:
  NodePtr input_;
  int64_t buffer_size_;
  uint64_t seed_;
  mutable std::atomic<uint64_t> epochs_{0};  // iterations begun: each one reshuffles
};

class BatchStream : public ElementStream {
 public:
  BatchStream(std::unique_ptr<ElementStream> input, int64_t batch_size, bool drop_remainder,
              Loc loc)
      : input_(std::move(input)),
        batch_size_(batch_size),
        drop_remainder_(drop_remainder),
        loc_(loc) {}
  bool Next(std::vector<Tensor>* out) override {
    if (const std::vector<Tensor>* source = input_->RowSource()) return NextFromRows(*source, out);
    std::vector<std::vector<Tensor>> columns;
    std::vector<Tensor> e;
    int64_t n = 0;
    while (n < batch_size_ && input_->Next(&e)) {
      if (n == 0) columns.resize(e.size());
      if (e.size() != columns.size()) {
        ThrowError(absl::InvalidArgumentError(
                       absl::StrCat("[batch] element ", n, " of a batch has ", e.size(),
                                    " components but the first has ", columns.size())),
                   loc_);
      }
      for (size_t c = 0; c < e.size(); ++c) columns[c].push_back(std::move(e[c]));
      ++n;
    }
    if (n == 0 || (n < batch_size_ && drop_remainder_)) return false;
    out->clear();
    for (size_t c = 0; c < columns.size(); ++c) {
      out->push_back(ValueOrThrow(StackRows(columns[c], static_cast<int>(c)), loc_));
    }
    return true;
  }

 private:
  // Rows of in-memory components go straight into the batch (and always match).
  bool NextFromRows(const std::vector<Tensor>& source, std::vector<Tensor>* out) {
    std::vector<int64_t> rows;
    int64_t row;
    while (static_cast<int64_t>(rows.size()) < batch_size_ && input_->NextRow(&row))
      rows.push_back(row);
    if (rows.empty() || (static_cast<int64_t>(rows.size()) < batch_size_ && drop_remainder_))
      return false;
    out->clear();
    for (const Tensor& c : source) out->push_back(GatherRows(c, rows));
    return true;
  }

  std::unique_ptr<ElementStream> input_;
  int64_t batch_size_;
  bool drop_remainder_;
  Loc loc_;
};

class BatchNode : public DatasetNode {
 public:
  BatchNode(NodePtr input, int64_t batch_size, bool drop_remainder, Loc loc)
      : input_(std::move(input)),
        batch_size_(batch_size),
        drop_remainder_(drop_remainder),
        loc_(loc) {}
  std::unique_ptr<ElementStream> Open() const override {
    return std::make_unique<BatchStream>(input_->Open(), batch_size_, drop_remainder_, loc_);
  }
  int64_t Cardinality() const override {
    int64_t n = input_->Cardinality();
    if (n < 0) return n;
    return drop_remainder_ ? n / batch_size_ : n / batch_size_ + (n % batch_size_ != 0);
  }

 private:
  NodePtr input_;
  int64_t batch_size_;
  bool drop_remainder_;
  Loc loc_;
};

class RepeatStream : public ElementStream {
 public:
  RepeatStream(NodePtr input, int64_t count) : input_(std::move(input)), count_(count) {}
  bool Next(std::vector<Tensor>* out) override {
    while (true) {
      if (!current_) {
        if (count_ >= 0 && epoch_ >= count_) return false;
        current_ = input_->Open();
        ++epoch_;
        epoch_empty_ = true;
      }
      if (current_->Next(out)) {
        epoch_empty_ = false;
        return true;
      }
      current_.reset();
      if (epoch_empty_ && count_ < 0) return false;  // forever over nothing is nothing
    }
  }

 private:
  NodePtr input_;
  int64_t count_;
  std::unique_ptr<ElementStream> current_;
  int64_t epoch_ = 0;
  bool epoch_empty_ = true;
};

class RepeatNode : public DatasetNode {
 public:
  RepeatNode(NodePtr input, int64_t count) : input_(std::move(input)), count_(count) {}
  std::unique_ptr<ElementStream> Open() const override {
    return std::make_unique<RepeatStream>(input_, count_);
  }
  int64_t Cardinality() const override {
    int64_t n = input_->Cardinality();
    if (count_ < 0) return n == 0 ? 0 : kInfiniteCardinality;
    if (count_ == 0 || n == 0) return 0;
    if (n < 0) return n;
    return n > INT64_MAX / count_ ? kInfiniteCardinality : n * count_;
  }

 private:
  NodePtr input_;
  int64_t count_;
};

// take(n) and skip(n): a prefix or the rest after it.
class TakeSkipStream : public ElementStream {
 public:
  TakeSkipStream(std::unique_ptr<ElementStream> input, int64_t take, int64_t skip)
      : input_(std::move(input)), take_(take), skip_(skip) {}
  bool Next(std::vector<Tensor>* out) override {
    while (skip_ != 0) {
      if (!input_->Next(out)) return false;
      if (skip_ > 0) --skip_;
    }
    if (take_ == 0 || !input_->Next(out)) return false;
    if (take_ > 0) --take_;
    return true;
  }

 private:
  std::unique_ptr<ElementStream> input_;
  int64_t take_, skip_;  // -1: unlimited
};

class TakeSkipNode : public DatasetNode {
 public:
  TakeSkipNode(NodePtr input, int64_t take, int64_t skip)
      : input_(std::move(input)), take_(take), skip_(skip) {}
  std::unique_ptr<ElementStream> Open() const override {
    return std::make_unique<TakeSkipStream>(input_->Open(), take_, skip_);
  }
  int64_t Cardinality() const override {
    int64_t n = input_->Cardinality();
    if (skip_ != 0) {  // skip
      if (n == kInfiniteCardinality || n == kUnknownCardinality) return n;
      return skip_ < 0 ? 0 : std::max<int64_t>(0, n - skip_);
    }
    if (take_ < 0) return n;  // take
    if (n == kInfiniteCardinality) return take_;
    if (n == kUnknownCardinality) return n;
    return std::min(n, take_);
  }

 private:
  NodePtr input_;
  int64_t take_, skip_;
};

}  // namespace

NodePtr MakeShuffle(NodePtr input, int64_t buffer_size, uint64_t seed) {
  return std::make_shared<ShuffleNode>(std::move(input), buffer_size, seed);
}
NodePtr MakeBatch(NodePtr input, int64_t batch_size, bool drop_remainder, Loc loc) {
  return std::make_shared<BatchNode>(std::move(input), batch_size, drop_remainder, loc);
}
NodePtr MakeRepeat(NodePtr input, int64_t count) {
  return std::make_shared<RepeatNode>(std::move(input), count);
}
NodePtr MakeTake(NodePtr input, int64_t n) {
  return std::make_shared<TakeSkipNode>(std::move(input), n, 0);
}
NodePtr MakeSkip(NodePtr input, int64_t n) {
  return std::make_shared<TakeSkipNode>(std::move(input), -1, n);
}

}  // namespace duet::data::internal
