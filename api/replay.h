// Re-running a recorded trace through the dispatch point (tapes and tracers see it): what
// backward passes of traced code use instead of calling the user's lambdas again, which may
// reference locals that no longer exist. Defined in control_flow.cc beside Replay.
#pragma once

#include <string>
#include <vector>

#include "graph/trace_graph.h"

namespace duet::internal {

// The trace's body with `args` bound to its parameters; returns its results.
std::vector<Tensor> ReplayTrace(const graph::Trace& trace, const std::vector<Tensor>& args);
// The first variable assign or stateful (random) op in the region, described with its line
// ("assigns a variable at f.cc:12"), or "": a recomputing backward would repeat it. Prints and
// host calls are not listed: replaying them repeats them, which is allowed.
std::string FindStateChange(const graph::TraceRegion& region);

}  // namespace duet::internal
