// The tracer: an Executor that, instead of running ops, records them into a Trace. While a
// TraceScope is alive on a thread, every op dispatched there becomes a node, tensors are
// symbolic (shape and dtype only), and executing_eagerly() is false.
// Example:
//   Trace trace;
//   { TraceScope scope(&trace); Tensor x = scope.Parameter({Shape{2}, DType::kFloat32});
//   scope.Return({x * 2.f}); }
#pragma once

#include <optional>
#include <unordered_map>

#include "graph/trace_graph.h"
#include "runtime/context.h"

namespace duet::graph {

class Tracer;

class TraceScope {
 public:
  explicit TraceScope(Trace* trace);
  ~TraceScope();
  TraceScope(const TraceScope&) = delete;
  TraceScope& operator=(const TraceScope&) = delete;

  Tensor Parameter(const TensorSpec& spec);
  // The function's results; concrete tensors become constants.
  absl::Status Return(const std::vector<Tensor>& results);  // an error for a foreign tensor
  Tracer& tracer() { return *tracer_; }

 private:
  std::unique_ptr<Tracer> tracer_;
  std::optional<ExecutorScope> scope_;
};

// The tracer ops go to on this thread (the current executor), or null: false exactly when
// executing_eagerly() is true.
Tracer* CurrentTracer();

// While alive, ops traced on this thread are located at `loc` instead of their own call site:
// ops made by gradient rules carry the line of the forward op they differentiate.
// Example: { LocationScope at(node.loc); in_grads = rule(ctx); }
class LocationScope {
 public:
  explicit LocationScope(const Loc& loc);
  ~LocationScope();
  LocationScope(const LocationScope&) = delete;
  LocationScope& operator=(const LocationScope&) = delete;

 private:
  const Loc* previous_;
  Loc loc_;
};

class Tracer final : public Executor {
 public:
  explicit Tracer(Trace* trace);
  bool is_eager() const override { return false; }
  absl::StatusOr<TensorList> Execute(const OpCall& call, SpecList&& specs) override;
  Tensor ReadVariable(const std::shared_ptr<VariableState>& v, const Loc& loc) override;
  absl::Status AssignVariable(const std::shared_ptr<VariableState>& v, const Tensor& value,
                              const Loc& loc) override;

  // The value id of a tensor in the trace; concrete tensors become constants in the current region.
  // An error for a symbolic tensor of another trace.
  absl::StatusOr<int> ValueOf(const Tensor& t, const Loc& loc);
  // The id of a value this tracer made (NewValue, an op's output).
  int IdOf(const Tensor& t) const { return ids_.at(t.impl()); }
  Tensor NewValue(const TensorSpec& spec, const Loc& origin = Loc());  // origin: the user's line
  // The tensor handle of a value id (symbolic, or the captured constant).
  Tensor TensorOf(int id) const { return by_id_.at(id); }
  TraceRegion& region() { return *regions_.back(); }
  void PushRegion(TraceRegion* r) { regions_.push_back(r); }
  void PopRegion() { regions_.pop_back(); }
  Trace& trace() { return *trace_; }
  int AddHostFn(HostFn fn);
  // Adds a node to the current region and returns it.
  TraceNode& AddNode(TraceNode node);

 private:
  int VariableIndex(const std::shared_ptr<VariableState>& v);
  // A read made without a user line (a Variable converted to a Tensor) takes the line of the
  // first op that uses its value.
  void LocateRead(int id, const Loc& loc);
  std::unordered_map<int, std::pair<TraceRegion*, size_t>> unlocated_reads_;  // id -> node
  Trace* trace_;
  std::vector<TraceRegion*> regions_;
  std::unordered_map<const TensorImpl*, int> ids_;
  std::unordered_map<const TensorImpl*, std::vector<std::pair<TraceRegion*, int>>> constants_;
  std::unordered_map<int, Tensor> by_id_;  // also keeps alive the handles ids_ is keyed on
};

}  // namespace duet::graph
