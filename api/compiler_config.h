// config:: switches for the compiler (API.md "Compiling"): which passes run, by name.
// Example: config::set_disabled_passes({"fuse-elementwise"});  // functions compiled from now on
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/error.h"

namespace duet {

// What compiling one signature of a function cost and produced: Function::compile_stats(args).
struct CompileStats {
  double trace_ms = 0;     // running the user's code on symbolic tensors
  double optimize_ms = 0;  // building the IR, the pass pipeline and lowering to a program
  double codegen_ms = 0;   // compiling its fused regions' kernels so far (background, tier 1)
  int num_kernels = 0;     // what one call launches: ops and fused regions (in loops: once)
  int fused_regions = 0;
  int fused_ops = 0;          // ops inside fused regions
  int generated_kernels = 0;  // fused regions whose generated kernel is ready
  // The most bytes of intermediate buffers live at once as the executor frees them after their
  // last use (arguments and constants excluded; outputs that alias an input count as buffers:
  // an upper bound; dims known only at run time count 0).
  int64_t peak_bytes = 0;
};

}  // namespace duet

namespace duet::config {

// Passes left out of functions compiled from now on; {} = none. Throws duet::Error for a name
// that is not in the pipeline (listing it). DUET_DISABLE_PASSES=a,b sets the starting list.
void set_disabled_passes(const std::vector<std::string>& names, const Loc& loc = Loc::current());
std::vector<std::string> disabled_passes();
// The pipeline a function is compiled with, in order (without the disabled passes).
std::vector<std::string> pass_names();

// Each compiled call also runs its traced ops eagerly and compares outputs and variables; a
// mismatch throws naming the first op that differs, its line and the pass that made it differ
// (api/check_against_eager.h). DUET_CHECK_FUNCTIONS=1 turns it on at start-up. For debugging:
// checked calls cost an eager run more.
void check_functions_against_eager(bool on);
bool functions_checked_against_eager();

}  // namespace duet::config
