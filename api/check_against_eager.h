// config::check_functions_against_eager(true) (or DUET_CHECK_FUNCTIONS=1): every compiled call
// also runs the traced ops eagerly (ReplayTrace), from the same variable values, and compares
// the outputs and the variables' new values. On a mismatch it finds the pass that introduced it
// (recompiling with ever longer prefixes of the pipeline) and the first op whose value differs
// (compiling the graph up to each op), restores the variables, and throws naming both and the
// call's line. Floats compare within 1e-6 + 1e-4 * |eager| (generated kernels' approximations
// differ by a few ulp), other dtypes exactly. A debugging aid: checked calls run twice or more.
// Example: config::check_functions_against_eager(true); step();  // throws if step miscompiles
#pragma once

#include <string>
#include <vector>

#include "absl/types/span.h"
#include "graph/program.h"
#include "graph/trace_graph.h"

namespace duet::internal {

struct CheckedFunction {
  const std::string& name;
  const graph::Trace& trace;  // what was traced (run eagerly by the check)
  const graph::Program& program;
  const graph::Bindings& bindings;
  bool fuse;  // the pipeline it was compiled with (CompileOptions::fuse)
};

bool CheckingFunctionsAgainstEager();
std::vector<Tensor> RunCheckedAgainstEager(const CheckedFunction& f, absl::Span<const Tensor> args,
                                           const Loc& loc);

}  // namespace duet::internal
