// The pipeline behind data::Dataset: immutable stages (DatasetNode) shared by every handle, and
// the per-iteration state each stage creates (ElementStream). Streams call user code (map
// functions), so they report failure by exception (duet::Error or whatever the user threw),
// which prefetch carries across threads; argument checks happen when stages are built.
// Example:
//   auto node = MakeBatch(MakeRange(0, 10, 1), 4, false, Loc::current());
//   auto stream = node->Open();  std::vector<Tensor> e;  while (stream->Next(&e)) { ... }
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "api/data/dataset.h"

namespace duet::data::internal {

class ElementStream {
 public:
  virtual ~ElementStream() = default;
  // The next element into *out; false at the end (and every call after it).
  virtual bool Next(std::vector<Tensor>* out) = 0;
  // Streams of rows of in-memory tensors (from_tensor_slices, also shuffled) can hand out row
  // indices instead, so batch copies each row once, straight into the batch, and shuffle
  // buffers indices rather than element copies. RowSource() is then the sliced components and
  // NextRow the next index (false at the end); Next and NextRow share one position.
  virtual const std::vector<Tensor>* RowSource() const { return nullptr; }
  virtual bool NextRow(int64_t*) { return false; }
};

class DatasetNode {
 public:
  virtual ~DatasetNode() = default;
  virtual std::unique_ptr<ElementStream> Open() const = 0;
  virtual int64_t Cardinality() const = 0;
};
using NodePtr = std::shared_ptr<const DatasetNode>;

// Sources (source_nodes.cc). Components are checked by the caller (Dataset).
NodePtr MakeTensorSlices(std::vector<Tensor> components);
NodePtr MakeRange(int64_t start, int64_t stop, int64_t step);
// Transformations (transform_nodes.cc, map_node.cc, prefetch_node.cc).
NodePtr MakeShuffle(NodePtr input, int64_t buffer_size, uint64_t seed);
NodePtr MakeBatch(NodePtr input, int64_t batch_size, bool drop_remainder, Loc loc);
NodePtr MakeRepeat(NodePtr input, int64_t count);
NodePtr MakeTake(NodePtr input, int64_t n);
NodePtr MakeSkip(NodePtr input, int64_t n);
NodePtr MakeMap(NodePtr input, MapFn fn, Loc loc);
NodePtr MakePrefetch(NodePtr input, int64_t buffer_size);

// Prefetch producer threads currently running (for tests: none after an iteration ends).
int LivePrefetchThreads();

// Row `i` of a tensor along its first dimension (CPU: a copy of the row's bytes).
Tensor SliceRow(const Tensor& t, int64_t i);
// Rows `rows` of `t` (along its first dimension) as one tensor (CPU: one copy per row).
Tensor GatherRows(const Tensor& t, const std::vector<int64_t>& rows);
// Stacks same-shaped tensors along a new first dimension; `component` is named in errors.
absl::StatusOr<Tensor> StackRows(const std::vector<Tensor>& rows, int component);

}  // namespace duet::data::internal
