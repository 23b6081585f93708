// Loading a saved model: pure over the files' bytes (the fuzz target's entry), and from a
// directory (sizes bounded by the manifest before reading). Checks, in order: the manifest;
// each file's size and CRC32 against it (integrity, skipped by the fuzzer so it reaches the
// parsers); the weights' names, dtypes and shapes against the manifest; the IR (parse, verify,
// variables by name and type, no host_func); the IR's signature against the manifest's.
// Example: ASSIGN_OR_RETURN(auto state, LoadDirectory("export_dir"));
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "api/saved_model/saved_model.h"
#include "graph/program.h"
#include "graph/trace_graph.h"

namespace duet::saved_model::internal {

struct LoadedState {
  Signature signature;
  std::shared_ptr<graph::Program> program;  // what an eager call runs
  graph::Bindings bindings;
  std::string ir_text;
  // The program read back as a trace (graph/program_to_trace.h): what a call inside a
  // duet::function or under a GradientTape replays op by op through the public API.
  graph::Trace trace;
};

struct SavedModelFiles {
  std::string_view manifest, bytecode, text, weights;
};

absl::StatusOr<std::shared_ptr<const LoadedState>> LoadFromFiles(const SavedModelFiles& files,
                                                                 const std::string& dir,
                                                                 bool check_integrity);
absl::StatusOr<std::shared_ptr<const LoadedState>> LoadDirectory(const std::string& dir);

}  // namespace duet::saved_model::internal
