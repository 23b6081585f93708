// The untyped core of duet::function: the per-signature cache of compiled traces, retrace
// explanations, the trace budget, compilation (trace -> MLIR -> passes -> Program) and the
// gradient of a call (itself a traced function). function.h wraps it for any C++ callable.
// No MLIR here: compiled state is behind a pointer.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/functional/function_ref.h"
#include "absl/types/span.h"
#include "api/compiler_config.h"
#include "runtime/tensor.h"

namespace duet {

namespace graph {
struct Trace;
}  // namespace graph

namespace internal {

// One argument of a call as the cache sees it. Built on every call, so it holds no strings
// for tensors, numbers or variables: those key by spec, numeric value and identity, and
// describe() writes the text only when a retrace is explained. Other values key by their text.
struct ArgKey {
  enum class Kind { kTensor, kValue } kind = Kind::kValue;
  TensorSpec spec;    // kTensor: the spec traced for (declared TensorSpec or the tensor's own)
  std::string value;  // kValue of another type: the value's text (operator<<)
  // kValue numbers and variables: kReal holds a double's bits (bool and integers up to 2^53
  // too, so 1, 1.0 and true key alike, as their texts do), kInteger a wider integer,
  // kIdentity a variable's state address.
  enum class ValueKind { kText, kReal, kInteger, kIdentity } value_kind = ValueKind::kText;
  uint64_t bits = 0;

  std::string describe() const;  // "tensor float32(2, 3)", "value 3"
  std::string value_text() const;
  friend bool operator==(const ArgKey&, const ArgKey&) = default;
};
// Inline: a call of up to 4 arguments builds its signature without touching the heap.
using Signature = absl::InlinedVector<ArgKey, 4>;
uint64_t HashSignature(const Signature& sig);

// Calls the user's function with these tensors in place of its tensor arguments.
using Invoker = std::function<std::vector<Tensor>(const std::vector<Tensor>& tensor_args)>;
// What the core takes: called only while tracing on a new signature, so callers pass a lambda
// on the stack (no closure allocated per call).
using InvokerRef = absl::FunctionRef<std::vector<Tensor>(const std::vector<Tensor>& tensor_args)>;

struct Compiled;

class FunctionCore {
 public:
  FunctionCore(std::string name, std::vector<std::optional<TensorSpec>> declared_specs);
  ~FunctionCore();

  // The spec a tensor argument is traced with (the declared one, checked), for the key.
  TensorSpec SpecFor(size_t tensor_index, const Tensor& t, const Loc& loc) const;
  // Runs the call: traces and compiles on a new signature, then executes the graph.
  // The cached path hashes `sig`, finds the compiled program and runs it: no strings, maps
  // or closures.
  std::vector<Tensor> Call(const Signature& sig, absl::Span<const Tensor> tensor_args,
                           InvokerRef invoke, const Loc& loc);
  std::string GraphText(const Signature& sig, InvokerRef invoke, const Loc& loc);
  CompileStats Stats(const Signature& sig, InvokerRef invoke, const Loc& loc);
  // The trace for this signature (traced and compiled if new, not run): what export reads.
  std::shared_ptr<const graph::Trace> TraceFor(const Signature& sig, InvokerRef invoke,
                                               const Loc& loc);
  int tracing_count() const;
  std::string explain_retrace() const;
  void set_trace_budget(int budget);
  void set_jit_compile(bool on);

 private:
  std::shared_ptr<Compiled> GetOrCompile(const Signature& sig, InvokerRef invoke, const Loc& loc);
  std::shared_ptr<Compiled> Lookup(const Signature& sig, uint64_t hash) const;
  struct State;
  std::unique_ptr<State> state_;
};

// True once any function has been traced or run (enable_eager_execution must come first).
bool GraphsCreated();

}  // namespace internal
}  // namespace duet
