// A fused elementwise region as the graph executor runs it (lowered from duet.fusion): its ops
// over one iteration domain, executed tile by tile with the same CPU kernels eager runs, so
// every intermediate lives in a cache-sized tile instead of a whole buffer (tier 0 of issue 9).
// Results are bit-identical to eager: each element goes through the same kernel code.
// Tier 1: once a plan's generated kernel is ready (compiler/codegen compiles it off the calling
// thread, from the ops' scalar facets), RunFusion calls it instead, over slices on the pool.
// Example: ASSIGN_OR_RETURN(std::vector<Tensor> out, RunFusion(plan, inputs, out_specs));
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "runtime/op_def.h"

namespace duet::graph {

// One op of the region; `in` and `out` index the region's values (the inputs come first).
struct FusedOp {
  const OpDef* op = nullptr;
  KernelFn kernel = nullptr;
  Attrs attrs;
  std::vector<int> in, out;
  std::string where;  // the user's file:line, for errors
};

// A generated kernel for a whole region over elements [0, n) of a slice: `args` holds one data
// pointer per region input, then one per result, each at the slice's first element (a
// broadcast input's pointer is its one element).
using GeneratedKernel = void (*)(int64_t n, void* const* args);

// A plan's generated-code slot, filled by the compiler in the background.
class GeneratedKernelSlot {
 public:
  virtual ~GeneratedKernelSlot() = default;
  // The kernel once it is ready; until then null (and the call may start its compile).
  virtual GeneratedKernel Get() = 0;
  virtual bool ready() const = 0;         // Get() would return the kernel (no side effect)
  virtual double compile_ms() const = 0;  // spent building or loading it; 0 until then
};

struct FusionPlan {
  int64_t domain = 0;              // elements of every full value
  Shape shape;                     // the full values' shape (what `expand` inputs broadcast to)
  std::vector<TensorSpec> values;  // the static spec of each region value
  std::vector<bool> broadcast;     // per input: one element, broadcast over the domain
  // Per input (may be shorter: false): a NumPy broadcast of fewer elements, e.g. a row (n) or a
  // column (m, 1) under (m, n). RunFusion expands it slice by slice into a cache-sized buffer,
  // so the ops and a generated kernel see it as a full input.
  std::vector<bool> expand;
  std::vector<FusedOp> ops;                        // in program order
  std::vector<int> results;                        // the values the region yields
  std::shared_ptr<GeneratedKernelSlot> generated;  // null: tier 0 only (jit off, or no codegen)
  int num_inputs() const { return static_cast<int>(broadcast.size()); }
  bool expands(int v) const { return v < static_cast<int>(expand.size()) && expand[v]; }
};

// Writes elements [offset, offset + len) of `in` broadcast to `shape` (flat, row-major) to dst.
void ExpandSlice(const Tensor& in, const Shape& shape, int64_t offset, int64_t len, void* dst);

// Elements of each value processed at once: a few tiles of every value fit in L2, and a tile
// is a whole number of vectors on every ISA, so kernels split it as they split a full buffer.
inline constexpr int64_t kFusionTile = 4096;

// Runs `plan` over `inputs` (one per region input); returns the results, allocated as
// `result_specs`. Tiles run on the thread pool. An op's error names the op and its user line.
// `dying[k]` (optional) says the caller's handle to input k is its last: a result of its spec
// is then written over its buffer when no one else holds it (each slice of an input is read
// before its slice of a result is written, on both tiers).
absl::StatusOr<std::vector<Tensor>> RunFusion(const FusionPlan& plan,
                                              absl::Span<const Tensor> inputs,
                                              absl::Span<const TensorSpec> result_specs,
                                              absl::Span<const char> dying = {});

}  // namespace duet::graph
