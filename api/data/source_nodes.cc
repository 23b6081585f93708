// The pipeline's sources: slices of in-memory tensors and integer ranges.
#include <cstring>
#include <utility>

#include "api/data/dataset_node.h"
#include "kernels/shape_ops.h"

namespace duet::data::internal {

Tensor SliceRow(const Tensor& t, int64_t i) {
  std::vector<int64_t> dims = t.shape().dims();
  Shape row_shape(dims.begin() + 1, dims.end());
  if (t.device().type != DeviceType::kCPU) {
    std::vector<int64_t> begin(dims.size(), 0), size(dims.size(), -1);
    begin[0] = i;
    size[0] = 1;
    return reshape(slice(t, begin, size), row_shape);
  }
  Tensor row = Tensor::Empty({row_shape, t.dtype()});
  const size_t bytes = row.num_bytes();
  if (bytes > 0)
    std::memcpy(row.mutable_raw_data(), static_cast<const char*>(t.raw_data()) + i * bytes, bytes);
  return row;
}

Tensor GatherRows(const Tensor& t, const std::vector<int64_t>& rows) {
  if (t.device().type != DeviceType::kCPU) {
    return gather(t,
                  Tensor::FromData<int64_t>(rows.data(), Shape{static_cast<int64_t>(rows.size())}));
  }
  std::vector<int64_t> dims = t.shape().dims();
  dims[0] = static_cast<int64_t>(rows.size());
  Tensor out = Tensor::Empty({Shape(dims), t.dtype()});
  const size_t bytes = rows.empty() ? 0 : out.num_bytes() / rows.size();
  const char* src = static_cast<const char*>(t.raw_data());
  char* dst = static_cast<char*>(out.mutable_raw_data());
  for (size_t i = 0; i < rows.size() && bytes > 0; ++i)
    std::memcpy(dst + i * bytes, src + rows[i] * bytes, bytes);
  return out;
}

namespace {

// Streams share the components with their node, so an iteration outlives its Dataset handle.
using Components = std::shared_ptr<const std::vector<Tensor>>;

class SlicesStream : public ElementStream {
 public:
  explicit SlicesStream(Components components) : components_(std::move(components)) {}
  bool Next(std::vector<Tensor>* out) override {
    int64_t row;
    if (!NextRow(&row)) return false;
    out->clear();
    for (const Tensor& c : *components_) out->push_back(SliceRow(c, row));
    return true;
  }
  const std::vector<Tensor>* RowSource() const override { return components_.get(); }
  bool NextRow(int64_t* row) override {
    if (next_ >= (*components_)[0].shape()[0]) return false;
    *row = next_++;
    return true;
  }

 private:
  Components components_;
  int64_t next_ = 0;
};

class SlicesNode : public DatasetNode {
 public:
  explicit SlicesNode(std::vector<Tensor> components)
      : components_(std::make_shared<const std::vector<Tensor>>(std::move(components))) {}
  std::unique_ptr<ElementStream> Open() const override {
    return std::make_unique<SlicesStream>(components_);
  }
  int64_t Cardinality() const override { return (*components_)[0].shape()[0]; }

 private:
  Components components_;
};

class RangeStream : public ElementStream {
 public:
  RangeStream(int64_t start, int64_t stop, int64_t step) : next_(start), stop_(stop), step_(step) {}
  bool Next(std::vector<Tensor>* out) override {
    if (step_ > 0 ? next_ >= stop_ : next_ <= stop_) return false;
    TensorSpec scalar;  // default shape: rank 0
    scalar.dtype = DType::kInt64;
    Tensor t = Tensor::Empty(scalar);
    *t.mutable_data<int64_t>() = next_;
    *out = {t};
    // Saturate instead of overflowing past the end.
    if (__builtin_add_overflow(next_, step_, &next_)) next_ = stop_;
    return true;
  }

 private:
  int64_t next_, stop_, step_;
};

class RangeNode : public DatasetNode {
 public:
  RangeNode(int64_t start, int64_t stop, int64_t step) : start_(start), stop_(stop), step_(step) {}
  std::unique_ptr<ElementStream> Open() const override {
    return std::make_unique<RangeStream>(start_, stop_, step_);
  }
  int64_t Cardinality() const override {
    // Computed in unsigned arithmetic: stop - start may not fit in int64.
    if (step_ > 0) {
      if (stop_ <= start_) return 0;
      uint64_t span = static_cast<uint64_t>(stop_) - static_cast<uint64_t>(start_);
      return static_cast<int64_t>((span - 1) / static_cast<uint64_t>(step_) + 1);
    }
    if (stop_ >= start_) return 0;
    uint64_t span = static_cast<uint64_t>(start_) - static_cast<uint64_t>(stop_);
    uint64_t mag = static_cast<uint64_t>(-(step_ + 1)) + 1;
    return static_cast<int64_t>((span - 1) / mag + 1);
  }

 private:
  int64_t start_, stop_, step_;
};

}  // namespace

NodePtr MakeTensorSlices(std::vector<Tensor> components) {
  return std::make_shared<SlicesNode>(std::move(components));
}
NodePtr MakeRange(int64_t start, int64_t stop, int64_t step) {
  return std::make_shared<RangeNode>(start, stop, step);
}

}  // namespace duet::data::internal
