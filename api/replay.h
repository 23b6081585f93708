// Re-tracing a recorded trace through the dispatch point, never the user's lambdas (they may
// reference locals that no longer exist). Used to build the forward variant of a function
// for its gradient (cond/while then keep what their backwards need), and to re-trace a pure
// cond/while nested in a loop body whose stacks would be ragged (see WhileGrad).
// Example:
//   { graph::TraceScope scope(&variant); outs = RetraceForGradient(trace, params); ... }
#pragma once

#include <unordered_map>
#include <vector>

#include "graph/trace_graph.h"

namespace duet::internal {

// True while cond/while traced on this thread must keep what their backwards need.
bool SavingForGradient();

// The trace's body with `args` bound to its params, re-traced into the current tracer with
// every cond/while traced for a gradient; returns its results.
std::vector<Tensor> RetraceForGradient(const graph::Trace& trace, const std::vector<Tensor>& args);

// The same without the gradient bookkeeping, into whatever executes now: eager ops (which a
// GradientTape records) or the current tracer. How a loaded saved model runs inside a
// function or under a tape. Errors are duet::Error at the nodes' own Locs.
std::vector<Tensor> ReplayTrace(const graph::Trace& trace, const std::vector<Tensor>& args);

// Re-traces one cond/while node of `trace` (found anywhere inside `scope`) with `env` giving
// its inputs and captures; returns its outputs. Refused (an error at the node's line) when the
// node assigns variables, prints, calls the host or draws random numbers: that would repeat it.
using Rerun = std::function<std::vector<Tensor>(const graph::TraceNode&,
                                                const std::unordered_map<int, Tensor>&)>;
Rerun RerunIn(const graph::Trace& trace, const graph::TraceRegion& scope);

}  // namespace duet::internal
