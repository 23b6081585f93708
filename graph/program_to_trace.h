// ProgramToTrace: a lowered (optimized) Program read back as a graph::Trace, so code written
// against traces (the ONNX GraphWriter) sees the graph after folding, CSE and DCE. A program's
// slots are numbered across its regions as trace values are, so slot k becomes value k. Specs
// come from the instructions' out_specs, the function's parameters from `inputs`, a while
// region's parameters from the loop's operands. An Instr keeps its line only as "file:line"
// text; each node gets the Loc of a `source` node at that line (the passes remove ops, merge
// equal ones and put folded constants at the folded op's line, so the user's line survives),
// or an empty Loc. Traced-for-gradient bookkeeping of cond/while is not in a Program and is
// not restored. No MLIR here.
// Example:
//   ASSIGN_OR_RETURN(compiler::Executable exe, compiler::Compile(trace, {}));
//   ASSIGN_OR_RETURN(graph::Trace optimized,
//                    graph::ProgramToTrace(*exe.program, {trace.variables, trace.host_fns}, specs,
//                    &trace));
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "graph/program.h"
#include "graph/trace_graph.h"

namespace duet::graph {

// Errors (a program that reads a slot before defining it, indexes a missing variable or host
// function, or whose parameters do not match `inputs`) are InvalidArgument.
absl::StatusOr<Trace> ProgramToTrace(const Program& program, const Bindings& bindings,
                                     const std::vector<TensorSpec>& inputs,
                                     const Trace* source = nullptr);

}  // namespace duet::graph
