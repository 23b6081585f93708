// compiler::Compile: the one entry from a traced graph to what runs it. It builds the duet
// dialect form of the trace, verifies it with the registry's shape functions, runs the pass
// pipeline and lowers the result to a graph::Program for the graph executor. `function` uses
// it; export and duet-opt build on the same pieces. No MLIR in this header.
// Example:
//   ASSIGN_OR_RETURN(compiler::Executable exe, compiler::Compile(trace, {.name = "step"}));
//   graph::RunProgram(*exe.program, bindings, args);
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "graph/program.h"
#include "graph/trace_graph.h"

namespace duet::compiler {

struct CompileOptions {
  std::string name = "function";    // the func's name in the IR and in messages
  std::string dump_label;           // what DUET_DUMP headers show (e.g. the signature)
  std::vector<std::string> passes;  // short pass names; empty: the default pipeline
  bool exact_passes = false;        // run exactly `passes`, even none (the eager check bisects)
  // Whose kernels the program runs; kNull (allocate-only kernels) runs the whole path in tests.
  DeviceType device = DeviceType::kCPU;
  // With the default pipeline: also run the lowering passes (fuse-elementwise), so elementwise
  // chains run fused; false runs the optimized graph op by op (FunctionOptions::jit_compile).
  bool fuse = true;
};

struct Executable {
  std::shared_ptr<graph::Program> program;
  std::string ir_text;  // the optimized IR for reading (constants over 16 elements elided)
};

// Errors are Status with the function's name; the caller adds the user's line.
absl::StatusOr<Executable> Compile(const graph::Trace& trace, const CompileOptions& options);

// The pipeline Compile runs by default, in order: the optimization passes, then the lowering
// ones (what config::pass_names reports). Disabled passes are left out.
std::vector<std::string> PassNames();

// The pipeline Compile runs by default for `fuse` (FunctionOptions::jit_compile), in order.
std::vector<std::string> PipelineFor(bool fuse);

// Tests only: passes appended to the optimization pipeline (e.g. a deliberately wrong one, to
// show that the eager check and the bisection find it). {} removes them.
void SetExtraPassesForTesting(const std::vector<std::string>& names);

// Passes Compile skips from now on (short names, e.g. "fuse-elementwise"); {} = none. An
// unknown name is InvalidArgument listing the pipeline. Starts as DUET_DISABLE_PASSES=a,b.
absl::Status SetDisabledPasses(const std::vector<std::string>& names);
std::vector<std::string> DisabledPasses();

}  // namespace duet::compiler
