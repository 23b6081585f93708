// Exportable graphs: a traced function as a self-contained module another process can run, and
// back. In a compiled function a variable is an index into this process's captures
// (`duet.read_variable {var = 0}`); an exported module names it instead
// (`{var = "model/dense/kernel"}`) and carries the values at export time, so the IR means the same
// anywhere. Host functions are C++ of this process and cannot be exported. No MLIR here.
// Example:
//   ASSIGN_OR_RETURN(ExportedModule m, ExportModule(trace, {}));   // m.bytecode, m.variables
//   ASSIGN_OR_RETURN(ImportedModule back, CompileExported(m.bytecode, slots, "saved_model"));
//   graph::RunProgram(*back.executable.program, {variable_states, {}}, args);
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/compile.h"
#include "graph/trace_graph.h"

namespace duet::compiler {

struct ExportOptions {
  std::string name = "main";    // the func's name in the module
  std::string what = "export";  // errors start with "[<what>] "
  // Names for captured variables (e.g. object paths); the others are named by their
  // VariableState::name ("variable" when empty). Repeated names get "_1", "_2", ... in the
  // trace's order, so the naming is deterministic.
  std::vector<std::pair<const VariableState*, std::string>> variable_names;
};

struct NamedValue {
  std::string name;
  Tensor value;  // a copy: later assigns to the variable do not change it
  bool trainable = true;
};

struct ExportedModule {
  std::string bytecode;               // the optimized module as MLIR bytecode
  std::string text;                   // the same module as text (constants in full; it parses back)
  std::vector<NamedValue> variables;  // those the module refers to, in capture order
  std::vector<TensorSpec> inputs, outputs;
};

// Builds, verifies and optimizes (default pipeline) the trace, then names its variables.
// A host_func anywhere in the trace fails naming the line it was called from.
absl::StatusOr<ExportedModule> ExportModule(const graph::Trace& trace,
                                            const ExportOptions& options);

struct VariableSlot {
  std::string name;
  TensorSpec spec;
};

struct ImportedModule {
  Executable executable;  // its variable reads/assigns index `variables` as given
  std::vector<TensorSpec> inputs, outputs;
};

// The reverse: `module` (MLIR bytecode or text, untrusted) must parse and verify, hold one
// func.func and nothing else, refer only to `variables` (by name, with their exact type), call
// no host_func, and embed at most 1 GiB of constants. Errors start with "[<what>] ".
absl::StatusOr<ImportedModule> CompileExported(std::string_view module,
                                               const std::vector<VariableSlot>& variables,
                                               const std::string& what);

}  // namespace duet::compiler
