// Reverse-mode autodiff of traced graphs: the registry's gradient rules applied to a traced
// region's nodes in reverse, as GradientTape applies them to recorded eager ops. Run under a
// tracer, it traces the backward as a graph: a cond's backward is a cond over the branches'
// backwards, a while's backward a while that walks the iterations in reverse, reading each
// iteration's values from the stacks the forward kept (TraceNode::saved). Nothing is re-run:
// every forward value comes from `env` (saved outputs), so effects happen only in the forward.
// Ops made by a rule carry the forward op's location.
// Example:
//   GraphGrad g{.variables = trace.variables, .specs = specs_of_trace_values};
//   for (int p : trace.body.params) g.env[p] = saved_param, g.Track(p);
//   Propagate(trace.body, g);
//   g.Seed(trace.body.results[0], dy);
//   Reverse(trace.body, g);  // g.grads[p]: the gradient of each param
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "graph/trace_graph.h"

namespace duet::internal {

struct GraphGrad {
  std::vector<std::shared_ptr<VariableState>> variables;  // the trace's, by index
  std::set<int> source_variables;                         // indices whose reads get gradients
  std::unordered_map<int, Tensor> env;                    // forward values by value id
  // Forward values not in env (made in the caller's region), or undefined.
  std::function<Tensor(GraphGrad&, int)> lazy;
  // Re-traces a pure cond/while nested in a loop body (values of unknown shape are not stacked).
  std::function<std::vector<Tensor>(const graph::TraceNode&,
                                    const std::unordered_map<int, Tensor>&)>
      rerun;
  std::shared_ptr<const std::vector<TensorSpec>> specs;  // of every value id (the trace's)
  std::shared_ptr<std::unordered_set<int>> tracked = std::make_shared<std::unordered_set<int>>();
  std::unordered_map<int, Tensor> grads;  // adjoints by value id
  std::map<int, Tensor> var_grads;        // adjoints by variable index

  bool IsTracked(int id) const { return tracked->count(id) != 0; }
  // Marks a floating value as depending on a source (others never carry adjoints).
  void Track(int id) {
    if (IsFloating((*specs)[static_cast<size_t>(id)].dtype)) tracked->insert(id);
  }
  // The forward value of `id` (throws if the forward did not keep it).
  Tensor Value(int id);
  // Adds g to the adjoint of `id` when `id` depends on a source.
  void Seed(int id, const Tensor& g);
  // A context for a nested region: same values, sources and tracking; fresh adjoints.
  GraphGrad Child() const;
};

// Marks the values of `r` (and of its regions) that depend on tracked values or source variables.
void Propagate(const graph::TraceRegion& r, GraphGrad& g);
// Accumulates into g the adjoints of everything `r` reads, given those of what it defines.
void Reverse(const graph::TraceRegion& r, GraphGrad& g);
// Zeros shaped like t; for a symbolic t with unknown dims, shaped at run time (t * 0).
Tensor ZerosOf(const Tensor& t);

// Values a region (and its nested regions) uses but does not define.
void CollectCaptures(const graph::TraceRegion& r, std::set<int>& defined, std::set<int>& captures);
// Variables read anywhere in the region.
void CollectVariableReads(const graph::TraceRegion& r, std::set<int>& reads);
// What a backward of `r` may need from it: its params and every non-constant value its nodes
// define (nested regions' values reach it as their node's extra outputs).
std::vector<int> DefinedValues(const graph::TraceRegion& r);

// The backward of one traced cond/while node (traced for a gradient) seen by a tape: the
// gradients of `wrt` values then of `wrt_variables`, zeros where none flows.
std::vector<Tensor> NodeVjp(const graph::TraceNode& node, GraphGrad g, const std::vector<int>& wrt,
                            const std::vector<int>& wrt_variables, absl::Span<const Tensor> dys);

}  // namespace duet::internal
