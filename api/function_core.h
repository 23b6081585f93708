// The untyped core of duet::function: the per-signature cache of compiled traces, retrace
// explanations, the trace budget, compilation (trace -> MLIR -> passes -> Program) and the
// gradient of a call (itself a traced function). function.h wraps it for any C++ callable.
// No MLIR here: compiled state is behind a pointer.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/tensor.h"

namespace duet {

namespace graph {
struct Trace;
}  // namespace graph

namespace internal {

// One argument of a call as the cache sees it.
struct ArgKey {
  enum class Kind { kTensor, kValue } kind = Kind::kValue;
  TensorSpec spec;    // kTensor: the spec traced for (declared TensorSpec or the tensor's own)
  std::string value;  // kValue: the value's text (numbers, strings, variable identity)
  std::string describe() const;
};
using Signature = std::vector<ArgKey>;

// Calls the user's function with these tensors in place of its tensor arguments.
using Invoker = std::function<std::vector<Tensor>(const std::vector<Tensor>& tensor_args)>;

struct Compiled;

class FunctionCore {
 public:
  FunctionCore(std::string name, std::vector<std::optional<TensorSpec>> declared_specs);
  ~FunctionCore();

  // The spec a tensor argument is traced with (the declared one, checked), for the key.
  TensorSpec SpecFor(size_t tensor_index, const Tensor& t, const Loc& loc) const;
  // Runs the call: traces and compiles on a new signature, then executes the graph.
  std::vector<Tensor> Call(const Signature& sig, const std::vector<Tensor>& tensor_args,
                           const Invoker& invoke, const Loc& loc);
  std::string GraphText(const Signature& sig, const std::vector<Tensor>& tensor_args,
                        const Invoker& invoke, const Loc& loc);
  // The trace for this signature (traced and compiled if new, not run): what export reads.
  std::shared_ptr<const graph::Trace> TraceFor(const Signature& sig, const Invoker& invoke,
                                               const Loc& loc);
  int tracing_count() const;
  std::string explain_retrace() const;
  void set_trace_budget(int budget);

 private:
  std::shared_ptr<Compiled> GetOrCompile(const Signature& sig, const Invoker& invoke,
                                         const Loc& loc);
  struct State;
  std::unique_ptr<State> state_;
};

// True once any function has been traced or run (enable_eager_execution must come first).
bool GraphsCreated();

}  // namespace internal
}  // namespace duet
